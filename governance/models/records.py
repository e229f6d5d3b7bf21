"""Recorded steps of the charter that are not votes: officer conditions attested when a seat is filled
(000 art. 14), a member's violation referred to the authorities (001 art. 22 (一)) and the guidance committee's
interpretations of the charter (001 art. 24)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance.models import Alliance


class OfficerCondition(models.Model):
    """A condition an officer must meet that people attest rather than the portal computes (000 art. 14 (一)(二)
    (四)(五)(六); the age of (三) is checked from the birth date)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="officer_conditions",
                                 verbose_name=_("联盟"))
    article = models.CharField(_("条款"), max_length=40)
    text = models.CharField(_("条件"), max_length=200)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("负责人任职条件")
        verbose_name_plural = _("负责人任职条件")
        ordering = ["alliance", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["alliance", "article"], name="officer_condition_unique")]

    def __str__(self):
        return f"{self.article} {self.text}"


class SeatAttestation(models.Model):
    """Who confirmed that the holder of a seat meets one condition, and when."""

    seat = models.ForeignKey("governance.Seat", on_delete=models.CASCADE, related_name="attestations",
                             verbose_name=_("职务任职"))
    condition = models.ForeignKey(OfficerCondition, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("任职条件"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("确认人"))
    confirmed_at = models.DateTimeField(_("确认时间"))

    class Meta:
        verbose_name = _("任职条件确认")
        verbose_name_plural = _("任职条件确认")
        ordering = ["seat", "condition__order", "condition__pk"]
        constraints = [models.UniqueConstraint(fields=["seat", "condition"], name="seat_attestation_once")]

    def __str__(self):
        return _("%(seat)s：%(article)s") % {"seat": self.seat, "article": self.condition.article}


class CharterInterpretation(models.Model):
    """The guidance committee's interpretation of an article of the charter, taken by its passed motion
    (001 art. 24: 本章程委托联盟指导委员负责解释)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="charter_interpretations",
                                 verbose_name=_("联盟"))
    article = models.CharField(_("所解释的条款"), max_length=60)
    text = models.TextField(_("解释内容"))
    motion = models.OneToOneField("governance.Motion", on_delete=models.PROTECT, related_name="interpretation",
                                  verbose_name=_("决定议案"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("章程解释")
        verbose_name_plural = _("章程解释")
        ordering = ["alliance", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.alliance.display_short_name}·{self.article}"


class MemberReferral(models.Model):
    """A member's violation of the law or of education policy reported to the authorities, following a decision
    (001 art. 22 (一): 可按程序向有关部门反映，促请对其做出相应处理)."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="referrals",
                               verbose_name=_("成员"))
    decision = models.ForeignKey("governance.Motion", on_delete=models.PROTECT, related_name="referrals",
                                 verbose_name=_("所依据的决定"))
    referred_on = models.DateField(_("反映日期"))
    addressee = models.CharField(_("反映的有关部门"), max_length=100)
    summary = models.TextField(_("反映的事项"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("向有关部门反映")
        verbose_name_plural = _("向有关部门反映")
        ordering = ["member", "referred_on", "pk"]

    def __str__(self):
        return _("%(name)s：向%(addressee)s反映") % {"name": self.member.name, "addressee": self.addressee}
