from celery import shared_task

from . import services
from .queueing import enqueue


@shared_task(
    acks_late=True, autoretry_for=(services.EmailDeliveryFailed,), retry_backoff=30, retry_backoff_max=1800, max_retries=8
)
def email_send(email_id, *more_ids):
    """Send the outbox e-mails named (those of one event). Each is tried; if any failed, the task retries, and
    the ones already sent are skipped then (email_deliver sends an e-mail once)."""
    failed = None
    for pk in (email_id, *more_ids):
        try:
            services.email_deliver(email_id=pk)
        except services.EmailDeliveryFailed as exc:
            failed = exc
    if failed is not None:
        raise failed


@shared_task(acks_late=True)
def email_sweep():
    """Re-enqueue e-mails whose enqueue was lost (broker down) or whose retries ran out."""
    for email_id in services.email_pending_ids():
        enqueue(email_send, email_id)
