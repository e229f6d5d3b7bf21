from django import template

from governance import selectors

register = template.Library()


@register.inclusion_tag("governance/_alliance_record.html")
def alliance_record(alliance):
    """The alliance page's part of governance: annual reports, shared targets, lead tasks and agreements."""
    return {
        "alliance": alliance,
        "reports": selectors.annual_reports_filed(alliance=alliance),
        "targets": selectors.targets_with_progress(alliance=alliance),
        "tasks": selectors.lead_tasks_of(alliance=alliance),
        "agreements": selectors.agreements_of(alliance=alliance),
    }
