from celery import shared_task

from alliance import documents

from . import services


@shared_task(**documents.TASK_OPTIONS)
def receipt_render(receipt_id):
    services.receipt_render(receipt_id=receipt_id)


@shared_task(acks_late=True)
def receipt_sweep():
    """Hand receipts due a (first or next) attempt to a worker (alliance/documents.py's one policy)."""
    documents.sweep(services.RECEIPT)


@shared_task(acks_late=True)
def dues_reminders():
    services.dues_reminders_run()
