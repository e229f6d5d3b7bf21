"""The HTML part of an e-mail, made from its plain text."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# A link ends at white space or at the Chinese punctuation a sentence puts after it (Django's urlize needs a
# space before the link, which a Chinese sentence does not have: "查看申请：http://…").
LINK = re.compile(r"https?://[^\s<>\"'，。；、！？）」]+")


@register.filter
def email_html(text):
    """The text escaped, its links made links and its lines kept."""
    parts, end = [], 0
    for match in LINK.finditer(text):
        parts += [escape(text[end:match.start()]), f'<a href="{escape(match[0])}">{escape(match[0])}</a>']
        end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts).replace("\n", "<br>\n"))  # noqa: S308 - every piece escaped above
