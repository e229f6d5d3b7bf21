"""Review (assignments, scores), the public 公示, appointment letters, pairing and class-hour tracking."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from alliance.documents import JOB_FIELDS, DocumentJob, DocumentStatus, status_field

from .call import Project, ReviewCriterion, SubjectGrade, grade_label
from .application import Application, TeamMember


class Assignment(models.Model):
    """Staff give an application to an expert; the expert scores it against the project's criteria."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments", verbose_name=gettext_lazy("申报表")
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_assignments", verbose_name=gettext_lazy("专家")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("分配人"),
    )
    assigned_at = models.DateTimeField(gettext_lazy("分配时间"), auto_now_add=True)
    comment = models.TextField(gettext_lazy("评审意见"), blank=True)
    scored_at = models.DateTimeField(gettext_lazy("评分时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("评审分配")
        verbose_name_plural = gettext_lazy("评审分配")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_one_per_expert"),
        ]

    def __str__(self):
        return f"{self.application} → {self.expert.get_full_name()}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores", verbose_name=gettext_lazy("评审分配"))
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("评分项"))
    value = models.PositiveSmallIntegerField(gettext_lazy("得分"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("评分")
        verbose_name_plural = gettext_lazy("评分")
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_one_per_criterion")]

    def __str__(self):
        return _("%(name)s：%(value)s") % {"name": self.criterion.name, "value": self.value}

    def clean(self):
        if self.criterion_id and self.value is not None and self.value > self.criterion.max_score:
            raise ValidationError({"value": _("“%(name)s”满分为%(max_score)s分。") % {"name": self.criterion.name, "max_score": self.criterion.max_score}})


class SelectionNotice(models.Model):
    """The public announcement (公示) of the selected applications for a period, then final (004 三)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="notices", verbose_name=gettext_lazy("项目"))
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    body = models.TextField(gettext_lazy("说明"), blank=True)
    starts_on = models.DateField(gettext_lazy("公示开始"))
    ends_on = models.DateField(gettext_lazy("公示结束"))
    contact = models.CharField(gettext_lazy("异议受理联系方式"), max_length=200, blank=True)
    applications = models.ManyToManyField(Application, related_name="notices", verbose_name=gettext_lazy("入选名单"), blank=True)
    published_at = models.DateTimeField(gettext_lazy("发布时间"), null=True, blank=True)
    finalised_at = models.DateTimeField(gettext_lazy("确认最终名单时间"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[applications])

    class Meta:
        verbose_name = gettext_lazy("入选公示")
        verbose_name_plural = gettext_lazy("入选公示")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="notice_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("公示结束日期不能早于开始日期。")})

    def is_running(self, on):
        return self.published_at is not None and self.starts_on <= on <= self.ends_on

    def is_over(self, on):
        return on > self.ends_on


class SelectionCorrection(models.Model):
    """A recorded change to a confirmed final list: who decided it, when, and why (the list itself stays final)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="corrections", verbose_name=gettext_lazy("项目"))
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="corrections", verbose_name=gettext_lazy("申报表")
    )
    selected = models.BooleanField(gettext_lazy("更正后入选"))
    reason = models.TextField(gettext_lazy("更正理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("决定人")
    )
    decided_at = models.DateTimeField(gettext_lazy("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("最终名单更正")
        verbose_name_plural = gettext_lazy("最终名单更正")
        ordering = ["project", "decided_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason")]

    def __str__(self):
        return _("%(display_name)s：%(v2)s") % {"display_name": self.application.display_name, "v2": _("增补入选") if self.selected else _("撤销入选")}


class AppointmentLetter(DocumentJob):
    """聘书 for a selected famous-teacher community, rendered once by a worker (alliance/documents.py)."""

    Status = DocumentStatus

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="letter", verbose_name=gettext_lazy("名师教研共同体")
    )
    number = models.CharField(gettext_lazy("聘书编号"), max_length=30, unique=True)
    issued_on = models.DateField(gettext_lazy("发放日期"))
    status = status_field()
    file = models.FileField("PDF", upload_to="projects/letters/", blank=True)
    # A community taken off the final list keeps its number (numbers are gapless) but the letter is void.
    revoked_on = models.DateField(gettext_lazy("撤销日期"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=JOB_FIELDS)

    class Meta:
        verbose_name = gettext_lazy("聘书")
        verbose_name_plural = gettext_lazy("聘书")
        ordering = ["number"]

    def __str__(self):
        return self.number


class Pairing(models.Model):
    """A selected famous-teacher community paired with a pilot county for one subject and grade."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="pairings", verbose_name=gettext_lazy("项目"))
    community = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="pairings_as_community", verbose_name=gettext_lazy("名师教研共同体"),
        limit_choices_to={"kind": "community"},
    )
    county = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="pairings_as_county", verbose_name=gettext_lazy("试点县"),
        limit_choices_to={"kind": "county"},
    )
    subject = models.ForeignKey(SubjectGrade, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("学科"))
    grade = models.PositiveSmallIntegerField(gettext_lazy("年级"))
    starts_on = models.DateField(gettext_lazy("结对开始"), null=True, blank=True)
    notes = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    # The community's leader records the pairing's activities on the site, as the county's provincial organiser may.
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="project_pairings_led",
        verbose_name=gettext_lazy("名师教研共同体负责人账号"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("结对")
        verbose_name_plural = gettext_lazy("结对")
        ordering = ["project", "subject__order", "grade", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "county", "subject", "grade"], name="pairing_unique"),
        ]

    def __str__(self):
        return _("%(display_name)s ⇄ %(display_name2)s（%(subject)s%(grade_label)s）") % {"display_name": self.community.display_name, "display_name2": self.county.display_name, "subject": self.subject, "grade_label": grade_label(self.grade)}

    def clean(self):
        errors = {}
        if self.subject_id and not self.subject.covers(self.grade):
            errors["grade"] = _("%(subject)s遴选%(grades_label)s。") % {"subject": self.subject, "grades_label": self.subject.grades_label}
        if self.community_id and self.community.kind != Application.Kind.COMMUNITY:
            errors["community"] = _("请选择名师教研共同体申报。")
        if self.county_id and self.county.kind != Application.Kind.COUNTY:
            errors["county"] = _("请选择试点县申报。")
        if errors:
            raise ValidationError(errors)


class Activity(models.Model):
    """An activity of a pairing (004: 异步、同步教研，示范教学，专递课堂)."""

    class Kind(models.TextChoices):
        SYNC = "sync", gettext_lazy("同步教研")
        ASYNC = "async", gettext_lazy("异步教研")
        DEMO = "demo", gettext_lazy("示范教学")
        REMOTE_CLASS = "remote_class", gettext_lazy("专递课堂")

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="activities", verbose_name=gettext_lazy("结对"))
    kind = models.CharField(gettext_lazy("类型"), max_length=15, choices=Kind.choices)
    date = models.DateField(gettext_lazy("日期"))
    class_hours = models.DecimalField(
        gettext_lazy("时长（课时）"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    topic = models.CharField(gettext_lazy("主题"), max_length=200, blank=True)
    teaching_points = models.TextField(gettext_lazy("覆盖的教学点"), blank=True, help_text=gettext_lazy("每行一个"))
    rural_schools = models.TextField(gettext_lazy("覆盖的农村薄弱学校"), blank=True, help_text=gettext_lazy("每行一个"))
    notes = models.TextField(gettext_lazy("备注"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("活动")
        verbose_name_plural = gettext_lazy("活动")
        ordering = ["-date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(class_hours__gt=0), name="activity_hours_positive")]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    @staticmethod
    def _lines(text):
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def teaching_point_list(self):
        return self._lines(self.teaching_points)

    @property
    def rural_school_list(self):
        return self._lines(self.rural_schools)


class ActivityTeacher(models.Model):
    """A teacher's class hours in one activity: what the per-hour subsidy is paid on."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="teachers", verbose_name=gettext_lazy("活动"))
    member = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=gettext_lazy("共同体成员")
    )
    name = models.CharField(gettext_lazy("教师姓名"), max_length=30)
    hours = models.DecimalField(
        gettext_lazy("课时"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    # 004 二（二）: only hours project staff have confirmed are paid.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("确认人"),
    )
    confirmed_at = models.DateTimeField(gettext_lazy("确认时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("参与教师")
        verbose_name_plural = gettext_lazy("参与教师")
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="activity_teacher_once"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="activity_teacher_hours_positive"),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="activity_teacher_confirmed_by_someone"),
        ]

    def __str__(self):
        return _("%(name)s：%(hours)s课时") % {"name": self.name, "hours": self.hours}
