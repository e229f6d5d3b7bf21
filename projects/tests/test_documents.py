"""The 聘书 as an office seals it (its whole frame inside the page, the 聘期, the seal's place, a date in Chinese
numerals) and the printed forms as filed: balanced columns, no row split across pages, the award pictures and
stamped scans reproduced (PDF scans named)."""

import datetime
import io
import subprocess
import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from alliance.tests import pdf_layout
from alliance.pdf import render_pdf
from projects import selectors, services
from projects.models import AppointmentLetter, Award

from .factories import ProjectFactory, community_application, county_application, organiser_of, provincial_contact

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


def picture(width, height):
    """A picture with a dark border, so a print that is not scaled to the page runs into its margins."""
    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).rectangle([0, 0, width - 1, height - 1], outline="black", width=max(width // 50, 2))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return SimpleUploadedFile("award.png", buf.getvalue(), content_type="image/png")


def long_community_form():
    project = ProjectFactory()
    community = community_application(project, organiser_of(project), status="submitted", team=10)
    community.plan_goals = "\n".join(["以课堂教学改进为核心，开展跨区域协同教研。" * 5] * 8)
    community.plan_foundation = "\n".join(["共同体成员覆盖城乡学校，长期开展联合备课。" * 5] * 8)
    community.organiser_opinion_scan_name = "组织实施单位意见.pdf"
    # An address longer than its cell wraps inside it (balanced, fixed columns) instead of running off the page.
    community.leader_email = "a-very-long-address.for-testing.purposes@county-education-bureau.example.cn"
    community.save(update_fields=["plan_goals", "plan_foundation", "organiser_opinion_scan_name", "leader_email"])
    for member in community.team.all():
        member.duty = f"{member.name}负责本组课例研修、资源建设与跨校联合备课的组织工作"
        member.save(update_fields=["duty"])
    award = Award.objects.create(application=community, title="省级优秀教研团队", year=2025)
    award.evidence.save("award.png", picture(1200, 1800))
    return community


FORM_MARGINS = (20, 18, 20, 18)  # static/pdf/base.css


def images_of(pdf):
    """The pictures embedded in a PDF, one line each of ``pdfimages -list``."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdfimages", "-list", f.name], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]


def test_a_printed_form_reproduces_the_pictures_scaled_to_the_page_and_names_the_pdf_scans():
    community = long_community_form()
    [pdf] = pdf_layout.rendered(services.APPLICATION_FORM, community)
    text = pdf_layout.text(pdf)
    assert "1. 组织实施单位意见（加盖公章的扫描件）：组织实施单位意见.pdf（PDF 文件，随表另附）" in text
    assert "省级推荐单位意见（加盖公章的扫描件）" in text and "获奖证明：省级优秀教研团队" in text
    assert len(images_of(pdf)) == 2  # the stamped PNG scan and the award picture; the PDF scan is only named
    for page in range(1, pdf_layout.page_count(pdf) + 1):
        pdf_layout.assert_inside_printable(pdf, margins=FORM_MARGINS, page=page)


def test_a_printed_forms_rows_are_never_split_across_pages():
    community = long_community_form()
    [pdf] = pdf_layout.rendered(services.APPLICATION_FORM, community)
    pages = pdf_layout.text(pdf).split("\f")
    assert len([page for page in pages if page.strip()]) >= 3
    for member in community.team.all():
        # A member's row: its duty, wrapped over several lines of its cell, all on one page.
        assert any(member.duty in "".join(page.split()) for page in pages), member.name


def test_a_printed_county_form_keeps_its_columns_inside_the_page_and_names_its_pdf_scans():
    project = ProjectFactory()
    county = county_application(project, organiser_of(project), status="submitted", team=8)
    county.applicant_scan_name = "申报单位盖章页.pdf"
    county.save(update_fields=["applicant_scan_name"])
    [pdf] = pdf_layout.rendered(services.APPLICATION_FORM, county)
    assert "申报单位盖章页.pdf（PDF 文件，随表另附）" in pdf_layout.text(pdf)
    for page in range(1, pdf_layout.page_count(pdf) + 1):
        pdf_layout.assert_inside_printable(pdf, margins=FORM_MARGINS, page=page)


def test_the_printed_contact_form_reproduces_its_stamped_scan_within_the_landscape_page():
    project = ProjectFactory()
    contact = provincial_contact(project, organiser_of(project), scan=False)
    contact.scan.save("contact.png", picture(1800, 1200))
    pdf = render_pdf("projects/pdf/contact.html", selectors.contact_print_context(contact=contact, project=project))
    assert "项目联系表（加盖公章的扫描件）" in pdf_layout.text(pdf)
    assert len(images_of(pdf)) == 1
    for page in range(1, pdf_layout.page_count(pdf) + 1):
        pdf_layout.assert_inside_printable(pdf, margins=FORM_MARGINS, page=page)
