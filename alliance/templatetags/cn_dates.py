"""Chinese dates in templates: ``{{ day|cn_date }}`` (2026年12月2日), ``{{ day|cn_numerals }}`` (二〇二六年十二月二日)."""

from django import template

from alliance import dates

register = template.Library()


@register.filter
def cn_date(day):
    return dates.cn_date(day) if day else ""


@register.filter
def cn_numerals(day):
    return dates.cn_date_numerals(day) if day else ""
