"""Thin tasks: load by id, call the renderer or a service. Idempotent; retried on transient errors."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.utils import timezone

from alliance.pdf import render_pdf

from . import selectors, services
from .models import Briefing, Result

logger = logging.getLogger(__name__)
def _store(fieldfile, name, pdf):
    """Save under a deterministic name, replacing a file a crashed earlier run may have left."""
    path = fieldfile.field.generate_filename(fieldfile.instance, name)
    if fieldfile.storage.exists(path):
        fieldfile.storage.delete(path)
    fieldfile.save(name, ContentFile(pdf), save=False)


RETRY = {"acks_late": True, "autoretry_for": (OperationalError, OSError), "retry_backoff": 10,
         "retry_backoff_max": 600, "max_retries": 6}


@shared_task(**RETRY)
def result_render_pdfs(result_id):
    """Render the vote record (minutes) and the resolution from the frozen result, once each."""
    with transaction.atomic():
        result = Result.objects.select_for_update().filter(pk=result_id).first()
        if result is None:
            return
        context = selectors.result_document_context(result=result)
        if not result.minutes_pdf:
            _store(result.minutes_pdf, f"minutes-{result.motion_id}.pdf",
                   render_pdf("governance/pdf/minutes.html", context))
        if not result.resolution_pdf:
            _store(result.resolution_pdf, f"resolution-{result.motion_id}.pdf",
                   render_pdf("governance/pdf/resolution.html", context))
        Result.objects.filter(pk=result.pk).update(minutes_pdf=result.minutes_pdf.name,
                                                   resolution_pdf=result.resolution_pdf.name)


@shared_task(**RETRY)
def briefing_render_pdf(briefing_id):
    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().filter(pk=briefing_id).first()
        if briefing is None or briefing.pdf or briefing.status != Briefing.Status.PUBLISHED:
            return
        pdf = render_pdf("governance/pdf/briefing.html", selectors.briefing_document_context(briefing=briefing))
        _store(briefing.pdf, f"briefing-{briefing.alliance_id}-{briefing.year}-{briefing.number}.pdf", pdf)
        Briefing.objects.filter(pk=briefing.pk).update(pdf=briefing.pdf.name)


@shared_task(acks_late=True)
def council_reminders_check():
    services.council_reminders_check(today=timezone.localdate())


@shared_task(acks_late=True)
def pdf_sweep():
    """Enqueue PDFs whose enqueue was lost while the broker was down."""
    from alliance.queueing import enqueue

    for pk in Result.objects.filter(resolution_pdf="").values_list("pk", flat=True)[:200]:
        enqueue(result_render_pdfs, pk)
    for pk in Briefing.objects.filter(status=Briefing.Status.PUBLISHED, pdf="").values_list("pk", flat=True)[:200]:
        enqueue(briefing_render_pdf, pk)
