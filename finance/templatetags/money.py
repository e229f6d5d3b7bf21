from django import template

from finance.money import format_amount, format_yuan

register = template.Library()


@register.filter
def yuan(value):
    """12345.6 -> 12,345.60 元"""
    return "" if value is None else format_yuan(value)


@register.filter
def amount(value):
    """12345.6 -> ¥12,345.60"""
    return "" if value is None else format_amount(value)
