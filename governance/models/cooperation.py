"""What the members undertook together: shared targets (002 art. 8 (二)), tasks led by named members and
cooperation agreements (seed 003)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.models import Alliance


class Target(models.Model):
    """A target the members share for a period, e.g. 每五年数字资源补充更新率不低于20% (002 art. 8 (二))."""

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="targets", verbose_name=_("联盟"))
    title = models.CharField(_("目标"), max_length=200)
    measure = models.CharField(_("衡量指标"), max_length=100, help_text=_("例如“数字资源补充更新率”。"))
    unit = models.CharField(_("单位"), max_length=20, help_text=_("例如 %、门、个。"))
    threshold = models.DecimalField(_("目标值（不低于）"), max_digits=12, decimal_places=2,
                                    validators=[MinValueValidator(Decimal("0.01"))])
    start_date = models.DateField(_("周期开始"))
    end_date = models.DateField(_("周期结束"))
    article = models.CharField(_("依据条款"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("共同目标")
        verbose_name_plural = _("共同目标")
        ordering = ["alliance", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="target_period_ends_after_start"),
            models.CheckConstraint(condition=Q(threshold__gt=0), name="target_threshold_positive"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("周期结束日期须晚于开始日期。")})

    def expected_on(self, day):
        """What a straight-line pace from nothing at the start to the threshold at the end reaches on day."""
        total = (self.end_date - self.start_date).days
        elapsed = min(max((day - self.start_date).days, 0), total)
        return (self.threshold * elapsed / total).quantize(Decimal("0.01"))

    def progress_on(self, day, entries=None):
        """The latest value recorded on or before day (None before the first)."""
        entries = self.progress.all() if entries is None else entries
        recorded = [entry for entry in entries if entry.recorded_on <= day]
        return max(recorded, key=lambda entry: (entry.recorded_on, entry.pk)).value if recorded else None

    def is_behind(self, day, entries=None):
        """Behind the straight-line pace on day: exact, value * total < threshold * elapsed, in Decimals."""
        if day <= self.start_date:
            return False
        value = self.progress_on(day, entries) or Decimal(0)
        total = (self.end_date - self.start_date).days
        elapsed = min((day - self.start_date).days, total)
        return value * total < self.threshold * elapsed


class TargetProgress(models.Model):
    """The value of a target's measure reached by a date, recorded by the secretariat."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="progress", verbose_name=_("共同目标"))
    recorded_on = models.DateField(_("统计日期"))
    value = models.DecimalField(_("完成值"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("登记人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标进展")
        verbose_name_plural = _("目标进展")
        ordering = ["target", "recorded_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["target", "recorded_on"], name="target_progress_once_a_day"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_progress_not_negative"),
        ]

    def __str__(self):
        return f"{self.target}·{self.recorded_on:%Y-%m-%d}"

    def clean(self):
        if self.target_id and self.recorded_on and self.recorded_on < self.target.start_date:
            raise ValidationError({"recorded_on": _("统计日期须在目标周期开始之后。")})


class LeadTask(models.Model):
    """A task of the alliance that one member leads (seed 003: 四项任务 … 分别依托北京师范大学 … 牵头负责)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="lead_tasks",
                                 verbose_name=_("联盟"))
    title = models.CharField(_("任务"), max_length=200)
    lead_member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="lead_tasks",
                                    verbose_name=_("牵头成员"))
    description = models.TextField(_("任务内容"), blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("例如印发任务方案的文件。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("牵头任务")
        verbose_name_plural = _("牵头任务")
        ordering = ["alliance", "order", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.lead_member_id and self.alliance_id and self.lead_member.alliance_id != self.alliance_id:
            raise ValidationError({"lead_member": _("牵头成员须为本联盟的成员。")})


class Agreement(models.Model):
    """A cooperation agreement kept with the alliance (seed 003: 《六所部属师范大学 … 合作协议》)."""

    class Signing(models.TextChoices):
        IN_PERSON = "in_person", _("现场签署")
        CORRESPONDENCE = "correspondence", _("通讯方式签署")
        ELECTRONIC = "electronic", _("电子签署")

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="agreements",
                                 verbose_name=_("联盟"))
    title = models.CharField(_("协议名称"), max_length=200)
    parties = models.TextField(_("签署各方"), help_text=_("每行一个单位。"))
    signed_on = models.DateField(_("签署日期"))
    signing = models.CharField(_("签署方式"), max_length=20, choices=Signing.choices, default=Signing.IN_PERSON)
    summary = models.TextField(_("主要内容"), blank=True)
    file = models.FileField(_("协议文本"), upload_to="governance/agreements/", blank=True)
    file_type = models.CharField(_("文件类型"), max_length=100, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")
        ordering = ["alliance", "-signed_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def party_list(self):
        return [line.strip() for line in self.parties.splitlines() if line.strip()]
