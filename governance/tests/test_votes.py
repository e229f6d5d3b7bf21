"""Casting, changing and closing votes; elections; correspondence deadlines; what a passed motion does."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from alliance.tests.factories import UserFactory
from governance import effects, services
from governance.models import Ballot, Candidate, Meeting, Motion, Seat
from governance.tests.factories import MeetingFactory, MotionFactory, SeatFactory, council_with_directors
from governance.tests.helpers import check_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_motion():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    return motion, seats


def test_a_director_may_change_the_ballot_while_the_vote_is_open(open_motion):
    motion, seats = open_motion
    _, created = services.ballot_cast(actor=seats[0].user, motion=motion, choice="against")
    assert created
    ballot, created = services.ballot_cast(actor=seats[0].user, motion=motion, choice="for")
    assert not created and ballot.choice == "for"
    assert Ballot.objects.filter(motion=motion).count() == 1
    assert [h.choice for h in ballot.history.order_by("history_date")] == ["against", "for"]


def test_a_vote_after_the_close_is_refused_and_changes_nothing(open_motion):
    motion, seats = open_motion
    services.ballot_cast(actor=seats[0].user, motion=motion, choice="for")
    services.vote_close(actor=None, motion=motion)
    with pytest.raises(services.VoteRefused, match="表决已结束"):
        services.ballot_cast(actor=seats[0].user, motion=motion, choice="against")
    assert Ballot.objects.get(motion=motion).choice == "for"


def test_a_vote_before_the_opening_is_refused():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    with pytest.raises(services.VoteRefused, match="尚未开始"):
        services.ballot_cast(actor=seats[0].user, motion=motion, choice="for")


def test_a_non_director_cannot_vote(open_motion):
    motion, _ = open_motion
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=UserFactory(), motion=motion, choice="for")


def test_a_director_of_another_body_cannot_vote(open_motion):
    motion, _ = open_motion
    other = SeatFactory(user=UserFactory())
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=other.user, motion=motion, choice="for")


def test_a_director_whose_term_ended_before_the_meeting_cannot_vote(open_motion):
    motion, _ = open_motion
    gone = SeatFactory(body=motion.meeting.body, user=UserFactory(), end_date=datetime.date(2025, 6, 30))
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=gone.user, motion=motion, choice="for")


def test_one_ballot_per_director_is_a_database_constraint(open_motion):
    motion, seats = open_motion
    now = timezone.now()
    Ballot.objects.create(motion=motion, voter=seats[0].user, seat=seats[0], choice="for", cast_at=now, changed_at=now)
    with pytest.raises(IntegrityError):
        Ballot.objects.create(motion=motion, voter=seats[0].user, seat=seats[0], choice="against", cast_at=now,
                              changed_at=now)


def test_a_vote_cannot_be_closed_twice(open_motion):
    motion, _ = open_motion
    services.vote_close(actor=None, motion=motion)
    with pytest.raises(services.VoteRefused):
        services.vote_close(actor=None, motion=motion)


def test_correspondence_counts_those_who_returned_a_ballot_and_refuses_late_ballots():
    body, seats = council_with_directors(9)
    meeting = MeetingFactory(body=body, form=Meeting.Form.CORRESPONDENCE,
                             correspondence_deadline=timezone.now() + datetime.timedelta(days=3))
    motion = MotionFactory(meeting=meeting)
    services.vote_open(actor=None, motion=motion)
    for seat in seats[:6]:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    meeting.correspondence_deadline = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()
    with pytest.raises(services.VoteRefused, match="截止"):
        services.ballot_cast(actor=seats[6].user, motion=motion, choice="against")
    result = services.vote_close(actor=None, motion=motion)
    assert (result.present, result.quorum_met, result.passed) == (6, True, True)


def test_the_open_snapshot_is_frozen_at_the_opening():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    services.attendance_check_in(actor=seats[0].user, meeting=motion.meeting)
    services.vote_open(actor=None, motion=motion)
    services.attendance_check_in(actor=seats[1].user, meeting=motion.meeting)
    result = services.vote_close(actor=None, motion=motion)
    assert [e["seat"] for e in result.present_at_open] == [seats[0].pk]
    assert [e["seat"] for e in result.present_at_close] == [seats[0].pk, seats[1].pk]


def test_an_election_ranks_candidates_and_seats_those_elected():
    body, seats = council_with_directors(6)
    body.alliance.rules.officer_age_limit = None
    body.alliance.rules.save()
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=2)
    a, b, c = (Candidate.objects.create(motion=motion, person_name=n, role=Seat.Role.VICE_CHAIR, order=i)
               for i, n in enumerate("甲乙丙"))
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    picks = [[a, b], [a, b], [a, b], [a, c], [a, b], [c]]
    for seat, chosen in zip(seats, picks, strict=True):
        services.ballot_cast(actor=seat.user, motion=motion, choice="", candidate_ids=[x.pk for x in chosen])
    with pytest.raises(services.VoteRefused, match="最多可选 2"):
        services.ballot_cast(actor=seats[0].user, motion=motion, choice="", candidate_ids=[a.pk, b.pk, c.pk])
    result = services.vote_close(actor=None, motion=motion)
    ranked = [(r["name"], r["votes"], r["elected"]) for r in result.tally]
    assert ranked == [("甲", 5, True), ("乙", 4, True), ("丙", 2, False)]
    assert set(Seat.objects.filter(elected_by=motion).values_list("person_name", flat=True)) == {"甲", "乙"}


def test_a_passed_motion_to_admit_a_member_calls_the_registered_handler(open_motion):
    motion, seats = open_motion
    calls = []
    previous = effects._handlers.pop(effects.ADMIT_MEMBER, None)
    effects.register(effects.ADMIT_MEMBER, lambda *, motion, actor: calls.append((motion.pk, str(motion), actor)))
    try:
        Motion.objects.filter(pk=motion.pk).update(kind=Motion.Kind.ADMIT_MEMBER)
        for seat in seats:
            services.ballot_cast(actor=seat.user, motion=motion, choice="for")
        staff = UserFactory()
        services.vote_close(actor=staff, motion=motion)
    finally:
        effects._handlers.pop(effects.ADMIT_MEMBER, None)
        if previous:
            effects.register(effects.ADMIT_MEMBER, previous)
    assert calls == [(motion.pk, f"吸收成员：{motion.title}", staff)]


def test_a_failed_motion_changes_nothing(open_motion):
    motion, seats = open_motion
    Motion.objects.filter(pk=motion.pk).update(kind=Motion.Kind.REMOVE_OFFICER, subject_ids=[seats[2].pk])
    services.ballot_cast(actor=seats[0].user, motion=motion, choice="for")
    services.vote_close(actor=None, motion=motion)
    seats[2].refresh_from_db()
    assert seats[2].end_date is None


def test_a_passed_removal_ends_the_officers_term(open_motion):
    motion, seats = open_motion
    Motion.objects.filter(pk=motion.pk).update(kind=Motion.Kind.REMOVE_OFFICER, subject_ids=[seats[2].pk])
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    services.vote_close(actor=None, motion=motion)
    seats[2].refresh_from_db()
    assert seats[2].end_date == motion.meeting.date


def test_a_motion_cannot_act_on_another_alliances_record():
    from django.core.exceptions import ValidationError

    body, _ = council_with_directors(1)
    foreign_seat = SeatFactory()
    motion = Motion(meeting=MeetingFactory(body=body), kind=Motion.Kind.REMOVE_OFFICER, title="罢免",
                    subject_ids=[foreign_seat.pk])
    with pytest.raises(ValidationError, match="须为本联盟的职务任职"):
        motion.full_clean()
    motion.subject_ids = [SeatFactory(body=body).pk]
    motion.full_clean()


def _tied_election(tie_rule):
    """Four directors, one seat, a simple-majority charter: 甲 and 乙 get two votes each."""
    body, seats = council_with_directors(4, pass_numerator=1, pass_denominator=2, officer_age_limit=None,
                                         tie_rule=tie_rule)
    Seat.objects.filter(pk=seats[0].pk).update(role=Seat.Role.CHAIR)
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=1)
    a = Candidate.objects.create(motion=motion, person_name="甲", role=Seat.Role.VICE_CHAIR, order=1)
    b = Candidate.objects.create(motion=motion, person_name="乙", role=Seat.Role.VICE_CHAIR, order=2)
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    for seat, cand in zip(seats, (a, a, b, b), strict=True):
        services.ballot_cast(actor=seat.user, motion=motion, choice="", candidate_ids=[cand.pk])
    return services.vote_close(actor=None, motion=motion), seats, a, b


def test_a_tie_across_the_last_seat_leaves_it_open_where_the_charter_says_so():
    result, seats, a, b = _tied_election("fails")
    assert result.tie and not result.passed
    assert [r["elected"] for r in result.tally] == [False, False]
    assert "该名额空缺" in result.motion.effect_note
    with pytest.raises(services.VoteRefused):
        services.election_tie_break(actor=seats[0].user, motion=result.motion, candidate_ids=[b.pk])


def test_where_the_charter_lets_the_chair_decide_only_the_chair_breaks_the_tie():
    result, seats, a, b = _tied_election("chair_decides")
    assert result.tie and not result.passed and "待会议主持人决定" in result.motion.effect_note
    with pytest.raises(PermissionDenied):
        services.election_tie_break(actor=seats[1].user, motion=result.motion, candidate_ids=[b.pk])
    with pytest.raises(services.VoteRefused, match="选定 1 名"):
        services.election_tie_break(actor=seats[0].user, motion=result.motion, candidate_ids=[a.pk, b.pk])
    result = services.election_tie_break(actor=seats[0].user, motion=result.motion, candidate_ids=[b.pk])
    assert result.passed and result.tie_decided_by == seats[0].user
    assert [(r["name"], r["elected"]) for r in result.tally] == [("甲", False), ("乙", True)]
    assert Seat.objects.get(elected_by=result.motion).person_name == "乙"
    assert Motion.objects.get(pk=result.motion.pk).status == Motion.Status.PASSED
    with pytest.raises(services.VoteRefused, match="已由会议主持人决定"):
        services.election_tie_break(actor=seats[0].user, motion=result.motion, candidate_ids=[a.pk])
