from django import template

from members import selectors, services

register = template.Library()


@register.inclusion_tag("members/_my_memberships.html", takes_context=True)
def my_memberships(context):
    user = context["request"].user
    return {
        "applications": selectors.application_list_for_applicant(user=user),
        "memberships": selectors.member_list_for_user(user=user),
        "supports": services.supporter_alliances(user).exists(),
    }


@register.inclusion_tag("members/_apply_button.html", takes_context=True)
def apply_button(context, alliance):
    rules = getattr(alliance, "rules", None)
    return {"alliance": alliance, "open": rules is not None and rules.accepts_applications
            and (rules.admits_units or rules.admits_individuals)}
