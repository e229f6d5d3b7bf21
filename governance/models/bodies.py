"""Bodies of an alliance and the seats people hold in them.

Meetings, motions and votes build on these (seed 000 arts. 10–18, 001 arts. 13–16, 002 arts. 6–7).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from alliance.models import Alliance


class Body(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", gettext_lazy("理事会")
        SECRETARIAT = "secretariat", gettext_lazy("秘书处")
        EXPERT_COMMITTEE = "expert_committee", gettext_lazy("专家委员会")
        GUIDANCE_COMMITTEE = "guidance_committee", gettext_lazy("指导委员会")
        JOINT_MEETING = "joint_meeting", gettext_lazy("联席会议")
        COORDINATION_GROUP = "coordination_group", gettext_lazy("工作协调组")
        # 000 组织架构 1: the technical supporter, whose accounts assess the members' work.
        TECHNICAL_SUPPORT = "technical_support", gettext_lazy("技术支持者")
        # 002 art. 7: the members' representative assembly, whose resolutions the secretariat carries out.
        ASSEMBLY = "assembly", gettext_lazy("成员代表大会")

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="bodies", verbose_name=gettext_lazy("联盟"))
    kind = models.CharField(gettext_lazy("类型"), max_length=30, choices=Kind.choices)
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    description = models.TextField(gettext_lazy("职能"), blank=True)
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("机构")
        verbose_name_plural = gettext_lazy("机构")
        ordering = ["alliance", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["alliance", "name"], name="body_unique_name_per_alliance")]

    def __str__(self):
        return f"{self.alliance.display_short_name}·{self.name}"

    @classmethod
    def kind_label(cls, kind):
        """The name of a kind of body, e.g. a charter's decision body (CharterRules.decision_body_kind)."""
        return str(dict(cls.Kind.choices).get(kind, kind))


def age_on(birth_date, day):
    """Completed years of age on day (a person born on 29 February turns a year older on 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class SeatQuerySet(models.QuerySet):
    def in_office(self, on=None):
        on = on or datetime.date.today()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))


class Seat(models.Model):
    """A person (or a member unit's representative) holding a role in a body for a term."""

    class Role(models.TextChoices):
        CHAIR = "chair", gettext_lazy("理事长")
        ROTATING_CHAIR = "rotating_chair", gettext_lazy("轮值主席")
        VICE_CHAIR = "vice_chair", gettext_lazy("副理事长")
        SECRETARY_GENERAL = "secretary_general", gettext_lazy("秘书长")
        DEPUTY_SECRETARY_GENERAL = "deputy_secretary_general", gettext_lazy("副秘书长")
        HEAD = "head", gettext_lazy("主任")
        DEPUTY_HEAD = "deputy_head", gettext_lazy("副主任")
        DIRECTOR = "director", gettext_lazy("理事")
        MEMBER = "member", gettext_lazy("委员")
        LEADER = "leader", gettext_lazy("组长")
        DEPUTY_LEADER = "deputy_leader", gettext_lazy("副组长")
        LIAISON = "liaison", gettext_lazy("联络员")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats", verbose_name=gettext_lazy("机构"))
    role = models.CharField(gettext_lazy("职务"), max_length=30, choices=Role.choices)
    person_name = models.CharField(gettext_lazy("姓名"), max_length=50, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="seats", verbose_name=gettext_lazy("平台账号"),
    )
    unit_name = models.CharField(gettext_lazy("所在单位"), max_length=100, blank=True)
    # The member unit the holder represents (001 art. 13: the joint meeting of all member units); a sanction
    # of that member suspends the seat's vote or candidacy (001 art. 22 (二)).
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="seats",
        verbose_name=gettext_lazy("代表的成员单位"),
    )
    title = models.CharField(gettext_lazy("单位职务/职称"), max_length=100, blank=True)
    start_date = models.DateField(gettext_lazy("任期开始"))
    end_date = models.DateField(gettext_lazy("任期结束"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)
    # Eligibility (000 arts. 14–16): the age on the start date, which term in the role this seat is, the passed
    # and approved exception motion that allows an officer over the age limit (art. 15), and the secretariat's
    # approval of a term beyond the charter's length or number of terms (art. 16).
    birth_date = models.DateField(gettext_lazy("出生日期"), null=True, blank=True)
    term_number = models.PositiveSmallIntegerField(gettext_lazy("任职届次"), default=1)
    exception_motion = models.ForeignKey(
        "governance.Motion", on_delete=models.PROTECT, null=True, blank=True, related_name="excepted_seats",
        verbose_name=gettext_lazy("例外表决议案"),
    )
    elected_by = models.ForeignKey(
        "governance.Motion", on_delete=models.SET_NULL, null=True, blank=True, related_name="seated",
        verbose_name=gettext_lazy("产生该任职的议案"),
    )
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("延长任期批准人"),
    )
    extension_approved_at = models.DateTimeField(gettext_lazy("秘书处批准延长任期时间"), null=True, blank=True)

    history = HistoricalRecords()
    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("职务任职")
        verbose_name_plural = gettext_lazy("职务任职")
        ordering = ["body", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="seat_term_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(person_name="") | ~Q(unit_name=""), name="seat_names_a_person_or_unit"
            ),
            models.CheckConstraint(condition=Q(term_number__gte=1), name="seat_term_number_positive"),
            # An exception names one person and one term: it allows one seat.
            models.UniqueConstraint(fields=["exception_motion"], name="seat_exception_used_once"),
            models.CheckConstraint(
                condition=Q(extension_approved_at__isnull=True) | Q(extension_approved_by__isnull=False),
                name="seat_extension_approved_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.body.name}{self.get_role_display()} {self.holder_name}"

    @property
    def holder_name(self):
        return self.person_name or self.unit_name

    # 000 art. 14: the age limit, term limit and number of terms apply to the chair, vice-chairs and SG.
    OFFICER_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARY_GENERAL, Role.ROTATING_CHAIR)

    @property
    def is_officer(self):
        return self.role in self.OFFICER_ROLES

    def age_on(self, day):
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, day)

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("任期结束日期不能早于开始日期。")})
        if not self.person_name and not self.unit_name:
            raise ValidationError({"person_name": _("请填写姓名或所在单位。")})
        if self.member_id and self.body_id and self.member.alliance_id != self.body.alliance_id:
            raise ValidationError({"member": _("代表的成员单位须为本联盟的成员。")})
