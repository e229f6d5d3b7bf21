"""The demo loads the seed members and applications, and a second run writes nothing."""

import io

import pytest
from django.core.management import call_command

from members.models import Application, Certificate, Liaison, Member

pytestmark = pytest.mark.django_db


def _counts():
    return (Member.history.count(), Application.history.count(), Liaison.history.count(),
            Certificate.history.count())


def test_loaddemo_loads_the_seed_members_and_is_idempotent():
    call_command("loaddemo", stdout=io.StringIO())
    first = _counts()
    call_command("loaddemo", stdout=io.StringIO())
    assert _counts() == first
    assert Member.objects.filter(alliance__slug="gz").count() == 6
    assert set(Member.objects.filter(alliance__slug="jswl").values_list("name", flat=True)) == {
        "北京师范大学", "华东师范大学", "东北师范大学", "华中师范大学", "陕西师范大学", "西南大学"}
    assert Application.objects.get(applicant__email="applicant@demo.test").status == Application.Status.SUBMITTED
    assert Application.objects.get(alliance__slug="nmg").status == Application.Status.SUBMITTED
    statuses = set(Application.objects.filter(alliance__slug="cop").values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "rejected", "approved"}
