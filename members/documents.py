"""What goes into the certificate PDF: plain data and data: URLs only (alliance/pdf.py loads nothing else)."""

import segno
from django.conf import settings

from alliance.pdf import image_data_url


def qr_data_url(url):
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def chair_name(alliance, day):
    """The council's chair (理事长) in office on the day, who signs the certificate; "" when there is none."""
    from governance.models import Body, Seat

    seat = Seat.objects.in_office(day).filter(
        body__alliance=alliance, body__kind=Body.Kind.COUNCIL, role=Seat.Role.CHAIR).order_by("start_date").first()
    return seat.holder_name if seat else ""


def certificate_context(certificate):
    member = certificate.member
    alliance = member.alliance
    verify_url = settings.SITE_URL + certificate.get_verify_url()
    # A re-issued certificate (换发) says so, with the date the first one was issued.
    first = member.certificates.exclude(pk=certificate.pk).filter(issued_on__lte=certificate.issued_on) \
        .order_by("issued_on", "pk").first()
    return {
        "certificate": certificate,
        "member": member,
        "alliance": alliance,
        "first_issued_on": first.issued_on if first else None,
        "chair": chair_name(alliance, certificate.issued_on),
        "issuer": f"{alliance.name}秘书处",  # 000 art. 6 (三): the secretariat sends the certificate
        "verify_url": verify_url,
        "qr": qr_data_url(verify_url),
        "logo": image_data_url(alliance.logo),
    }
