"""Data for the drills, made through the services (and the test factories that call them).

Run by the drills in their own environment: ``python bench/drills/fixtures.py <what> [n]``; prints JSON.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

import django  # noqa: E402

django.setup()

from alliance.tests.factories import AllianceFactory, UserFactory  # noqa: E402

PASSWORD = "Drill-2026-pass"


def members(n):
    """n admitted members of one alliance: each admission issues a certificate and enqueues its rendering."""
    from members.models import Certificate
    from members.tests.factories import admitted_member

    alliance = AllianceFactory(name="演练联盟（证书）", slug="drill-certs", code="DRC")
    for _ in range(int(n)):
        admitted_member(alliance=alliance)
    return {"alliance_id": alliance.pk,
            "certificates": Certificate.objects.filter(member__alliance=alliance).count()}


def applicants(n):
    """A public alliance taking individual applications, and n people with accounts who will apply."""
    alliance = AllianceFactory(name="演练联盟（申请）", slug="drill-apply", code="DRA")
    emails = []
    for i in range(int(n)):
        user = UserFactory(email=f"drill-applicant-{i}@example.cn", name=f"申请人{i}", password=PASSWORD)
        emails.append(user.email)
    return {"alliance_id": alliance.pk, "slug": alliance.slug, "emails": emails, "password": PASSWORD}


def several(n):
    """An alliance whose secretariat approves applications itself, n admitted members for its directory, two
    people who will apply and a secretariat account to approve them."""
    from alliance.models import CharterRules
    from alliance.tests.factories import staff_of
    from members.tests.factories import admitted_member

    alliance = AllianceFactory(name="演练联盟（多机）", slug="drill-hosts", code="DRH")
    CharterRules.objects.filter(alliance=alliance).update(admission_route=CharterRules.AdmissionRoute.SECRETARIAT,
                                                          admits_individuals=True)
    for _ in range(int(n)):
        admitted_member(alliance=alliance)
    people = [UserFactory(email=f"drill-host-{i}@example.cn", name=f"申请人{i}", password=PASSWORD).email
              for i in range(2)]
    staff = staff_of(alliance, email="drill-hosts-staff@example.cn", password=PASSWORD)
    return {"alliance_id": alliance.pk, "slug": alliance.slug, "emails": people, "staff": staff.email,
            "password": PASSWORD}


def site():
    alliance = AllianceFactory(name="演练联盟（站点）", slug="drill-site", code="DRS")
    return {"alliance_id": alliance.pk, "slug": alliance.slug}


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    print(json.dumps({"members": members, "applicants": applicants, "several": several, "site": site}[what](*args)))
