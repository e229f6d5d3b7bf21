"""Thin tasks: ids in, a service call. The PDFs follow alliance/documents.py's one pattern and policy."""

from celery import shared_task
from django.utils import timezone

from alliance import documents

from . import services


@shared_task(**documents.TASK_OPTIONS)
def result_render_pdfs(result_id):
    """Render the vote record (minutes) and the resolution from the frozen result, once."""
    services.result_render(result_id=result_id)


@shared_task(**documents.TASK_OPTIONS)
def briefing_render_pdf(briefing_id):
    services.briefing_render(briefing_id=briefing_id)


@shared_task(acks_late=True)
def council_reminders_check():
    services.council_reminders_check(today=timezone.localdate())


@shared_task(acks_late=True)
def vote_deadline_reminders():
    services.vote_deadline_reminders_run()


@shared_task(acks_late=True)
def pdf_sweep():
    """Hand results, briefings and annual reports due a (first or next) attempt to a worker."""
    documents.sweep(services.RESULT, services.BRIEFING, services.REPORT)


@shared_task(**documents.TASK_OPTIONS)
def annual_report_render_pdf(report_id):
    """File the approved annual work report as a PDF and send its link to the supervising authority."""
    services.annual_report_render(report_id=report_id)
