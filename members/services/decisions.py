"""The decisions that admissions, withdrawals, sanctions and expulsions take effect from: passed motions of the
body the charter names, of the same alliance, naming the record (000 arts. 10–11, 001 arts. 17–18, 22)."""

from django.core.exceptions import ValidationError

from governance import effects
from governance.models import Body, Motion


# The consent of 001 art. 17 is the body's motion to admit naming the application, or its decision on no record
# (chosen by its title); no motion kind acts on a withdrawal (001 art. 18), so its approval is such a decision.
CONSENT_KINDS = (Motion.Kind.ADMIT_MEMBER, Motion.Kind.OTHER)
WITHDRAWAL_KINDS = (Motion.Kind.OTHER,)


def body_label(kind):
    return str(Body.Kind(kind).label) if kind in Body.Kind.values else "决定机构"


def decision_check(motion, *, alliance, body_kinds, kinds, record, field="decision"):
    """Refuse unless motion is a passed motion of kinds, of one of body_kinds of the alliance, that names record
    among its subjects (a kind acting on no record, such as OTHER, is chosen by its title)."""
    bodies = "或".join(body_label(kind) for kind in body_kinds)
    if motion is None:
        raise ValidationError({field: f"请选择{bodies}通过的议案。"})
    body = motion.meeting.body
    if body.alliance_id != alliance.pk:
        raise ValidationError({field: "所选议案不属于本联盟。"})
    if body.kind not in body_kinds:
        raise ValidationError({field: f"所选议案不是{bodies}的决定。"})
    if motion.status != Motion.Status.PASSED:
        raise ValidationError({field: "所选议案未获通过，不能作为决定依据。"})
    if motion.kind not in kinds:
        raise ValidationError({field: "所选议案的类型与该决定不符。"})
    if effects.subject_for(motion.kind) is not None and record.pk not in motion.subject_ids:
        raise ValidationError({field: f"所选议案未列明“{record}”。"})
    return motion


def steps_check(member, motions, *, kind, after=None):
    """The decisions of every body that decides sanctions and expulsions, in the charter's order, each taken
    after the one before (and after ``after``): 001 art. 22 (二), the all-member meeting, then the guidance
    committee; 000 art. 10, the council alone. Returns the motions in that order."""
    bodies = member.alliance.rules.sanction_body_list
    motions = sorted(motions, key=lambda m: m.voting_closed_at)
    if len(motions) != len(bodies):
        steps = "、".join(body_label(body) for body in bodies)
        raise ValidationError({"decisions": f"须依次有{steps}通过的议案（共 {len(bodies)} 项）。"})
    previous = after
    for motion, body_kind in zip(motions, bodies, strict=True):
        decision_check(motion, alliance=member.alliance, body_kinds=[body_kind], kinds=[kind], record=member,
                       field="decisions")
        if previous is not None and motion.voting_closed_at <= previous:
            raise ValidationError({"decisions": f"{body_label(body_kind)}的决定须在前一决定之后作出。"})
        previous = motion.voting_closed_at
    return motions


def passed_steps(member, *, kind, closing):
    """For a handler: each deciding body's latest passed motion of kind naming the member, ``closing`` (the motion
    passing now, not yet saved as passed) for its own body; None while a body has not decided yet."""
    motions = []
    for body_kind in member.alliance.rules.sanction_body_list:
        if body_kind == closing.meeting.body.kind:
            motions.append(closing)
            continue
        motion = (
            Motion.objects.filter(meeting__body__alliance=member.alliance_id, meeting__body__kind=body_kind,
                                  kind=kind, status=Motion.Status.PASSED, subject_ids__contains=[member.pk])
            .select_related("meeting__body").order_by("-voting_closed_at", "-pk").first()
        )
        if motion is None:
            return None
        motions.append(motion)
    return motions
