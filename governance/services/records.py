"""Recorded steps that are not votes: the officer conditions attested when a seat is filled (000 art. 14), a member's violation referred to the authorities (001 art. 22 (一)) and
the guidance committee's interpretations of the charter (001 art. 24)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.permissions import require_manage_alliance
from alliance.services import checked_and_saved
from governance import effects
from governance.models import Body, CharterInterpretation, MemberReferral, Motion, OfficerCondition

# A referral follows the deciding body's motion on the member (a sanction, an expulsion) or its decision on no
# record, chosen by its title.
REFERRAL_KINDS = (Motion.Kind.SANCTION_MEMBER, Motion.Kind.EXPEL_MEMBER, Motion.Kind.OTHER)
# 001 art. 24: 本章程委托联盟指导委员负责解释; its decisions on no record (OTHER) are chosen by title.
INTERPRETING_BODY = Body.Kind.GUIDANCE_COMMITTEE
INTERPRETATION_KINDS = (Motion.Kind.OTHER,)


def _passed_of(motion, *, alliance, body_kinds, kinds, field="decision"):
    names = _("或").join(Body.kind_label(kind) for kind in body_kinds)
    if motion is None:
        raise ValidationError({field: _("请选择%(names)s通过的议案。") % {"names": names}})
    body = motion.meeting.body
    if body.alliance_id != alliance.pk:
        raise ValidationError({field: _("所选议案不属于本联盟。")})
    if body.kind not in body_kinds:
        raise ValidationError({field: _("所选议案不是%(names)s的决定。") % {"names": names}})
    if motion.status != Motion.Status.PASSED:
        raise ValidationError({field: _("所选议案未获通过，不能作为依据。")})
    if motion.kind not in kinds:
        raise ValidationError({field: _("所选议案的类型与该事项不符。")})
    return motion


def referral_decisions(alliance):
    """The passed motions a referral of this alliance may follow."""
    return Motion.objects.filter(
        meeting__body__alliance=alliance, meeting__body__kind__in=alliance.rules.sanction_body_list,
        status=Motion.Status.PASSED, kind__in=REFERRAL_KINDS,
    ).select_related("meeting__body")


@transaction.atomic
def member_referral_record(*, actor, member, decision, referred_on, addressee, summary):
    """Record that the secretariat reported a member's violation to the authorities, following the deciding
    body's decision (001 art. 22 (一): 对违反国家法律及教育政策的可按程序向有关部门反映，促请对其做出相应处理)."""
    alliance = member.alliance
    require_manage_alliance(actor, alliance)
    _passed_of(decision, alliance=alliance, body_kinds=alliance.rules.sanction_body_list, kinds=REFERRAL_KINDS)
    if effects.subject_for(decision.kind) is not None and member.pk not in decision.subject_ids:
        raise ValidationError({"decision": _("所选议案未列明“%(member)s”。") % {"member": member}})
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": _("反映日期不能晚于今天。")})
    if decision.voting_closed_at and referred_on < timezone.localdate(decision.voting_closed_at):
        raise ValidationError({"referred_on": _("反映日期不能早于所依据的决定。")})
    referral = MemberReferral(member=member, decision=decision, referred_on=referred_on, addressee=addressee,
                              summary=summary, recorded_by=actor, recorded_at=timezone.now())
    return checked_and_saved(referral, actor=actor, reason=f"向{addressee}反映")


def interpretation_decisions(alliance):
    """The guidance committee's passed decisions not yet recorded as an interpretation."""
    return Motion.objects.filter(
        meeting__body__alliance=alliance, meeting__body__kind=INTERPRETING_BODY, status=Motion.Status.PASSED,
        kind__in=INTERPRETATION_KINDS, interpretation__isnull=True,
    ).select_related("meeting__body")


@transaction.atomic
def charter_interpretation_record(*, actor, alliance, motion, article, text):
    """Record the guidance committee's passed decision interpreting an article of the charter (001 art. 24)."""
    require_manage_alliance(actor, alliance)
    _passed_of(motion, alliance=alliance, body_kinds=[INTERPRETING_BODY], kinds=INTERPRETATION_KINDS, field="motion")
    if CharterInterpretation.objects.filter(motion=motion).exists():
        raise ValidationError({"motion": _("该议案已登记为章程解释。")})
    interpretation = CharterInterpretation(alliance=alliance, motion=motion, article=article, text=text,
                                           recorded_by=actor, recorded_at=timezone.now())
    return checked_and_saved(interpretation, actor=actor, reason="登记章程解释")


OFFICER_CONDITION_FIELDS = ("article", "text", "order")


@transaction.atomic
def officer_condition_create(*, actor, alliance, article, text, order=0):
    """A condition of the charter's officers that people attest when one is seated (000 art. 14)."""
    require_manage_alliance(actor, alliance)
    if OfficerCondition.objects.filter(alliance=alliance, article=article).exists():
        raise ValidationError({"article": _("本联盟已登记该条款的任职条件。")})
    return checked_and_saved(OfficerCondition(alliance=alliance, article=article, text=text, order=order),
                             actor=actor, reason="登记负责人任职条件")


@transaction.atomic
def officer_condition_update(*, actor, condition, **values):
    condition = OfficerCondition.objects.select_for_update().get(pk=condition.pk)
    require_manage_alliance(actor, condition.alliance)
    for name, value in values.items():
        if name not in OFFICER_CONDITION_FIELDS:
            raise TypeError(f"officer_condition_update() does not set {name}")
        setattr(condition, name, value)
    return checked_and_saved(condition, actor=actor, reason="修改负责人任职条件")
