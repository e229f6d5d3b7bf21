"""Filling seats under the charter's officer rules (000 arts. 14–16) and the rotating chair (002 art. 6)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from alliance.services import checked_and_saved, with_history
from governance import effects
from governance.models import Body, Motion, Seat, age_on


class IneligibleSeat(ValidationError):
    """The seat breaks a charter limit and no passed exception motion allows it."""


def _term_end(start_date, years):
    """The last day of a term of ``years`` years starting on start_date."""
    try:
        anniversary = start_date.replace(year=start_date.year + years)
    except ValueError:  # 29 February
        anniversary = start_date.replace(year=start_date.year + years, day=28) + datetime.timedelta(days=1)
    return anniversary - datetime.timedelta(days=1)


def _previous_term(*, body, role, start_date, user, person_name, unit_name, exclude_pk=None):
    """The holder's seat in the same role that ends the day before (or after) this one starts."""
    seats = Seat.objects.filter(
        body=body, role=role, start_date__lt=start_date, end_date__gte=start_date - datetime.timedelta(days=1)
    ).exclude(pk=exclude_pk)
    if user is not None:
        seats = seats.filter(user=user)
    else:
        seats = seats.filter(person_name=person_name, unit_name=unit_name)
    return seats.order_by("-end_date", "-pk").first()


def seat_breaches(*, body, role, start_date, end_date, birth_date, term_number):
    """The charter limits this seat breaks, as Chinese sentences citing the rule (empty when none)."""
    rules = body.alliance.rules
    article = rules.officer_rules_article
    breaches = []
    if role not in Seat.OFFICER_ROLES:
        return breaches
    if rules.officer_age_limit and birth_date is not None:
        age = age_on(birth_date, start_date)
        if age > rules.officer_age_limit:
            breaches.append(f"任期开始时年满 {age} 岁，超过最高任职年龄 {rules.officer_age_limit} 岁（{article}）。")
    years = rules.rotating_chair_years if role == Seat.Role.ROTATING_CHAIR else rules.officer_term_years
    if years and end_date and end_date > _term_end(start_date, years):
        breaches.append(f"任期超过 {years} 年（{article}）。")
    if rules.officer_max_terms and role != Seat.Role.ROTATING_CHAIR and term_number > rules.officer_max_terms:
        breaches.append(f"将是连续第 {term_number} 届，超过最多 {rules.officer_max_terms} 届（{article}）。")
    return breaches


def _check_exception(*, exception_motion, body, person_name):
    if exception_motion.kind != Motion.Kind.OFFICER_EXCEPTION or exception_motion.status != Motion.Status.PASSED:
        raise IneligibleSeat("所引用的议案不是已通过的负责人任职例外议案。")
    if exception_motion.meeting.body.alliance_id != body.alliance_id:
        raise IneligibleSeat("所引用的例外议案不属于本联盟。")
    if exception_motion.officer_name and exception_motion.officer_name != person_name:
        raise IneligibleSeat("所引用的例外议案针对的是另一位人选。")


def seat_eligibility(*, body, role, start_date, end_date=None, birth_date=None, user=None, person_name="",
                     unit_name="", exception_motion=None, exclude_pk=None):
    """Check a seat against the officer rules; returns (term_number, end_date, exception or None).

    The term defaults to the charter's length; the term number counts the holder's seats in the same role
    that follow one another without a gap. A seat breaking a limit needs ``exception_motion``: a passed
    motion of kind OFFICER_EXCEPTION (000 art. 15). Raises IneligibleSeat otherwise.
    """
    rules = body.alliance.rules
    if role in Seat.OFFICER_ROLES and rules.officer_age_limit and birth_date is None:
        raise ValidationError({"birth_date": "请填写出生日期，以核对任职年龄（%s）。" % rules.officer_rules_article})
    years = rules.rotating_chair_years if role == Seat.Role.ROTATING_CHAIR else rules.officer_term_years
    if end_date is None and role in Seat.OFFICER_ROLES and years:
        end_date = _term_end(start_date, years)
    previous = body.pk and _previous_term(
        body=body, role=role, start_date=start_date, user=user, person_name=person_name, unit_name=unit_name,
        exclude_pk=exclude_pk,
    )
    term_number = previous.term_number + 1 if previous else 1
    breaches = seat_breaches(
        body=body, role=role, start_date=start_date, end_date=end_date, birth_date=birth_date, term_number=term_number
    )
    if breaches and exception_motion is None:
        raise IneligibleSeat(breaches + ["须经理事会表决通过任职例外议案后方可任职。"])
    if breaches:
        _check_exception(exception_motion=exception_motion, body=body, person_name=person_name)
    return term_number, end_date, (exception_motion if breaches else None)


@transaction.atomic
def seat_fill(
    *, actor, body, role, start_date, person_name="", unit_name="", user=None, title="", birth_date=None,
    end_date=None, exception_motion=None, elected_by=None, reason="", order=0, member=None,
):
    """Seat someone in a body after checking the officer rules on the start date (seat_eligibility)."""
    # The body's row lock keeps two fills of the same role from counting the same previous term.
    body = Body.objects.select_for_update(of=("self",)).select_related("alliance__rules").get(pk=body.pk)
    term_number, end_date, exception_motion = seat_eligibility(
        body=body, role=role, start_date=start_date, end_date=end_date, birth_date=birth_date, user=user,
        person_name=person_name, unit_name=unit_name, exception_motion=exception_motion,
    )
    seat = Seat(
        body=body, role=role, person_name=person_name, unit_name=unit_name, user=user, title=title,
        start_date=start_date, end_date=end_date, birth_date=birth_date, term_number=term_number,
        exception_motion=exception_motion, elected_by=elected_by, order=order, member=member,
    )
    if effects.seat_right_suspended(seat, effects.RIGHT_STAND):
        raise IneligibleSeat("该人选所代表的成员单位已被取消被选举权，不能任职。")
    checked_and_saved(seat, actor=actor, reason=reason or f"任职：{seat.get_role_display()}")
    return seat


# What staff may set on a seat (the term number is counted, the electing motion is the vote's).
SEAT_FIELDS = ("role", "person_name", "unit_name", "member", "user", "title", "start_date", "end_date", "birth_date",
               "exception_motion", "order")


@transaction.atomic
def seat_update(*, actor, seat, reason="", **values):
    """Change a seat, checking the officer rules again (seat_eligibility) on the values it will have.

    A seat whose start is moved back while a vote of its body is open does not join that vote: the roll was
    frozen when the vote opened (votes.py).
    """
    if set(values) - set(SEAT_FIELDS):
        raise TypeError(f"seat_update() does not set {sorted(set(values) - set(SEAT_FIELDS))}")
    # The body's row first, as seat_fill takes it.
    body = Body.objects.select_for_update(of=("self",)).select_related("alliance__rules").get(pk=seat.body_id)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    for name, value in values.items():
        setattr(seat, name, value)
    seat.term_number, seat.end_date, seat.exception_motion = seat_eligibility(
        body=body, role=seat.role, start_date=seat.start_date, end_date=seat.end_date, birth_date=seat.birth_date,
        user=seat.user, person_name=seat.person_name, unit_name=seat.unit_name,
        exception_motion=seat.exception_motion, exclude_pk=seat.pk,
    )
    checked_and_saved(seat, actor=actor, reason=reason or f"修改任职：{seat.get_role_display()}")
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
        raise ValidationError("该任职已有出席或表决记录，不能删除；任期结束请填写任期结束日期。")
    with_history(seat, actor=actor, reason="删除误录的任职").delete()


def _cn_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def rotating_chair_next(*, body, on):
    """Which member centre proposes the next rotating chair, and for which term (002 art. 6).

    The centres are the units represented on the council, in the council's order; the turn passes to
    the centre after the one that held the chair last.
    """
    years = body.alliance.rules.rotating_chair_years
    if not years:
        raise ValidationError("本联盟章程未实行轮值主席制度。")
    units = []
    for unit in (
        Seat.objects.in_office(on=on).filter(body=body).exclude(unit_name="")
        .exclude(role=Seat.Role.ROTATING_CHAIR).order_by("order", "pk").values_list("unit_name", flat=True)
    ):
        if unit not in units:
            units.append(unit)
    if not units:
        raise ValidationError("理事会暂无成员单位代表，无法确定轮值顺序。")
    last = Seat.objects.filter(body=body, role=Seat.Role.ROTATING_CHAIR).order_by("-start_date", "-pk").first()
    if last is None or last.unit_name not in units:
        unit = units[0]
    else:
        unit = units[(units.index(last.unit_name) + 1) % len(units)]
    start = on
    if last is not None and last.end_date and last.end_date >= on:
        start = last.end_date + datetime.timedelta(days=1)
    return {"unit_name": unit, "start_date": start, "end_date": _term_end(start, years)}


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
            f"任期自{_cn_date(proposal['start_date'])}至{_cn_date(proposal['end_date'])}。"
        ),
        officer_role=Seat.Role.ROTATING_CHAIR, officer_unit=proposal["unit_name"],
        officer_start_date=proposal["start_date"],
    )
