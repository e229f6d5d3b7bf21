"""Member assessments by the technical supporter (seed 000 组织架构 1: 定期对联盟成员进行业务考核，发布考核结果).

A round covers a period and lists its criteria with their maximum scores; the supporter's accounts enter a score
per criterion, a grade and a comment per member, then publish the round. A published result is a record: a
correction is its own recorded step (AssessmentCorrection) with the values before and after and the reason.
"""

from django.utils.translation import gettext
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.models import Alliance

SCORE = {"max_digits": 6, "decimal_places": 1}


class AssessmentRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("评分中")
        PUBLISHED = "published", _("已发布")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("公开")
        MEMBERS = "members", _("仅限本联盟成员")

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="assessment_rounds",
                                 verbose_name=_("联盟"))
    title = models.CharField(_("考核名称"), max_length=100)
    period_start = models.DateField(_("考核期开始"))
    period_end = models.DateField(_("考核期结束"))
    summary_visibility = models.CharField(_("结果汇总公布范围"), max_length=10, choices=Visibility.choices,
                                          default=Visibility.MEMBERS)
    summary = models.TextField(_("考核总体情况"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("业务考核")
        verbose_name_plural = _("业务考核")
        ordering = ["alliance", "-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "title"], name="assessment_round_unique_title"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="assessment_round_period_ordered"),
            models.CheckConstraint(condition=Q(status="draft") | Q(published_at__isnull=False),
                                   name="assessment_round_published_has_time"),
        ]

    def __str__(self):
        return f"{self.alliance.display_short_name}·{self.title}"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("考核期结束日期不能早于开始日期。")})


class AssessmentCriterion(models.Model):
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="criteria",
                              verbose_name=_("业务考核"))
    name = models.CharField(_("考核指标"), max_length=100)
    max_score = models.DecimalField(_("满分"), **SCORE)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["round", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="assessment_criterion_unique_name"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="assessment_criterion_max_positive"),
        ]

    def __str__(self):
        return gettext("%(name)s（满分 %(max)s）") % {"name": self.name, "max": self.max_score}


class Assessment(models.Model):
    """One member's result in a round: a score per criterion (AssessmentScore), their total, a grade, a comment."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("良好")
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")

    round = models.ForeignKey(AssessmentRound, on_delete=models.PROTECT, related_name="assessments",
                              verbose_name=_("业务考核"))
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="assessments",
                               verbose_name=_("成员"))
    total = models.DecimalField(_("总分"), **SCORE)
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices)
    comment = models.TextField(_("评语"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("评分人"))
    assessed_at = models.DateTimeField(_("评分时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["round", "member__number"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="assessment_one_per_member")]

    def __str__(self):
        return gettext("%(record)s：%(status)s") % {"record": self.round.title, "status": f"{self.member.name} {self.get_grade_display()}"}


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores",
                                   verbose_name=_("考核结果"))
    criterion = models.ForeignKey(AssessmentCriterion, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("考核指标"))
    score = models.DecimalField(_("得分"), **SCORE)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["assessment", "criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="assessment_score_one_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0), name="assessment_score_not_negative"),
        ]


class AssessmentCorrection(models.Model):
    """A change to a published result: what it was, what it is now, why and by whom."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="corrections",
                                   verbose_name=_("考核结果"))
    before = models.JSONField(_("更正前"))
    after = models.JSONField(_("更正后"))
    reason = models.TextField(_("更正理由"))
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("更正人"))
    corrected_at = models.DateTimeField(_("更正时间"))

    class Meta:
        verbose_name = _("考核结果更正")
        verbose_name_plural = _("考核结果更正")
        ordering = ["assessment", "corrected_at", "pk"]

    def __str__(self):
        return gettext("%(record)s：更正") % {"record": self.assessment}
