"""The governance PDFs a worker makes (alliance/documents.py): a result's vote record (minutes) and resolution,
printed from the frozen result, and a published briefing."""

from django.db.models import Q

from alliance import documents
from alliance.documents import File, Kind
from governance import selectors
from governance.models import Briefing, Result


def _result_files(result):
    context = selectors.result_document_context(result=result)
    return [
        File("minutes_pdf", f"minutes-{result.motion_id}.pdf", "governance/pdf/minutes.html", context),
        File("resolution_pdf", f"resolution-{result.motion_id}.pdf", "governance/pdf/resolution.html", context),
    ]


def _briefing_files(briefing):
    return [File("pdf", f"briefing-{briefing.alliance_id}-{briefing.year}-{briefing.number}.pdf",
                 "governance/pdf/briefing.html", selectors.briefing_document_context(briefing=briefing))]


RESULT = Kind(model=Result, task="governance.tasks.result_render_pdfs", files=_result_files,
              status_field="pdf_status", select_related=("motion",))
BRIEFING = Kind(model=Briefing, task="governance.tasks.briefing_render_pdf", files=_briefing_files,
                status_field="pdf_status", renderable=Q(status=Briefing.Status.PUBLISHED),
                select_related=("alliance",))


def result_render(*, result_id):
    return documents.render(RESULT, result_id)


def briefing_render(*, briefing_id):
    return documents.render(BRIEFING, briefing_id)
