"""Real threads against PostgreSQL: every ballot is counted once or refused, never lost (000 art. 12).

The server allows 100 connections and other test runs share it, so 100 directors vote through a pool of
25 connections released at the same instant; each cast still takes the motion's row lock on its own.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

import governance.tasks  # noqa: F401 - imported up front (WeasyPrint is slow to load) so the close races for real
from governance import services
from governance.models import Ballot, Motion
from governance.tests.factories import MeetingFactory, MotionFactory, council_with_directors

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
    assert motion.result.present == len(counted)
