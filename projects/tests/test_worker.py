"""PDFs rendered by a real Celery worker process on the configured broker, with Chinese fonts embedded."""

import datetime
import re
import subprocess
from pathlib import Path

import pytest

from alliance.tests.factories import staff_of
from conftest import wait_for
from projects import services
from projects.models import Application, AppointmentLetter

from .factories import ProjectFactory, community_application, county_application, organiser_of

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CJK_FONT = re.compile(r"[A-Z]{6}\+Noto-?S(?:erif|ans)-?CJK-?SC")


def embedded_fonts(path):
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_a_submitted_application_is_printed_by_a_worker_with_a_cjk_font(celery_worker, worker_env):
    project = ProjectFactory()
    organiser = organiser_of(project)
    app = county_application(project, organiser, county="泸水市")
    services.application_submit(actor=organiser, application=app)

    def printed():
        row = Application.objects.get(pk=app.pk)
        return row.pdf_file.name if row.pdf_file else None

    name = wait_for(printed, timeout=60)
    path = Path(worker_env["MEDIA_ROOT"]) / name
    assert path.read_bytes().startswith(b"%PDF")
    assert CJK_FONT.search(embedded_fonts(path)), embedded_fonts(path)


def test_an_appointment_letter_appears_with_a_cjk_font(celery_worker, worker_env):
    project = ProjectFactory()
    organiser = organiser_of(project)
    staff = staff_of(project.alliance)
    community = community_application(project, organiser, status="submitted")
    services.application_select(actor=staff, application=community, selected=True)
    notice = services.notice_publish(actor=staff, project=project, title="入选名单公示",
                                     starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 1, 7),
                                     today=datetime.date(2026, 1, 1))
    services.notice_finalise(actor=staff, notice=notice, today=datetime.date(2026, 1, 8))

    def done():
        letter = AppointmentLetter.objects.get(application=community)
        return letter if letter.status == AppointmentLetter.Status.READY else None

    letter = wait_for(done, timeout=60)
    path = Path(worker_env["MEDIA_ROOT"]) / letter.file.name
    fonts = embedded_fonts(path)
    assert CJK_FONT.search(fonts), fonts
    # A second delivery of the same message changes nothing (idempotent claim).
    assert services.letter_store(letter_id=letter.pk) is False
