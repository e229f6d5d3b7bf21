from celery import shared_task

from alliance.queueing import enqueue

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=600, max_retries=6)
def receipt_render(receipt_id):
    services.receipt_render(receipt_id=receipt_id)


@shared_task(acks_late=True)
def receipt_sweep():
    """Re-enqueue receipts whose render was never enqueued (broker down) or did not finish."""
    for receipt_id in services.receipt_pending_ids():
        enqueue(receipt_render, receipt_id)


@shared_task(acks_late=True)
def dues_reminders():
    services.dues_reminders_run()
