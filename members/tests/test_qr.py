"""The QR code in a certificate encodes exactly the verification address (compared module by module)."""

import subprocess

import pytest
import segno
from PIL import Image

from members import services
from members.models import Certificate
from members.tests.factories import admitted_member


def assert_qr_encodes(pdf_path, url, tmp_path):
    """Extract the one image of the PDF and compare it pixel by pixel with segno's rendering of url."""
    subprocess.run(["pdfimages", "-png", str(pdf_path), str(tmp_path / "img")], check=True)
    images = sorted(tmp_path.glob("img-*.png"))
    expected_path = tmp_path / "expected.png"
    segno.make(url, error="m").save(str(expected_path), scale=6, border=2)
    expected = Image.open(expected_path).convert("L")
    assert any(
        Image.open(p).convert("L").size == expected.size
        and list(Image.open(p).convert("L").getdata()) == list(expected.getdata())
        for p in images
    ), f"no image in the PDF encodes {url}"


@pytest.mark.django_db
def test_the_certificate_qr_code_leads_to_the_verify_page(settings, tmp_path):
    settings.SITE_URL = "https://lianmeng.example.cn"
    member, _ = admitted_member()
    certificate = Certificate.objects.get(member=member)
    services.certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert_qr_encodes(certificate.file.path, f"https://lianmeng.example.cn/verify/{certificate.token}/", tmp_path)
    assert member.number not in certificate.token
