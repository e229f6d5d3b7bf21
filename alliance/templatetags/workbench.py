"""The admin index's workbench (alliance/workbench.py), read like the stock index reads its recent actions."""

from django import template
from django.contrib import admin

from .. import workbench
from ..admin import managed_alliance_pks

register = template.Library()


@register.simple_tag(takes_context=True)
def workbench_counts(context):
    return workbench.counts_for(context["request"], admin.site)


@register.simple_tag(takes_context=True)
def workbench_charts(context):
    return workbench.charts_for(managed_alliance_pks(context["request"]))
