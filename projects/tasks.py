"""Thin tasks: ids in, a service call. The PDFs follow alliance/documents.py's one pattern and policy."""

from celery import shared_task

from alliance import documents

from . import services


@shared_task(**documents.TASK_OPTIONS)
def application_pdf_render(application_id):
    services.application_pdf_store(application_id=application_id)


@shared_task(**documents.TASK_OPTIONS)
def letter_render(letter_id):
    services.letter_store(letter_id=letter_id)


@shared_task(acks_late=True)
def pdf_sweep():
    """Hand printed forms and 聘书 due a (first or next) attempt to a worker."""
    documents.sweep(services.APPLICATION_FORM, services.LETTER)
