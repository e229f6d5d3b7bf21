"""The certificate as an office files it: inside its printable area, the frame whole, the seal's place and the
chair's signature line, dated in Chinese numerals; a re-issued one says 换发 (000 art. 6 (三))."""

import datetime

import pytest

from alliance.tests import pdf_layout
from governance.models import Body, Seat
from governance.tests.factories import BodyFactory
from members import services
from members.models import Certificate
from members.tests.factories import admitted_member

# A4 landscape with 14 mm margins; the frame's border box is the printable area.
MARGIN = 14
FRAME = (MARGIN, MARGIN, 297 - MARGIN, 210 - MARGIN)




def certificate_pdf(certificate):
    [pdf] = pdf_layout.rendered(services.CERTIFICATE, certificate)
    return pdf


@pytest.mark.django_db
def test_the_certificate_stays_inside_its_printable_area_with_all_four_edges_of_its_frame_on_one_page():
    member, _ = admitted_member()
    Certificate.objects.filter(member=member).update(issued_on=datetime.date(2026, 12, 2))
    pdf = certificate_pdf(Certificate.objects.get(member=member))
    assert pdf_layout.page_count(pdf) == 1
    pdf_layout.assert_inside_printable(pdf, margins=MARGIN)
    pdf_layout.assert_frame(pdf, box=FRAME)
    text = pdf_layout.text(pdf)
    assert "二〇二六年十二月二日" in text and "（盖章）" in text and "理事长（签字）" in text
    assert "换发" not in text


@pytest.mark.django_db
def test_the_chair_in_office_is_named_on_the_signature_line():
    member, _ = admitted_member()
    council = Body.objects.filter(alliance=member.alliance, kind=Body.Kind.COUNCIL).first() or BodyFactory(
        alliance=member.alliance, kind=Body.Kind.COUNCIL)
    Seat.objects.create(body=council, role=Seat.Role.CHAIR, person_name="陈莉", start_date=datetime.date(2020, 1, 1))
    assert "陈莉" in pdf_layout.text(certificate_pdf(Certificate.objects.get(member=member)))


@pytest.mark.django_db
def test_a_reissued_certificate_says_huanfa_with_its_replacement_date_and_keeps_its_frame():
    member, staff = admitted_member()
    Certificate.objects.filter(member=member).update(issued_on=datetime.date(2024, 3, 1))
    new = services.certificate_reissue(actor=staff, member=member)
    pdf = certificate_pdf(new)
    text = pdf_layout.text(pdf)
    assert f"换发日期 {new.issued_on.year}年{new.issued_on.month}月{new.issued_on.day}日" in " ".join(text.split())
    assert "原证书发于2024年3月1日" in text
    pdf_layout.assert_inside_printable(pdf, margins=MARGIN)
    pdf_layout.assert_frame(pdf, box=FRAME)
