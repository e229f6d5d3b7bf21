"""Two beats (one per machine) send each periodic job once per period (alliance/beat.py), against the real Redis."""

import uuid

import pytest
import redis
from celery.beat import Scheduler
from django.conf import settings

from alliance import beat
from alliance.celery import app

pytestmark = pytest.mark.skipif(not settings.CELERY_BROKER_URL.startswith("redis://"),
                                reason="the claims live in the broker's Redis")


def recording(sent):
    return lambda self, entry, *args, **kwargs: sent.append(entry.task) or object()


@pytest.fixture
def sent(monkeypatch):
    """The jobs the beats hand to Celery's own sending (which would publish them), by task name."""
    sent = []
    monkeypatch.setattr(Scheduler, "apply_async", recording(sent))
    return sent


@pytest.fixture
def beats(tmp_path, monkeypatch):
    """Two beats as two machines run them (each its own schedule file), with job names no other run uses."""
    prefix = f"{beat.KEY_PREFIX}test-{uuid.uuid4().hex}:"
    monkeypatch.setattr(beat, "KEY_PREFIX", prefix)
    made = [beat.SingleRunScheduler(app=app, schedule_filename=str(tmp_path / f"beat-{i}")) for i in (1, 2)]
    yield made
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)
    for scheduler in made:
        scheduler.close()


def entry(scheduler, name):
    return scheduler.schedule[name]


def test_celery_beat_uses_the_single_run_scheduler():
    assert app.conf.beat_scheduler == "alliance.beat:SingleRunScheduler"


def test_a_job_due_on_two_beats_is_sent_once(beats, sent):
    for scheduler in beats:
        scheduler.apply_entry(entry(scheduler, "members-certificate-sweep"), producer=None)
    assert sent == ["members.tasks.certificate_sweep"]


def test_every_job_of_the_schedule_is_sent_once_by_two_beats(beats, sent):
    for name in settings.CELERY_BEAT_SCHEDULE:
        for scheduler in beats:
            scheduler.apply_entry(entry(scheduler, name), producer=None)
    assert sorted(sent) == sorted(job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values())


def test_the_other_beat_sends_the_job_once_the_first_beats_claim_has_expired(beats, sent, monkeypatch):
    first, second = beats
    first.apply_entry(entry(first, "members-certificate-sweep"), producer=None)
    second.apply_entry(entry(second, "members-certificate-sweep"), producer=None)
    assert len(sent) == 1
    # The first machine is gone; its claim lasts 0.9 of the job's period, so by the next period it has expired.
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    key = beat.KEY_PREFIX + "members-certificate-sweep"
    assert 50 <= client.ttl(key) <= 54  # the sweep runs every 60 s
    client.delete(key)
    second.apply_entry(entry(second, "members-certificate-sweep"), producer=None)
    assert len(sent) == 2


def test_a_daily_jobs_claim_lasts_most_of_a_day(beats):
    seconds = beat.claim_seconds(entry(beats[0], "members-expiry-daily"))
    assert seconds <= 0.9 * 86400


def test_a_job_the_broker_refused_is_not_claimed(beats, monkeypatch):
    def refused(self, *args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(Scheduler, "apply_async", refused)
    first, second = beats
    first.apply_entry(entry(first, "members-certificate-sweep"), producer=None)  # logged by celery, not raised
    sent = []
    monkeypatch.setattr(Scheduler, "apply_async", recording(sent))
    second.apply_entry(entry(second, "members-certificate-sweep"), producer=None)
    assert sent == ["members.tasks.certificate_sweep"]


def test_with_the_filesystem_broker_every_due_job_is_sent(beats, sent, monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", "filesystem://")
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://")  # which celery reads before its settings
    for scheduler in beats:
        scheduler._redis = None
        scheduler.apply_entry(entry(scheduler, "members-certificate-sweep"), producer=None)
    assert sent == ["members.tasks.certificate_sweep"] * 2
