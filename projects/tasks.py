"""Thin tasks: load by id, call a service. Rendering is idempotent, so a redelivered message is harmless."""

from celery import shared_task

from alliance.queueing import enqueue

from . import services

# WeasyPrint failures are not transient, but a worker killed mid-render (acks_late) or a full disk can be;
# retry a few times with backoff and a ceiling, then leave the row FAILED for the sweep.
RETRY = dict(acks_late=True, autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=600, max_retries=5)


@shared_task(**RETRY)
def application_pdf_render(application_id):
    services.application_pdf_store(application_id=application_id)


@shared_task(**RETRY)
def letter_render(letter_id):
    services.letter_store(letter_id=letter_id)


@shared_task(acks_late=True)
def letter_sweep():
    """Re-enqueue 聘书 whose enqueue was lost (broker down) or whose rendering failed."""
    for letter_id in services.letter_pending_ids():
        enqueue(letter_render, letter_id)
