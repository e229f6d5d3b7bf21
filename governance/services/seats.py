"""Filling seats under the charter's officer rules (000 arts. 14–16) and the rotating chair (002 art. 6)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.dates import cn_date
from alliance.permissions import can_manage_alliance, require_manage_alliance
from alliance.services import checked_and_saved, with_history
from governance import effects
from governance.models import Body, Motion, OfficerCondition, Seat, SeatAttestation, age_on


class IneligibleSeat(ValidationError):
    """The seat breaks a charter limit and neither an approved exception nor an approved extension allows it."""


def _term_end(start_date, years):
    """The last day of a term of ``years`` years starting on start_date."""
    try:
        anniversary = start_date.replace(year=start_date.year + years)
    except ValueError:  # 29 February
        anniversary = start_date.replace(year=start_date.year + years, day=28) + datetime.timedelta(days=1)
    return anniversary - datetime.timedelta(days=1)


def _earlier_terms(*, body, role, start_date, user, person_name, unit_name, exclude_pk=None):
    """How many seats in the same role and body the holder took up before this one, whatever the gap between
    them: 000 art. 16 says 任期最长不得超过两届, a limit on the terms held in the role, not on a run of them."""
    seats = Seat.objects.filter(body=body, role=role, start_date__lt=start_date).exclude(pk=exclude_pk)
    if user is not None:
        seats = seats.filter(user=user)
    else:
        seats = seats.filter(person_name=person_name, unit_name=unit_name)
    return seats.count()


# The two kinds of breach and who allows them: over the age limit, the council's vote and then the
# secretariat's approval (000 art. 15); a term longer or more terms than the charter's, the secretariat's
# approval alone (art. 16: 因特殊情况需延长任期的，经秘书处批准同意后方可继续任职).
AGE, TERM = "age", "term"


def seat_breaches(*, body, role, start_date, end_date, birth_date, term_number):
    """The charter limits this seat breaks: (AGE or TERM, a Chinese sentence citing the rule); empty when none."""
    rules = body.alliance.rules
    article = rules.officer_rules_article
    breaches = []
    if role not in Seat.OFFICER_ROLES:
        return breaches
    if rules.officer_age_limit and birth_date is not None:
        age = age_on(birth_date, start_date)
        if age > rules.officer_age_limit:
            breaches.append(
                (AGE, _("任期开始时年满 %(age)s 岁，超过最高任职年龄 %(officer_age_limit)s 岁（%(article)s）。") % {"age": age, "officer_age_limit": rules.officer_age_limit, "article": article}))
    years = rules.rotating_chair_years if role == Seat.Role.ROTATING_CHAIR else rules.officer_term_years
    if years and end_date and end_date > _term_end(start_date, years):
        breaches.append((TERM, _("任期超过 %(years)s 年（%(article)s）。") % {"years": years, "article": article}))
    if rules.officer_max_terms and role != Seat.Role.ROTATING_CHAIR and term_number > rules.officer_max_terms:
        breaches.append((TERM, _("将是第 %(term_number)s 届，超过最多 %(officer_max_terms)s 届（%(article)s）。") % {"term_number": term_number, "officer_max_terms": rules.officer_max_terms, "article": article}))
    return breaches


def _check_exception(*, exception_motion, body, role, person_name, start_date, exclude_pk):
    """The motion allows this seat: the council's passed exception for this person, office and term, approved
    by the secretariat and not yet used by another seat (000 art. 15)."""
    rules = body.alliance.rules
    # Held until the end of the transaction: two seats citing one exception are filled one after the other.
    motion = Motion.objects.select_for_update(of=("self",)).select_related("meeting__body").get(pk=exception_motion.pk)
    if motion.kind != Motion.Kind.OFFICER_EXCEPTION or motion.status != Motion.Status.PASSED:
        raise IneligibleSeat(_("所引用的议案不是已通过的负责人任职例外议案。"))
    if motion.meeting.body.alliance_id != body.alliance_id:
        raise IneligibleSeat(_("所引用的例外议案不属于本联盟。"))
    if motion.meeting.body.kind != rules.decision_body_kind:
        holder = Body.kind_label(rules.decision_body_kind)
        raise IneligibleSeat(_("任职例外须经本联盟%(holder)s表决通过，所引用的议案由%(name)s表决。") % {"holder": holder, "name": motion.meeting.body.name})
    if motion.officer_name != person_name or motion.officer_role != role:
        raise IneligibleSeat(_("所引用的例外议案针对的是另一位人选或另一职务。"))
    if motion.officer_start_date != start_date:
        raise IneligibleSeat(_("所引用的例外议案针对的是自%(cn_date)s起的任期。") % {"cn_date": cn_date(motion.officer_start_date)})
    if motion.approved_at is None:
        raise IneligibleSeat(_("任职例外议案尚未报经秘书处批准同意，暂不能任职。"))
    used = Seat.objects.filter(exception_motion=motion).exclude(pk=exclude_pk).first()
    if used is not None:
        raise IneligibleSeat(_("所引用的例外议案已用于%(holder_name)s自%(cn_date)s起的任职，只能使用一次。") % {"holder_name": used.holder_name, "cn_date": cn_date(used.start_date)})


def seat_eligibility(*, body, role, start_date, end_date=None, birth_date=None, user=None, person_name="",
                     unit_name="", exception_motion=None, term_extension=False, exclude_pk=None):
    """Check a seat against the officer rules; returns (term_number, end_date, exception or None, extended).

    The term defaults to the charter's length; the term number counts the holder's seats in the same role,
    whatever the gaps. A seat over the age limit needs ``exception_motion``, a passed and approved OFFICER_EXCEPTION
    motion naming its person and term (000 art. 15); a longer term or one term too many needs ``term_extension``,
    the secretariat's approval (art. 16). Raises IneligibleSeat otherwise.
    """
    rules = body.alliance.rules
    if role in Seat.OFFICER_ROLES and rules.officer_age_limit and birth_date is None:
        raise ValidationError({"birth_date": _("请填写出生日期，以核对任职年龄（%s）。") % rules.officer_rules_article})
    years = rules.rotating_chair_years if role == Seat.Role.ROTATING_CHAIR else rules.officer_term_years
    if end_date is None and role in Seat.OFFICER_ROLES and years:
        end_date = _term_end(start_date, years)
    term_number = 1 + (body.pk and _earlier_terms(
        body=body, role=role, start_date=start_date, user=user, person_name=person_name, unit_name=unit_name,
        exclude_pk=exclude_pk,
    ))
    breaches = seat_breaches(
        body=body, role=role, start_date=start_date, end_date=end_date, birth_date=birth_date, term_number=term_number
    )
    kinds = {kind for kind, _text in breaches}
    refused = [text for kind, text in breaches if kind == AGE and exception_motion is None]
    if refused:
        holder = Body.kind_label(rules.decision_body_kind)
        refused.append(_("须经%(holder)s表决通过任职例外议案，并报秘书处批准同意后方可任职。") % {"holder": holder})
    if TERM in kinds and not term_extension:
        refused += [text for kind, text in breaches if kind == TERM] + [_("延长任期须经秘书处批准同意后方可继续任职。")]
    if refused:
        raise IneligibleSeat(refused)
    if AGE in kinds:
        _check_exception(exception_motion=exception_motion, body=body, role=role, person_name=person_name,
                         start_date=start_date, exclude_pk=exclude_pk)
    return term_number, end_date, (exception_motion if AGE in kinds else None), TERM in kinds


def _extension_approval(seat, *, actor, extended):
    """Record the secretariat's approval of a term extension (000 art. 16): staff who manage the alliance."""
    if not extended:
        seat.extension_approved_by = seat.extension_approved_at = None
        return
    if actor is None or not can_manage_alliance(actor, seat.body.alliance):
        raise IneligibleSeat(_("延长任期须由本联盟秘书处批准同意。"))
    seat.extension_approved_by, seat.extension_approved_at = actor, timezone.now()


def officer_exception_for(*, body, role, person_name, start_date):
    """The exception that allows this person over the age limit in this office and term, if the council passed
    one, the secretariat approved it and no seat has used it (000 art. 15); None otherwise."""
    return (
        Motion.objects.filter(
            meeting__body__alliance=body.alliance_id, meeting__body__kind=body.alliance.rules.decision_body_kind,
            kind=Motion.Kind.OFFICER_EXCEPTION, status=Motion.Status.PASSED, approved_at__isnull=False,
            officer_name=person_name, officer_role=role, officer_start_date=start_date, excepted_seats__isnull=True,
        ).order_by("-voting_closed_at", "-pk").first()
    )


@transaction.atomic
def officer_exception_approve(*, actor, motion):
    """The secretariat approves an officer exception the council passed (000 art. 15: 须经理事会表决通过，报秘书处
    批准同意后，方可任职); the second of the two recorded steps."""
    motion = Motion.objects.select_for_update(of=("self",)).select_related("meeting__body__alliance").get(pk=motion.pk)
    require_manage_alliance(actor, motion.meeting.body.alliance)
    if motion.kind != Motion.Kind.OFFICER_EXCEPTION or motion.status != Motion.Status.PASSED:
        raise ValidationError(_("只有表决通过的负责人任职例外议案才能报秘书处批准。"))
    if motion.approved_at is not None:
        raise ValidationError(_("该任职例外已经秘书处批准同意。"))
    motion.approved_by, motion.approved_at = actor, timezone.now()
    with_history(motion, actor=actor, reason="秘书处批准同意任职例外").save(update_fields=["approved_by", "approved_at"])
    return motion


def officer_conditions_for(*, alliance, role):
    """The conditions people attest for an officer of this role (000 art. 14 (一)(二)(四)(五)(六)): the alliance's
    OfficerCondition rows for the chair, vice-chairs and secretary-general, none for any other role."""
    if role not in Seat.OFFICER_ROLES:
        return OfficerCondition.objects.none()
    return OfficerCondition.objects.filter(alliance=alliance)


def _attest(seat, *, actor, conditions_confirmed):
    """Record who confirmed each condition the seat's holder must meet, refusing while one is not confirmed."""
    required = list(officer_conditions_for(alliance=seat.body.alliance, role=seat.role))
    done = set(seat.attestations.values_list("condition_id", flat=True)) if seat.pk else set()
    confirmed = {condition.pk for condition in conditions_confirmed} | done
    missing = [condition for condition in required if condition.pk not in confirmed]
    if missing:
        names = _("；").join(f"{condition.article} {condition.text}" for condition in missing)
        raise IneligibleSeat({"conditions_confirmed": _("请逐项确认该人选具备以下任职条件后再任职：%(names)s。") % {"names": names}})
    if required and (actor is None or not can_manage_alliance(actor, seat.body.alliance)):
        raise IneligibleSeat({"conditions_confirmed": _("任职条件须由本联盟秘书处确认。")})
    return [condition for condition in required if condition.pk not in done]


def _attestations_save(seat, conditions, *, actor):
    now = timezone.now()
    SeatAttestation.objects.bulk_create(
        [SeatAttestation(seat=seat, condition=condition, confirmed_by=actor, confirmed_at=now)
         for condition in conditions])


@transaction.atomic
def seat_fill(
    *, actor, body, role, start_date, person_name="", unit_name="", user=None, title="", birth_date=None,
    end_date=None, exception_motion=None, term_extension=False, elected_by=None, reason="", order=0, member=None,
    conditions_confirmed=(),
):
    """Seat someone in a body after checking the officer rules on the start date (seat_eligibility).

    ``term_extension``: the acting secretariat staff approve a term beyond the charter's (000 art. 16). A rotating
    chair takes the secretariat with them (002 art. 6). ``conditions_confirmed``: the OfficerCondition rows the
    acting staff confirm the holder meets; an officer is seated only when every condition of art. 14 is confirmed.
    """
    # The body's row lock keeps two fills of the same role from counting the same earlier terms.
    body = Body.objects.select_for_update(of=("self",)).select_related("alliance__rules").get(pk=body.pk)
    term_number, end_date, exception_motion, extended = seat_eligibility(
        body=body, role=role, start_date=start_date, end_date=end_date, birth_date=birth_date, user=user,
        person_name=person_name, unit_name=unit_name, exception_motion=exception_motion,
        term_extension=term_extension,
    )
    seat = Seat(
        body=body, role=role, person_name=person_name, unit_name=unit_name, user=user, title=title,
        start_date=start_date, end_date=end_date, birth_date=birth_date, term_number=term_number,
        exception_motion=exception_motion, elected_by=elected_by, order=order, member=member,
    )
    _extension_approval(seat, actor=actor, extended=extended)
    if effects.seat_right_suspended(seat, effects.RIGHT_STAND):
        raise IneligibleSeat(_("该人选所代表的成员单位已被取消被选举权，不能任职。"))
    attesting = _attest(seat, actor=actor, conditions_confirmed=conditions_confirmed)
    checked_and_saved(seat, actor=actor, reason=reason or f"任职：{seat.get_role_display()}")
    _attestations_save(seat, attesting, actor=actor)
    if role == Seat.Role.ROTATING_CHAIR and seat.unit_name:
        _secretariat_follows_chair(chair=seat, actor=actor)
    return seat


# What staff may set on a seat (the term number is counted, the electing motion is the vote's).
SEAT_FIELDS = ("role", "person_name", "unit_name", "member", "user", "title", "start_date", "end_date", "birth_date",
               "exception_motion", "order")


@transaction.atomic
def seat_update(*, actor, seat, reason="", term_extension=None, conditions_confirmed=(), **values):
    """Change a seat, checking the officer rules again (seat_eligibility) on the values it will have.

    ``term_extension`` True: the acting secretariat staff approve the term as it will be (000 art. 16); left out,
    an approval given before stands while the seat's role and term stay as they were approved.
    A seat whose start is moved back while a vote of its body is open does not join that vote: the roll was
    frozen when the vote opened (votes.py).
    """
    if set(values) - set(SEAT_FIELDS):
        raise TypeError(f"seat_update() does not set {sorted(set(values) - set(SEAT_FIELDS))}")
    # The body's row first, as seat_fill takes it.
    body = Body.objects.select_for_update(of=("self",)).select_related("alliance__rules").get(pk=seat.body_id)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    approved_term = (seat.role, seat.start_date, seat.end_date)
    for name, value in values.items():
        setattr(seat, name, value)
    kept = seat.extension_approved_at is not None and (seat.role, seat.start_date, seat.end_date) == approved_term
    seat.term_number, seat.end_date, seat.exception_motion, extended = seat_eligibility(
        body=body, role=seat.role, start_date=seat.start_date, end_date=seat.end_date, birth_date=seat.birth_date,
        user=seat.user, person_name=seat.person_name, unit_name=seat.unit_name,
        exception_motion=seat.exception_motion, term_extension=kept if term_extension is None else term_extension,
        exclude_pk=seat.pk,
    )
    if not (extended and kept and term_extension is None):
        _extension_approval(seat, actor=actor, extended=extended)
    attesting = _attest(seat, actor=actor, conditions_confirmed=conditions_confirmed)
    checked_and_saved(seat, actor=actor, reason=reason or f"修改任职：{seat.get_role_display()}")
    _attestations_save(seat, attesting, actor=actor)
    return seat


@transaction.atomic
def seat_end(*, actor, seat, end_date, reason):
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.end_date is None or seat.end_date > end_date:
        seat.end_date = max(end_date, seat.start_date)
        with_history(seat, actor=actor, reason=reason).save(update_fields=["end_date"])
    return seat


@transaction.atomic
def seat_delete(*, actor, seat):
    """Remove a seat entered by mistake; a seat that has attended or voted is part of the record."""
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.ballots.exists() or seat.attendances.exists():
        raise ValidationError(_("该任职已有出席或表决记录，不能删除；任期结束请填写任期结束日期。"))
    with_history(seat, actor=actor, reason="删除误录的任职").delete()


def rotating_chair_next(*, body, on):
    """Which member centre proposes the next rotating chair, and for which term (002 art. 6).

    The centres are the units represented on the council, in the council's order; the turn passes to
    the centre after the one that held the chair last.
    """
    years = body.alliance.rules.rotating_chair_years
    if not years:
        raise ValidationError(_("本联盟章程未实行轮值主席制度。"))
    units = []
    for unit in (
        Seat.objects.in_office(on=on).filter(body=body).exclude(unit_name="")
        .exclude(role=Seat.Role.ROTATING_CHAIR).order_by("order", "pk").values_list("unit_name", flat=True)
    ):
        if unit not in units:
            units.append(unit)
    if not units:
        raise ValidationError(_("理事会暂无成员单位代表，无法确定轮值顺序。"))
    last = Seat.objects.filter(body=body, role=Seat.Role.ROTATING_CHAIR).order_by("-start_date", "-pk").first()
    if last is None or last.unit_name not in units:
        unit = units[0]
    else:
        unit = units[(units.index(last.unit_name) + 1) % len(units)]
    start = on
    if last is not None and last.end_date and last.end_date >= on:
        start = last.end_date + datetime.timedelta(days=1)
    return {"unit_name": unit, "start_date": start, "end_date": _term_end(start, years)}


def _secretariat_follows_chair(*, chair, actor):
    """002 art. 6: 秘书处办公地点设在轮值主席所在成员单位，秘书长由轮值主席所在成员单位推荐人选. When the chair
    passes to a centre, the secretariat's secretary-general seat passes to that centre for the chair's term:
    the previous centre's ends the day before, and the new one is held by the centre until the person it
    nominates is entered (seat_update)."""
    secretariat = Body.objects.filter(alliance=chair.body.alliance_id, kind=Body.Kind.SECRETARIAT).order_by(
        "order", "pk").first()
    if secretariat is None:
        return
    reason = f"轮值主席由{chair.unit_name}担任，秘书处随之设在{chair.unit_name}（第六条）"
    in_office = Seat.objects.in_office(on=chair.start_date).filter(
        body=secretariat, role=Seat.Role.SECRETARY_GENERAL)
    for seat in in_office.exclude(unit_name=chair.unit_name).order_by("pk"):
        seat_end(actor=actor, seat=seat, end_date=chair.start_date - datetime.timedelta(days=1), reason=reason)
    if not in_office.filter(unit_name=chair.unit_name).exists():
        seat_fill(actor=actor, body=secretariat, role=Seat.Role.SECRETARY_GENERAL, start_date=chair.start_date,
                  end_date=chair.end_date, unit_name=chair.unit_name, title="秘书长人选由本单位推荐",
                  reason=reason)


@transaction.atomic
def rotating_chair_motion_create(*, actor, meeting):
    """Put the next centre's turn as rotating chair on the meeting's agenda as an election motion."""
    from .votes import motion_create

    proposal = rotating_chair_next(body=meeting.body, on=meeting.date)
    return motion_create(
        actor=actor, meeting=meeting, kind=Motion.Kind.ELECT_OFFICER,
        title=f"推举{proposal['unit_name']}担任轮值主席",
        text=(
            f"按照成员单位轮流担任的顺序，由{proposal['unit_name']}推荐人选担任理事会轮值主席，"
            f"任期自{cn_date(proposal['start_date'])}至{cn_date(proposal['end_date'])}。"
        ),
        officer_role=Seat.Role.ROTATING_CHAIR, officer_unit=proposal["unit_name"],
        officer_start_date=proposal["start_date"],
    )
