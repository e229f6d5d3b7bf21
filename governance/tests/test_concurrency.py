"""Real threads against PostgreSQL: every ballot is counted once or refused, never lost (000 art. 12).

The server allows 100 connections and other test runs share it, so 100 directors vote through a pool of
25 connections released at the same instant; each cast still takes the motion's lock on its own. The last
tests hold one cast's transaction open and watch who waits for it.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

import governance.tasks  # noqa: F401 - imported up front (WeasyPrint is slow to load) so the close races for real
from alliance.tests.factories import staff_of
from governance import services
from governance.models import Ballot, Motion
from governance.tests.factories import MeetingFactory, MotionFactory, council_with_directors
from governance.tests.helpers import check_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
POOL = 25


def _in_thread(gate, fn):
    def run(*args):
        gate.wait()
        try:
            return fn(*args)
        finally:
            connections.close_all()
    return run


def test_a_hundred_directors_voting_at_once_lose_no_ballot_and_double_none():
    body, seats = council_with_directors(100)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    gate = threading.Event()

    def cast(seat):
        services.ballot_cast(actor=seat.user, motion=motion, choice="for" if seat.order % 3 else "against")
        # A second click while the first is still in flight changes nothing but the same row.
        services.ballot_cast(actor=seat.user, motion=motion, choice="for" if seat.order % 3 else "against")
        return seat.pk

    with ThreadPoolExecutor(POOL) as pool:
        futures = [pool.submit(_in_thread(gate, cast), seat) for seat in seats]
        started = time.monotonic()
        gate.set()
        done = [f.result() for f in futures]
    print(f"100 directors, 200 casts through {POOL} connections: {time.monotonic() - started:.2f}s")
    assert len(done) == 100
    assert Ballot.objects.filter(motion=motion).count() == 100
    assert Ballot.objects.filter(motion=motion).values("voter").distinct().count() == 100
    result = services.vote_close(actor=None, motion=motion)
    assert (result.votes_for, result.votes_against, result.present) == (66, 34, 100)


def test_ballots_racing_the_close_are_each_counted_or_refused():
    body, seats = council_with_directors(60)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    gate = threading.Event()

    def cast(seat):
        try:
            services.ballot_cast(actor=seat.user, motion=motion, choice="for")
        except services.VoteRefused as exc:
            return ("refused", seat.user_id, exc.messages[0])
        return ("counted", seat.user_id, "")

    def close():
        return ("closed", services.vote_close(actor=None, motion=motion).pk, "")

    with ThreadPoolExecutor(POOL) as pool:
        # The close starts among the first wave of casts; the later casts queue behind it.
        futures = [pool.submit(_in_thread(gate, cast), seat) for seat in seats[:12]]
        futures.append(pool.submit(_in_thread(gate, close)))
        futures += [pool.submit(_in_thread(gate, cast), seat) for seat in seats[12:]]
        gate.set()
        outcomes = [f.result() for f in futures]

    counted = {uid for kind, uid, _ in outcomes if kind == "counted"}
    refused = {uid for kind, uid, _ in outcomes if kind == "refused"}
    print(f"racing the close: {len(counted)} counted, {len(refused)} refused")
    assert len(counted) + len(refused) == 60 and not counted & refused
    assert refused, "the casts queued behind the close must have met a closed vote"
    assert all(msg == "表决已结束，您的选票未被计入。" for kind, _, msg in outcomes if kind == "refused")
    motion.refresh_from_db()
    assert motion.status in (Motion.Status.PASSED, Motion.Status.FAILED)
    assert set(Ballot.objects.filter(motion=motion).values_list("voter_id", flat=True)) == counted
    assert motion.result.votes_for == len(counted)
    assert motion.result.present == 60  # all checked in: those refused count as present, not voting


def _waiting_for_locks():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


def _until_waiting(n):
    deadline = time.monotonic() + 10
    while _waiting_for_locks() < n:
        assert time.monotonic() < deadline, f"{n} transactions should be waiting for a lock"
        time.sleep(0.02)


class _CastInFlight:
    """One director's cast whose transaction stays open (the motion's lock held) until release()."""

    def __init__(self, pool, seat, motion, choice="for"):
        self.cast, self.release_event = threading.Event(), threading.Event()

        def run():
            try:
                with transaction.atomic():
                    services.ballot_cast(actor=seat.user, motion=motion, choice=choice)
                    self.cast.set()
                    self.release_event.wait(10)
            finally:
                connections.close_all()

        self.future = pool.submit(run)
        assert self.cast.wait(10), "the cast in flight should have taken its locks"

    def release(self):
        self.release_event.set()
        self.future.result()


def _cast(seat, motion, choice="for"):
    try:
        return services.ballot_cast(actor=seat.user, motion=motion, choice=choice)[1]
    finally:
        connections.close_all()


def test_a_cast_in_flight_holds_up_no_other_director():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    with ThreadPoolExecutor(3) as pool:
        in_flight = _CastInFlight(pool, seats[0], motion)
        try:
            others = [pool.submit(_cast, seat, motion) for seat in seats[1:]]
            assert [f.result(timeout=10) for f in others] == [True, True]
        finally:
            in_flight.release()
    assert Ballot.objects.filter(motion=motion).count() == 3


def test_a_double_click_waits_for_the_first_cast_and_changes_the_one_ballot():
    body, seats = council_with_directors(2)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    with ThreadPoolExecutor(2) as pool:
        in_flight = _CastInFlight(pool, seats[0], motion, choice="against")
        second = pool.submit(_cast, seats[0], motion, "for")
        _until_waiting(1)
        in_flight.release()
        assert second.result(timeout=10) is False  # not created: the first cast's ballot, changed
    ballot = Ballot.objects.get(motion=motion)
    assert [h.choice for h in ballot.history.order_by("history_date")] == ["against", "for"]


def test_the_close_waits_for_the_cast_in_flight_and_later_casts_wait_for_the_close():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)

    def close():
        try:
            return services.vote_close(actor=None, motion=motion)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(3) as pool:
        in_flight = _CastInFlight(pool, seats[0], motion)
        closing = pool.submit(close)
        _until_waiting(1)
        late = pool.submit(_cast, seats[1], motion)
        _until_waiting(2)  # queued behind the waiting close, not slipped in ahead of it
        in_flight.release()
        result = closing.result(timeout=10)
        with pytest.raises(services.VoteRefused, match="表决已结束"):
            late.result(timeout=10)
    assert (result.votes_for, result.present) == (1, 3)
    assert list(Ballot.objects.filter(motion=motion).values_list("voter", flat=True)) == [seats[0].user_id]


def test_staff_recording_a_directors_ballot_wait_for_the_directors_web_cast_and_are_refused():
    body, seats = council_with_directors(2)
    staff = staff_of(body.alliance)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)

    def record():
        try:
            return services.ballot_record(actor=staff, motion=motion, seat=seats[0], choice="against")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        in_flight = _CastInFlight(pool, seats[0], motion, choice="for")
        recording = pool.submit(record)
        _until_waiting(1)  # the director's seat is held by the cast in flight
        in_flight.release()
        with pytest.raises(ValidationError, match="已在网上投票"):
            recording.result(timeout=10)
    assert list(Ballot.objects.filter(motion=motion).values_list("choice", "recorded_by")) == [("for", None)]


def test_briefings_created_at_once_take_consecutive_numbers_of_their_year():
    import datetime

    from alliance.tests.factories import AllianceFactory
    from governance.models import Briefing

    alliance = AllianceFactory()
    gate = threading.Event()

    def create(day):
        return services.briefing_create(actor=None, alliance=alliance, issued_on=datetime.date(2026, 3, day)).number

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(_in_thread(gate, create), day) for day in range(1, 9)]
        gate.set()
        numbers = [f.result() for f in futures]
    assert sorted(numbers) == list(range(1, 9))
    assert sorted(Briefing.objects.filter(alliance=alliance, year=2026).values_list("number", flat=True)) == [
        *range(1, 9)
    ]


def test_briefings_moved_past_each_other_at_once_are_both_renumbered_without_a_deadlock():
    import datetime

    from alliance.tests.factories import AllianceFactory
    from governance.models import Briefing

    alliance = AllianceFactory()
    leaving_2026 = services.briefing_create(actor=None, alliance=alliance, issued_on=datetime.date(2026, 12, 1))
    leaving_2027 = services.briefing_create(actor=None, alliance=alliance, issued_on=datetime.date(2027, 1, 5))
    gate = threading.Event()

    def move(briefing, issued_on):
        return services.briefing_update(actor=None, briefing=briefing, issued_on=issued_on).issue_label

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(_in_thread(gate, move), leaving_2026, datetime.date(2027, 2, 1)),
                   pool.submit(_in_thread(gate, move), leaving_2027, datetime.date(2026, 11, 1))]
        gate.set()
        [f.result(timeout=30) for f in futures]
    # The one moved first still finds the other in its new year and takes the number after it.
    moved = (Briefing.objects.get(pk=leaving_2026.pk).issue_label, Briefing.objects.get(pk=leaving_2027.pk).issue_label)
    assert moved in {("2027年第2期", "2026年第1期"), ("2027年第1期", "2026年第2期")}


def test_two_seats_citing_one_exception_at_once_seat_one_and_refuse_the_other():
    """000 art. 15: an exception allows one seat; two fills in different bodies race for it."""
    import datetime

    from django.core.exceptions import ValidationError

    from alliance.tests.factories import staff_of
    from governance.models import Body, Seat
    from governance.tests.factories import BodyFactory

    body, seats = council_with_directors(3, officer_age_limit=70)
    start = datetime.date(2026, 1, 1)
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.OFFICER_EXCEPTION,
                           officer_role=Seat.Role.CHAIR, officer_name="陈莉", officer_start_date=start)
    for seat in seats:
        services.attendance_check_in(actor=seat.user, meeting=motion.meeting)
    services.vote_open(actor=None, motion=motion)
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    services.vote_close(actor=None, motion=motion)
    motion = services.officer_exception_approve(actor=staff_of(body.alliance), motion=motion)
    other = BodyFactory(alliance=body.alliance, kind=Body.Kind.EXPERT_COMMITTEE)
    gate = threading.Event()

    def fill(target):
        try:
            services.seat_fill(actor=None, body=target, role=Seat.Role.CHAIR, start_date=start, person_name="陈莉",
                               birth_date=datetime.date(1950, 1, 1), exception_motion=motion)
            return "seated"
        except ValidationError as exc:
            return exc.messages[0]

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(_in_thread(gate, fill), target) for target in (body, other)]
        gate.set()
        outcomes = [f.result() for f in futures]
    assert outcomes.count("seated") == 1
    [refusal] = [text for text in outcomes if text != "seated"]
    assert "只能使用一次" in refusal
    assert Seat.objects.filter(exception_motion=motion).count() == 1
