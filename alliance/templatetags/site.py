"""Page furniture shared by the site's templates."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


class BreadcrumbsNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return format_html(
            '<nav class="breadcrumbs" aria-label="{}"><ol><li><a href="{}">{}</a></li>{}</ol></nav>',
            _("当前位置"), reverse("home"), _("首页"), mark_safe(self.nodelist.render(context)))


@register.tag
def breadcrumbs(parser, token):
    """{% breadcrumbs %}<li><a href="…">上级</a></li><li aria-current="page">本页</li>{% endbreadcrumbs %}:
    the trail after 首页 (the items are the template's own autoescaped markup)."""
    nodelist = parser.parse(("endbreadcrumbs",))
    parser.delete_first_token()
    return BreadcrumbsNode(nodelist)
