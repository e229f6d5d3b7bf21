"""The technical supporter's assessments in the admin (000 组织架构 1): the alliance's staff read them and export
them; the supporter's accounts enter and publish them on the site's pages, so nothing here writes."""

from django.utils.translation import gettext, gettext_lazy
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from alliance.admin import AllianceScopedAdmin, ViewOnlyInline, ViewOnlyMixin

from . import selectors
from .exports import assessment_response
from .models import Assessment, AssessmentCriterion, AssessmentRound


class CriterionInline(ViewOnlyInline):
    model = AssessmentCriterion
    fields = ["name", "max_score", "order"]
    readonly_fields = fields


class ResultInline(ViewOnlyInline):
    model = Assessment
    fields = ["member", "total", "grade", "comment", "assessed_by", "assessed_at"]
    readonly_fields = fields


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ViewOnlyMixin, AllianceScopedAdmin):
    list_display = ["title", "alliance", "period_start", "period_end", "status", "published_at"]
    list_filter = ["status", "alliance"]
    search_fields = ["title"]
    list_select_related = ["alliance"]
    fields = ["alliance", "title", "period_start", "period_end", "summary_visibility", "summary", "status",
              "created_by", "published_by", "published_at", "site_page"]
    readonly_fields = fields
    inlines = [CriterionInline, ResultInline]
    actions = ["export_excel"]

    @admin.display(description=gettext_lazy("网站页面"))
    def site_page(self, obj):
        return format_html(gettext('<a href="{}">打开</a>'), reverse("members:assessment_round", args=[obj.pk]))

    @admin.action(description=gettext_lazy("导出所选考核的结果（Excel）"))
    def export_excel(self, request, queryset):
        rounds = list(queryset[:2])
        if len(rounds) != 1:  # one sheet, its columns the round's own criteria
            self.message_user(request, gettext("请只选择一项业务考核导出。"), messages.WARNING)
            return None
        return assessment_response(rounds[0], selectors.assessment_round_results(rounds[0]))


class MemberAssessmentInline(ViewOnlyInline):
    """The member's results, published or not, on its record."""

    model = Assessment
    fields = ["round", "total", "grade", "comment", "assessed_at"]
    readonly_fields = fields
