"""Officer rules checked when a seat is filled (000 arts. 14–16) and the rotating chair (002 art. 6)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance import services
from governance.models import Body, Motion, Seat
from governance.tests.factories import BodyFactory, MeetingFactory, SeatFactory
from governance.tests.helpers import sign_in_sheet


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


OVER_AGE = datetime.date(1950, 1, 1)


def _passed_exception(body, *, approve=True, **fields):
    """The council's passed exception for 陈莉 as chair from START; with approve, the secretariat's approval."""
    from alliance.tests.factories import staff_of
    from governance.tests.factories import MotionFactory, UserFactory

    seats = [SeatFactory(body=body, user=UserFactory(), role=Seat.Role.DIRECTOR) for _ in range(3)]
    fields = {"officer_name": "陈莉", "officer_start_date": START, **fields}
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
    if approve:
        motion = services.officer_exception_approve(actor=staff_of(body.alliance), motion=motion)
    return motion


def test_an_over_age_seat_with_only_the_council_vote_is_refused(council):
    motion = _passed_exception(council, approve=False)
    with pytest.raises(services.IneligibleSeat, match="尚未报经秘书处批准同意"):
        fill(council, born=OVER_AGE, exception_motion=motion)
    assert not Seat.objects.filter(body=council, role=Seat.Role.CHAIR).exists()


def test_an_over_age_seat_is_accepted_after_the_secretariats_approval(council):
    from alliance.tests.factories import staff_of

    motion = _passed_exception(council, approve=False)
    staff = staff_of(council.alliance)
    motion = services.officer_exception_approve(actor=staff, motion=motion)
    assert (motion.approved_by, motion.approved_at is not None) == (staff, True)
    assert motion.history.latest("history_id").history_change_reason == "秘书处批准同意任职例外"
    seat = fill(council, born=OVER_AGE, exception_motion=motion)
    assert seat.exception_motion == motion


def test_the_secretariat_of_another_alliance_cannot_approve_an_exception(council):
    from django.core.exceptions import PermissionDenied

    from alliance.tests.factories import AllianceFactory, staff_of

    motion = _passed_exception(council, approve=False)
    with pytest.raises(PermissionDenied):
        services.officer_exception_approve(actor=staff_of(AllianceFactory()), motion=motion)


def test_an_exception_that_failed_cannot_be_approved(council):
    from alliance.tests.factories import staff_of

    motion = _passed_exception(council, approve=False)
    Motion.objects.filter(pk=motion.pk).update(status=Motion.Status.FAILED)
    with pytest.raises(ValidationError, match="表决通过的负责人任职例外议案"):
        services.officer_exception_approve(actor=staff_of(council.alliance), motion=motion)


def test_an_exception_allows_one_seat_only(council):
    motion = _passed_exception(council)
    first = fill(council, born=OVER_AGE, exception_motion=motion)
    services.seat_end(actor=None, seat=first, end_date=datetime.date(2026, 3, 1), reason="辞职")
    with pytest.raises(services.IneligibleSeat, match="只能使用一次"):
        fill(council, born=OVER_AGE, exception_motion=motion)
    assert services.officer_exception_for(body=council, role=Seat.Role.CHAIR, person_name="陈莉",
                                          start_date=START) is None


def test_an_exception_from_another_alliance_is_refused(council):
    other = BodyFactory()
    for name in ("officer_age_limit", "officer_term_years", "officer_max_terms"):
        setattr(other.alliance.rules, name, getattr(council.alliance.rules, name))
    other.alliance.rules.save()
    foreign = _passed_exception(other)
    with pytest.raises(services.IneligibleSeat, match="不属于本联盟"):
        fill(council, born=OVER_AGE, exception_motion=foreign)


def test_an_exception_voted_by_a_body_other_than_the_council_is_refused(council):
    committee = BodyFactory(alliance=council.alliance, kind=Body.Kind.EXPERT_COMMITTEE, name="专家委员会")
    motion = _passed_exception(committee)
    with pytest.raises(services.IneligibleSeat, match="须经本联盟理事会表决通过"):
        fill(council, born=OVER_AGE, exception_motion=motion)


def test_an_exception_for_another_person_does_not_allow_the_seat(council):
    motion = _passed_exception(council, officer_name="王陆")
    with pytest.raises(services.IneligibleSeat, match="另一位人选"):
        fill(council, born=OVER_AGE, exception_motion=motion)


def test_an_exception_for_another_term_does_not_allow_the_seat(council):
    motion = _passed_exception(council)
    with pytest.raises(services.IneligibleSeat, match="2026年1月1日起的任期"):
        fill(council, born=OVER_AGE, start=datetime.date(2026, 7, 1), exception_motion=motion)


def test_an_elected_officer_over_the_age_limit_takes_the_approved_exception(council):
    from governance.tests.factories import MotionFactory

    exception = _passed_exception(council)
    election = MotionFactory(meeting=MeetingFactory(body=council, date=START), kind=Motion.Kind.ELECT_OFFICER,
                             officer_role=Seat.Role.CHAIR, officer_name="陈莉", officer_birth_date=OVER_AGE,
                             officer_start_date=START)
    voters = list(Seat.objects.filter(body=council, role=Seat.Role.DIRECTOR))
    sign_in_sheet(election.meeting, voters)
    services.vote_open(actor=None, motion=election)
    for seat in voters:
        services.ballot_cast(actor=seat.user, motion=election, choice="for")
    services.vote_close(actor=None, motion=election)
    chair = Seat.objects.get(body=council, role=Seat.Role.CHAIR)
    assert (chair.exception_motion, chair.elected_by) == (exception, election)


def test_a_term_extension_is_allowed_by_the_secretariats_approval_alone(council):
    from alliance.tests.factories import staff_of

    longer = datetime.date(2030, 6, 30)
    with pytest.raises(services.IneligibleSeat, match="经秘书处批准同意"):
        fill(council, born=datetime.date(1970, 1, 1), end_date=longer)
    staff = staff_of(council.alliance)
    seat = services.seat_fill(actor=staff, body=council, role=Seat.Role.CHAIR, start_date=START, person_name="陈莉",
                              birth_date=datetime.date(1970, 1, 1), end_date=longer, term_extension=True)
    assert (seat.end_date, seat.extension_approved_by, seat.exception_motion) == (longer, staff, None)
    assert not Motion.objects.filter(meeting__body=council).exists()  # no council vote was needed


def test_a_term_extension_approved_by_someone_outside_the_secretariat_is_refused(council):
    from alliance.tests.factories import AllianceFactory, staff_of

    with pytest.raises(services.IneligibleSeat, match="本联盟秘书处批准"):
        services.seat_fill(actor=staff_of(AllianceFactory()), body=council, role=Seat.Role.CHAIR, start_date=START,
                           person_name="陈莉", birth_date=datetime.date(1970, 1, 1),
                           end_date=datetime.date(2030, 6, 30), term_extension=True)


def test_a_term_extension_does_not_excuse_an_officer_over_the_age_limit(council):
    from alliance.tests.factories import staff_of

    with pytest.raises(services.IneligibleSeat, match="须经理事会表决通过任职例外议案"):
        services.seat_fill(actor=staff_of(council.alliance), body=council, role=Seat.Role.CHAIR, start_date=START,
                           person_name="陈莉", birth_date=OVER_AGE, term_extension=True)


def test_moving_an_extended_term_needs_the_approval_again(council):
    from alliance.tests.factories import staff_of

    staff = staff_of(council.alliance)
    seat = services.seat_fill(actor=staff, body=council, role=Seat.Role.CHAIR, start_date=START, person_name="陈莉",
                              birth_date=datetime.date(1970, 1, 1), end_date=datetime.date(2030, 6, 30),
                              term_extension=True)
    assert services.seat_update(actor=staff, seat=seat, title="教授").extension_approved_by == staff
    with pytest.raises(services.IneligibleSeat, match="经秘书处批准同意"):
        services.seat_update(actor=staff, seat=seat, end_date=datetime.date(2031, 6, 30))


def test_a_second_term_is_allowed_and_a_third_is_refused(council):
    born = datetime.date(1970, 5, 1)
    first = fill(council, born=born)
    second = fill(council, born=born, start=first.end_date + datetime.timedelta(days=1))
    assert second.term_number == 2
    with pytest.raises(services.IneligibleSeat, match="将是第 3 届"):
        fill(council, born=born, start=second.end_date + datetime.timedelta(days=1))


def test_two_terms_with_a_gap_count_as_two_and_a_third_is_refused(council):
    """000 art. 16: 任期最长不得超过两届 limits the terms held in the role, back to back or not."""
    born = datetime.date(1970, 5, 1)
    first = fill(council, born=born)
    later = fill(council, born=born, start=first.end_date + datetime.timedelta(days=400))
    assert later.term_number == 2
    with pytest.raises(services.IneligibleSeat, match="将是第 3 届"):
        fill(council, born=born, start=later.end_date + datetime.timedelta(days=800))


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
    sign_in_sheet(meeting, seats)
    services.vote_open(actor=None, motion=motion)
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    services.vote_close(actor=None, motion=motion)
    chair = Seat.objects.get(body=body, role=Seat.Role.ROTATING_CHAIR)
    assert (chair.unit_name, chair.elected_by, chair.end_date) == ("中心0", motion, datetime.date(2026, 12, 31))


def test_the_rotating_chair_passing_moves_the_secretariat_and_its_secretary_general():
    """002 art. 6: 秘书处办公地点设在轮值主席所在成员单位，秘书长由轮值主席所在成员单位推荐人选."""
    body = BodyFactory()
    body.alliance.rules.rotating_chair_years = 1
    body.alliance.rules.save()
    secretariat = BodyFactory(alliance=body.alliance, kind=Body.Kind.SECRETARIAT, name="秘书处")
    services.seat_fill(actor=None, body=body, role=Seat.Role.ROTATING_CHAIR, start_date=START, unit_name="甲中心")
    first = Seat.objects.get(body=secretariat, role=Seat.Role.SECRETARY_GENERAL)
    assert (first.unit_name, first.start_date, first.end_date) == ("甲中心", START, datetime.date(2026, 12, 31))
    first = services.seat_update(actor=None, seat=first, person_name="张敏")  # the person 甲中心 nominates

    handover = datetime.date(2026, 7, 1)
    services.seat_fill(actor=None, body=body, role=Seat.Role.ROTATING_CHAIR, start_date=handover, unit_name="乙中心")
    first.refresh_from_db()
    assert first.end_date == datetime.date(2026, 6, 30)
    [now] = Seat.objects.in_office(on=handover).filter(body=secretariat, role=Seat.Role.SECRETARY_GENERAL)
    assert (now.unit_name, now.person_name, now.start_date) == ("乙中心", "", handover)
    assert now.history.get().history_change_reason == "轮值主席由乙中心担任，秘书处随之设在乙中心（第六条）"


def test_the_rotating_chair_is_refused_where_the_charter_has_none():
    with pytest.raises(ValidationError, match="未实行轮值"):
        services.rotating_chair_next(body=BodyFactory(), on=START)
