"""Thin Celery tasks: ids in, a service call, retries with backoff on transient errors."""

from celery import shared_task
from django.db import OperationalError

from alliance.queueing import enqueue

from . import services


@shared_task(
    acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=10, retry_backoff_max=600,
    max_retries=6,
)
def certificate_render(certificate_id):
    services.certificate_render(certificate_id=certificate_id)


@shared_task(acks_late=True)
def certificate_sweep():
    """Re-enqueue certificates still pending (a lost enqueue while the broker was down, or retries ran out)."""
    for certificate_id in services.certificate_pending_ids():
        enqueue(certificate_render, certificate_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def members_expiry_daily():
    return services.members_expiry_run()
