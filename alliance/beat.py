"""Celery beat on several machines: each periodic job is sent once per period, however many beats run.

Every machine may run ``celery beat`` (the Procfile does); this scheduler (``CELERY_BEAT_SCHEDULER``) makes them
agree. Before a beat sends a due job it claims that run in the broker's Redis: ``SET alliance:beat:<job> NX`` with
an expiry of ``CLAIM_SHARE`` of the job's period. The first beat to claim it sends it; another whose own clock says
the job is due as well finds the claim and skips it. When the machine whose beat has been sending dies, its claims
expire within a period and the next beat to find a job due sends it: no beat is designated, none has to take over.

The jobs stay safe to run twice (each claims its rows, alliance/documents.py); the claim is what keeps two beats
from doubling every sweep and reminder check. With the filesystem broker (one machine, the embedded default) there
is nothing to share and every due job is sent.
"""

import logging
import os
import socket

import redis
from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

# A claim lasts this share of the job's period: it has expired by the job's next due time on any beat, even one whose
# clock is a little ahead, and it outlasts the moment the other beats find the same run due.
CLAIM_SHARE = 0.9
KEY_PREFIX = "alliance:beat:"


def claim_seconds(entry):
    """How long a claim on this run of the job holds: CLAIM_SHARE of the time to its next run, at least a second."""
    schedule = entry.schedule
    period = schedule.remaining_estimate(schedule.now()).total_seconds()
    return max(1, int(period * CLAIM_SHARE))


class SingleRunScheduler(PersistentScheduler):
    """Sends a due job only when this beat claims the run first (module docstring)."""

    _redis = None

    def claims(self):
        """The Redis the claims live in (the broker's), or None with a broker that is not Redis."""
        url = self.app.conf.broker_url or ""
        if not url.startswith(("redis://", "rediss://", "unix://")):
            return None
        if self._redis is None:
            self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        return self._redis

    def claim(self, entry):
        """True when this beat is the one to send this run of the job."""
        claims = self.claims()
        if claims is None:
            return True
        try:
            return bool(claims.set(KEY_PREFIX + entry.name, f"{socket.gethostname()}:{os.getpid()}", nx=True,
                                   ex=claim_seconds(entry)))
        except redis.RedisError as exc:
            # The job could not be sent either (the broker is this Redis); it is sent at its next due time.
            logger.warning("beat: %s not sent, Redis did not answer: %s", entry.name, exc)
            return False

    def release(self, entry):
        claims = self.claims()
        if claims is not None:
            try:
                claims.delete(KEY_PREFIX + entry.name)
            except redis.RedisError:
                pass  # the claim expires by itself

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        if not self.claim(entry):
            logger.info("beat: %s already sent by another beat for this period", entry.name)
            return None
        try:
            return super().apply_async(entry, producer=producer, advance=advance, **kwargs)
        except Exception:
            self.release(entry)  # not sent: another beat may send it at once
            raise
