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


def test_the_demo_cop_ratifies_in_council_and_the_nmg_joint_meeting_can_vote():
    from governance.models import Motion, Seat

    call_command("loaddemo", stdout=io.StringIO())
    # 000 art. 11 (二): COP's approved member came in through the council's admission motion.
    member = Member.objects.get(alliance__slug="cop", application__isnull=False)
    [decision] = member.events.get().decisions.all()
    assert decision.kind == Motion.Kind.ADMIT_MEMBER and decision.status == Motion.Status.PASSED
    assert decision.meeting.body.kind == "council"
    # 001 art. 13: each member unit is represented at the joint meeting.
    seats = Seat.objects.in_office().filter(body__alliance__slug="nmg", body__kind="joint_meeting")
    assert seats.count() == 3
    assert {s.member_id for s in seats} == set(Member.objects.filter(alliance__slug="nmg").values_list("pk", flat=True))
