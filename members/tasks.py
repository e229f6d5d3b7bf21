"""Thin Celery tasks: ids in, a service call, retries with backoff on transient errors."""

from celery import shared_task
from django.db import OperationalError

from alliance import documents

from . import services


@shared_task(**documents.TASK_OPTIONS)
def certificate_render(certificate_id):
    services.certificate_render(certificate_id=certificate_id)


@shared_task(acks_late=True)
def certificate_sweep():
    """Hand certificates due a (first or next) attempt to a worker (alliance/documents.py's one policy)."""
    documents.sweep(services.CERTIFICATE)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def members_expiry_daily():
    return services.members_expiry_run()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def members_import_run(import_id):
    # Each row is its own transaction and marked applied with it: a retry continues where the last run stopped.
    services.members_import_run(import_id=import_id)
