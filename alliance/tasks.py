from celery import shared_task

from . import services
from .queueing import enqueue


@shared_task(
    acks_late=True, autoretry_for=(services.EmailDeliveryFailed,), retry_backoff=30, retry_backoff_max=1800, max_retries=8
)
def email_send(email_id):
    services.email_deliver(email_id=email_id)


@shared_task(acks_late=True)
def email_sweep():
    """Re-enqueue e-mails whose enqueue was lost (broker down) or whose retries ran out."""
    for email_id in services.email_pending_ids():
        enqueue(email_send, email_id)
