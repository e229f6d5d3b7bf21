"""What the secretariat does with the decisions: follow-ups of resolutions and the annual work report.

002 art. 7: 秘书处具体执行联盟成员代表大会及理事会的各项决议 … 组织起草联盟年度工作报告; the council approves
the report (审定联盟年度工作计划、年度工作报告), which is then filed as a PDF and sent to the supervising authority
(002 art. 5: 联盟的主管部门为广州市教育局).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.documents import JOB_FIELDS, DocumentJob, status_field
from alliance.models import Alliance

from .meetings import Motion


class ResolutionFollowUp(models.Model):
    """One step the secretariat took to carry out a passed motion (a resolution) of the assembly or council."""

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("决议"))
    action = models.TextField(_("执行情况"))
    acted_on = models.DateField(_("办理日期"))
    is_done = models.BooleanField(_("已办结"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("登记人"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("决议执行情况")
        verbose_name_plural = _("决议执行情况")
        ordering = ["motion", "acted_on", "pk"]

    def __str__(self):
        return f"{self.motion.title}·{self.acted_on:%Y-%m-%d}"

    def clean(self):
        if self.motion_id and self.motion.status != Motion.Status.PASSED:
            raise ValidationError({"motion": _("只有表决通过的决议才登记执行情况。")})


class AnnualReport(DocumentJob):
    """The annual work report (年度工作报告) the secretariat drafts and the council approves (002 art. 7)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("起草中")
        APPROVED = "approved", _("已审定")

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="annual_reports",
                                 verbose_name=_("联盟"))
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("报告正文"))
    figures = models.TextField(
        _("主要数据"), blank=True, help_text=_("每行一项，名称与数值以冒号分隔，例如“举办培训：36 场”。"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by_motion = models.ForeignKey(
        Motion, on_delete=models.PROTECT, null=True, blank=True, related_name="approved_reports",
        verbose_name=_("审定议案"),
    )
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    pdf = models.FileField(_("报告 PDF"), upload_to="governance/reports/", blank=True)
    pdf_status = status_field(_("PDF 状态"))

    history = HistoricalRecords(excluded_fields=JOB_FIELDS)

    class Meta:
        verbose_name = _("年度工作报告")
        verbose_name_plural = _("年度工作报告")
        ordering = ["alliance", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "year"], name="annual_report_once_per_year",
                                    violation_error_message=_("本联盟该年度的工作报告已存在。")),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_by_motion__isnull=False, approved_on__isnull=False),
                name="annual_report_approved_by_a_motion",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_filed(self):
        return self.status == self.Status.APPROVED and bool(self.pdf)

    @property
    def figure_rows(self):
        """The figures as (name, value) pairs, one a line ("名称：数值")."""
        rows = []
        for line in self.figures.splitlines():
            name, _sep, value = line.replace(":", "：", 1).partition("：")
            if name.strip():
                rows.append((name.strip(), value.strip()))
        return rows
