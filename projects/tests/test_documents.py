"""The 聘书 as an office seals it: its whole frame inside the page, the 聘期 (the project's period), the seal's
place over the issuer and a date in Chinese numerals."""

import datetime

import pytest

from alliance.tests import pdf_layout
from projects import services
from projects.models import AppointmentLetter

from .factories import ProjectFactory, community_application, organiser_of

pytestmark = pytest.mark.django_db

LETTER_MARGIN = 18  # projects/pdf/letter.html: A4 landscape, @page { margin: 18mm }


def test_a_letter_names_its_term_and_keeps_its_frame_and_seal_inside_the_page():
    project = ProjectFactory(starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2028, 8, 31))
    community = community_application(project, organiser_of(project), status="final")
    letter = AppointmentLetter.objects.create(application=community, number="NCET-2026-001",
                                              issued_on=datetime.date(2026, 12, 2))
    [pdf] = pdf_layout.rendered(services.LETTER, letter)
    text = "".join(pdf_layout.text(pdf).split())
    assert "聘期：2026年9月1日至2028年8月31日" in text
    assert "二〇二六年十二月二日" in text and "（盖章）" in text
    assert pdf_layout.page_count(pdf) == 1
    pdf_layout.assert_inside_printable(pdf, margins=LETTER_MARGIN)
    pdf_layout.assert_frame(pdf, box=(LETTER_MARGIN, LETTER_MARGIN, 297 - LETTER_MARGIN, 210 - LETTER_MARGIN))
