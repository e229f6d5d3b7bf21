"""Officer rules checked when a seat is filled (000 arts. 14–16) and the rotating chair (002 art. 6)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliance.tests.factories import staff_of

from governance import services
from governance.models import Motion, Seat
from governance.tests.factories import BodyFactory, MeetingFactory, SeatFactory

from .helpers import run_vote

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 1, 1)


@pytest.fixture
def council():
    body = BodyFactory()
    rules = body.alliance.rules
    rules.officer_age_limit, rules.officer_term_years, rules.officer_max_terms = 70, 4, 2
    rules.officer_rules_article = "第十四至十六条"
    rules.save()
    return body


def fill(body, *, born, start=START, **kwargs):
    return services.seat_fill(actor=None, body=body, role=Seat.Role.CHAIR, start_date=start, person_name="陈莉",
                              birth_date=born, **kwargs)


def test_an_officer_aged_70_on_the_start_date_is_seated(council):
    seat = fill(council, born=datetime.date(1956, 1, 1))
    assert seat.age_on(START) == 70
    assert seat.end_date == datetime.date(2029, 12, 31)  # a four-year term from the charter
    assert seat.term_number == 1 and seat.exception_motion is None


def test_an_officer_aged_71_needs_an_exception(council):
    with pytest.raises(services.IneligibleSeat) as exc:
        fill(council, born=datetime.date(1955, 1, 1))
    assert "71 岁" in str(exc.value)
    assert not Seat.objects.filter(body=council).exists()


def test_an_officer_who_turns_71_the_day_after_the_start_is_still_70(council):
    assert fill(council, born=datetime.date(1955, 1, 2)).age_on(START) == 70


def test_a_passed_exception_motion_allows_an_officer_over_the_age_limit(council):
    result = run_vote(in_office=3, present=3, votes_for=3)  # another council: exceptions must be ours
    foreign = result.motion
    foreign.kind = Motion.Kind.OFFICER_EXCEPTION
    foreign.save()
    with pytest.raises(services.IneligibleSeat, match="不属于本联盟"):
        fill(council, born=datetime.date(1950, 1, 1), exception_motion=foreign)

    motion = _passed_exception(council, officer_name="陈莉")
    seat = fill(council, born=datetime.date(1950, 1, 1), exception_motion=motion)
    assert seat.exception_motion == motion


def _passed_exception(body, **fields):
    from governance.tests.factories import MotionFactory, UserFactory

    seats = [SeatFactory(body=body, user=UserFactory(), role=Seat.Role.DIRECTOR) for _ in range(3)]
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.OFFICER_EXCEPTION,
                           officer_role=Seat.Role.CHAIR, **fields)
    for seat in seats:
        services.attendance_check_in(actor=seat.user, meeting=motion.meeting)
    services.vote_open(actor=None, motion=motion)
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    services.vote_close(actor=None, motion=motion)
    motion.refresh_from_db()
    assert motion.status == Motion.Status.PASSED
    return motion


def test_an_exception_motion_that_failed_does_not_allow_the_seat(council):
    motion = _passed_exception(council, officer_name="陈莉")
    Motion.objects.filter(pk=motion.pk).update(status=Motion.Status.FAILED)
    motion.refresh_from_db()
    with pytest.raises(services.IneligibleSeat, match="已通过"):
        fill(council, born=datetime.date(1950, 1, 1), exception_motion=motion)


def test_an_exception_for_another_person_does_not_allow_the_seat(council):
    motion = _passed_exception(council, officer_name="王陆")
    with pytest.raises(services.IneligibleSeat, match="另一位人选"):
        fill(council, born=datetime.date(1950, 1, 1), exception_motion=motion)


def test_a_second_consecutive_term_is_allowed_and_a_third_is_refused(council):
    born = datetime.date(1970, 5, 1)
    first = fill(council, born=born)
    second = fill(council, born=born, start=first.end_date + datetime.timedelta(days=1))
    assert second.term_number == 2
    with pytest.raises(services.IneligibleSeat, match="连续第 3 届"):
        fill(council, born=born, start=second.end_date + datetime.timedelta(days=1))


def test_a_term_after_a_gap_starts_the_count_again(council):
    born = datetime.date(1970, 5, 1)
    first = fill(council, born=born)
    later = fill(council, born=born, start=first.end_date + datetime.timedelta(days=400))
    assert later.term_number == 1


def test_a_term_longer_than_the_charter_needs_an_exception(council):
    with pytest.raises(services.IneligibleSeat, match="任期超过 4 年"):
        fill(council, born=datetime.date(1970, 1, 1), end_date=datetime.date(2030, 6, 30))


def test_an_officer_without_a_birth_date_cannot_be_checked_and_is_refused(council):
    with pytest.raises(ValidationError, match="出生日期"):
        fill(council, born=None)


def test_ordinary_directors_are_not_held_to_the_officer_limits(council):
    seat = services.seat_fill(actor=None, body=council, role=Seat.Role.DIRECTOR, start_date=START,
                              person_name="老理事", birth_date=datetime.date(1940, 1, 1))
    assert seat.end_date is None


def test_the_rotating_chair_passes_to_the_next_member_centre_in_turn():
    body = BodyFactory()
    body.alliance.rules.rotating_chair_years = 1
    body.alliance.rules.save()
    for order, unit in enumerate(["甲中心", "乙中心", "丙中心"]):
        SeatFactory(body=body, person_name="", unit_name=unit, order=order)
    first = services.rotating_chair_next(body=body, on=START)
    assert first == {"unit_name": "甲中心", "start_date": START, "end_date": datetime.date(2026, 12, 31)}
    services.seat_fill(actor=None, body=body, role=Seat.Role.ROTATING_CHAIR, start_date=START, unit_name="丙中心")
    proposal = services.rotating_chair_next(body=body, on=datetime.date(2026, 6, 1))
    assert proposal["unit_name"] == "甲中心"  # after the last centre the turn comes round again
    assert proposal["start_date"] == datetime.date(2027, 1, 1)


def test_a_rotating_chair_motion_seats_the_centre_when_it_passes():
    from governance.tests.factories import UserFactory

    body = BodyFactory()
    body.alliance.rules.rotating_chair_years = 1
    body.alliance.rules.save()
    seats = [SeatFactory(body=body, person_name="", unit_name=f"中心{i}", user=UserFactory(), order=i)
             for i in range(3)]
    meeting = MeetingFactory(body=body, date=START)
    motion = services.rotating_chair_motion_create(actor=None, meeting=meeting)
    assert motion.officer_unit == "中心0"
    staff, signed_in = staff_of(body.alliance), timezone.make_aware(datetime.datetime.combine(START, datetime.time(9)))
    for seat in seats:  # the secretariat writes up the sign-in sheet of the meeting
        services.attendance_check_in(actor=staff, meeting=meeting, seat=seat, checked_in_at=signed_in)
    services.vote_open(actor=None, motion=motion)
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    services.vote_close(actor=None, motion=motion)
    chair = Seat.objects.get(body=body, role=Seat.Role.ROTATING_CHAIR)
    assert (chair.unit_name, chair.elected_by, chair.end_date) == ("中心0", motion, datetime.date(2026, 12, 31))


def test_the_rotating_chair_is_refused_where_the_charter_has_none():
    with pytest.raises(ValidationError, match="未实行轮值"):
        services.rotating_chair_next(body=BodyFactory(), on=START)
