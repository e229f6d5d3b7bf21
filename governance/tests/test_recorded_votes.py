"""Votes the secretariat records: each director's ballot, or the totals of a show of hands (000 art. 12)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from alliance.tests.factories import AllianceFactory, staff_of
from governance import services
from governance.models import Ballot, Candidate, Motion, Seat
from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, SeatFactory, council_with_directors
from governance.tests.helpers import check_in

pytestmark = pytest.mark.django_db


def _six_centres():
    """A GZ-like council: six member centres, their representatives without accounts."""
    body = BodyFactory()
    seats = [SeatFactory(body=body, person_name="", unit_name=f"第{i}教师发展中心", order=i) for i in range(6)]
    return body, seats, staff_of(body.alliance, name="秘书处王老师")


def _record_present(staff, meeting, seats):
    for seat in seats:
        services.attendance_check_in(actor=staff, meeting=meeting, seat=seat)


@pytest.fixture
def open_motion():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    motion = services.vote_open(actor=None, motion=motion)
    return motion, seats, staff_of(body.alliance)


def test_staff_recorded_ballots_let_a_council_without_accounts_pass_a_motion():
    body, seats, staff = _six_centres()
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    _record_present(staff, motion.meeting, seats)
    services.vote_open(actor=staff, motion=motion)
    for seat in seats:
        _ballot, created = services.ballot_record(actor=staff, motion=motion, seat=seat, choice="for")
        assert created
    result = services.vote_close(actor=staff, motion=motion)
    assert (result.present, result.votes_for, result.passed) == (6, 6, True)
    assert (result.counting, result.recorded_ballots, result.recorded_by) == ("ballots", 6, "秘书处王老师")
    ballot = Ballot.objects.filter(motion=motion).first()
    assert ballot.voter is None and ballot.recorded_by == staff


def test_staff_record_an_election_ballot_with_the_candidates_chosen():
    body, seats, staff = _six_centres()
    body.alliance.rules.officer_age_limit = None
    body.alliance.rules.save()
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=1)
    cand = Candidate.objects.create(motion=motion, person_name="", unit_name="第0教师发展中心",
                                    role=Seat.Role.ROTATING_CHAIR)
    _record_present(staff, motion.meeting, seats)
    services.vote_open(actor=staff, motion=motion)
    for seat in seats:
        services.ballot_record(actor=staff, motion=motion, seat=seat, choice="", candidate_ids=[cand.pk])
    result = services.vote_close(actor=staff, motion=motion)
    assert result.passed and result.tally[0]["elected"]


def test_staff_may_correct_a_ballot_they_recorded_while_the_vote_is_open(open_motion):
    motion, seats, staff = open_motion
    services.ballot_record(actor=staff, motion=motion, seat=seats[0], choice="against")
    ballot, created = services.ballot_record(actor=staff, motion=motion, seat=seats[0], choice="for")
    assert not created and ballot.choice == "for"
    assert Ballot.objects.filter(motion=motion).count() == 1
    assert [h.history_change_reason for h in ballot.history.order_by("history_date")] == ["登记表决票", "修改登记的表决票"]


def test_a_director_who_voted_on_the_web_is_not_recorded_again_by_staff(open_motion):
    motion, seats, staff = open_motion
    services.ballot_cast(actor=seats[0].user, motion=motion, choice="for")
    with pytest.raises(ValidationError, match="已在网上投票") as refused:
        services.ballot_record(actor=staff, motion=motion, seat=seats[0], choice="against")
    assert "seat" in refused.value.error_dict
    assert Ballot.objects.get(motion=motion).choice == "for"


def test_a_director_whose_ballot_staff_recorded_cannot_vote_again_on_the_web(open_motion):
    motion, seats, staff = open_motion
    services.ballot_record(actor=staff, motion=motion, seat=seats[0], choice="for")
    with pytest.raises(services.VoteRefused, match="秘书处已登记"):
        services.ballot_cast(actor=seats[0].user, motion=motion, choice="against")
    ballot = Ballot.objects.get(motion=motion)
    assert (ballot.choice, ballot.voter, ballot.recorded_by) == ("for", seats[0].user, staff)


def test_a_director_with_two_seats_is_recorded_once(open_motion):
    motion, seats, staff = open_motion
    second = SeatFactory(body=motion.meeting.body, user=seats[0].user, role=Seat.Role.VICE_CHAIR)
    services.ballot_record(actor=staff, motion=motion, seat=second, choice="for")
    services.ballot_record(actor=staff, motion=motion, seat=seats[0], choice="against")
    assert Ballot.objects.get(motion=motion).choice == "against"


def test_staff_cannot_record_a_ballot_for_a_director_not_recorded_present():
    body, seats, staff = _six_centres()
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    _record_present(staff, motion.meeting, seats[:5])
    services.vote_open(actor=staff, motion=motion)
    with pytest.raises(services.VoteRefused, match="未登记出席"):
        services.ballot_record(actor=staff, motion=motion, seat=seats[5], choice="for")


def test_staff_cannot_record_a_ballot_for_a_seat_filled_after_the_opening(open_motion):
    motion, _seats, staff = open_motion
    late = SeatFactory(body=motion.meeting.body, person_name="", unit_name="新中心")
    services.attendance_check_in(actor=staff, meeting=motion.meeting, seat=late)
    with pytest.raises(services.VoteRefused, match="表决开始时不在任"):
        services.ballot_record(actor=staff, motion=motion, seat=late, choice="for")


def test_staff_cannot_record_a_ballot_for_a_seat_of_another_body(open_motion):
    motion, _seats, staff = open_motion
    other = SeatFactory(body=BodyFactory(alliance=motion.meeting.body.alliance))
    with pytest.raises(ValidationError, match="不属于表决的机构"):
        services.ballot_record(actor=staff, motion=motion, seat=other, choice="for")


def test_staff_of_another_alliance_cannot_record_a_ballot(open_motion):
    motion, seats, _staff = open_motion
    with pytest.raises(PermissionDenied):
        services.ballot_record(actor=staff_of(AllianceFactory()), motion=motion, seat=seats[0], choice="for")
    assert not Ballot.objects.exists()


def test_one_ballot_per_seat_is_a_database_constraint(open_motion):
    motion, seats, staff = open_motion
    seat = SeatFactory(body=motion.meeting.body, person_name="", unit_name="某中心")
    now = timezone.now()
    Ballot.objects.create(motion=motion, seat=seat, choice="for", cast_at=now, changed_at=now, recorded_by=staff)
    with pytest.raises(IntegrityError):
        Ballot.objects.create(motion=motion, seat=seat, choice="against", cast_at=now, changed_at=now,
                              recorded_by=staff)


# --- Show of hands -------------------------------------------------------------------------------------

def _show_of_hands(present=5):
    body, seats, staff = _six_centres()
    motion = MotionFactory(meeting=MeetingFactory(body=body), counting=Motion.Counting.SHOW_OF_HANDS)
    _record_present(staff, motion.meeting, seats[:present])
    return services.vote_open(actor=staff, motion=motion), seats, staff


def test_a_show_of_hands_passes_from_the_totals_the_tellers_counted():
    motion, _seats, staff = _show_of_hands(present=5)
    services.show_of_hands_record(actor=staff, motion=motion, votes_for=4, votes_against=1, abstentions=0,
                                  tellers="李明、张华")
    result = services.vote_close(actor=staff, motion=motion)
    assert (result.in_office, result.present, result.votes_for, result.votes_against, result.not_voting) == (
        6, 5, 4, 1, 0)
    assert (result.base, result.quorum_threshold, result.pass_threshold, result.passed) == (5, 4, 4, True)
    assert (result.counting, result.tellers, result.recorded_by) == ("show_of_hands", "李明、张华", "秘书处王老师")


def test_directors_present_who_raise_no_hand_count_as_not_voting():
    motion, _seats, staff = _show_of_hands(present=6)
    services.show_of_hands_record(actor=staff, motion=motion, votes_for=3, votes_against=0, abstentions=1,
                                  tellers="李明")
    result = services.vote_close(actor=staff, motion=motion)
    assert (result.not_voting, result.base, result.passed) == (2, 6, False)


def test_show_of_hands_totals_over_the_number_present_are_refused():
    motion, _seats, staff = _show_of_hands(present=5)
    with pytest.raises(ValidationError, match="不能超过出席理事人数（5 人）"):
        services.show_of_hands_record(actor=staff, motion=motion, votes_for=4, votes_against=1, abstentions=1,
                                      tellers="李明")
    with pytest.raises(ValidationError, match="负数"):
        services.show_of_hands_record(actor=staff, motion=motion, votes_for=-1, votes_against=1, abstentions=0,
                                      tellers="李明")
    with pytest.raises(ValidationError, match="计票人"):
        services.show_of_hands_record(actor=staff, motion=motion, votes_for=1, votes_against=1, abstentions=0,
                                      tellers=" ")
    assert not hasattr(Motion.objects.get(pk=motion.pk), "hand_count")


def test_show_of_hands_totals_may_be_corrected_while_the_vote_is_open_only():
    motion, _seats, staff = _show_of_hands(present=5)
    services.show_of_hands_record(actor=staff, motion=motion, votes_for=2, votes_against=0, abstentions=0,
                                  tellers="李明")
    services.show_of_hands_record(actor=staff, motion=motion, votes_for=5, votes_against=0, abstentions=0,
                                  tellers="李明、张华")
    assert services.vote_close(actor=staff, motion=motion).votes_for == 5
    with pytest.raises(services.VoteRefused, match="不在表决中"):
        services.show_of_hands_record(actor=staff, motion=motion, votes_for=1, votes_against=0, abstentions=0,
                                      tellers="李明")


def test_a_show_of_hands_vote_cannot_close_before_its_totals_are_recorded():
    motion, _seats, staff = _show_of_hands()
    with pytest.raises(services.VoteRefused, match="请先登记举手表决"):
        services.vote_close(actor=staff, motion=motion)
    assert Motion.objects.get(pk=motion.pk).status == Motion.Status.OPEN


def test_ballots_are_refused_on_a_motion_counted_by_show_of_hands():
    motion, seats, staff = _show_of_hands()
    with pytest.raises(services.VoteRefused, match="举手表决"):
        services.ballot_record(actor=staff, motion=motion, seat=seats[0], choice="for")


def test_show_of_hands_totals_are_refused_on_a_motion_counted_by_ballots(open_motion):
    motion, _seats, staff = open_motion
    with pytest.raises(services.VoteRefused, match="逐人计票"):
        services.show_of_hands_record(actor=staff, motion=motion, votes_for=1, votes_against=0, abstentions=0,
                                      tellers="李明")


def test_staff_of_another_alliance_cannot_record_show_of_hands_totals():
    motion, _seats, _staff = _show_of_hands()
    with pytest.raises(PermissionDenied):
        services.show_of_hands_record(actor=staff_of(AllianceFactory()), motion=motion, votes_for=1,
                                      votes_against=0, abstentions=0, tellers="李明")


def test_the_counting_method_is_frozen_when_the_vote_opens():
    body, seats = council_with_directors(3)
    staff = staff_of(body.alliance)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    motion = services.motion_update(actor=staff, motion=motion, counting=Motion.Counting.SHOW_OF_HANDS)
    assert motion.by_show_of_hands
    services.vote_open(actor=staff, motion=motion)
    with pytest.raises(services.VoteRefused, match="表决开始后"):
        services.motion_update(actor=staff, motion=motion, counting=Motion.Counting.BALLOTS)
    assert Motion.objects.get(pk=motion.pk).counting == Motion.Counting.SHOW_OF_HANDS


def test_an_election_cannot_be_counted_by_show_of_hands():
    body, _seats = council_with_directors(1)
    with pytest.raises(ValidationError, match="选举须逐人计票") as refused:
        services.motion_create(actor=None, meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER,
                               title="选举副理事长", seats_to_fill=1, counting=Motion.Counting.SHOW_OF_HANDS)
    assert "counting" in refused.value.error_dict
