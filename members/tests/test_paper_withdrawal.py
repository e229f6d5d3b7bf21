"""A written notice to leave received on paper, recorded by staff (000 art. 9; 001 art. 18)."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, staff_of
from members import services
from members.models import Kind, Member
from members.tests.factories import alliance_with

pytestmark = pytest.mark.django_db
M = Member.Status


def _member_without_account(**rules):
    alliance = alliance_with(**rules)
    staff = staff_of(alliance)
    member = services.member_enrol_by_charter(actor=staff, alliance=alliance, name="某师范学院", kind=Kind.UNIT,
                                              admitted_on=datetime.date(2021, 3, 1), reference="章程第五条")
    assert member.user is None
    return member, staff


def test_staff_record_a_paper_notice_for_a_member_without_an_account_effective_from_the_notice_date(monkeypatch):
    member, staff = _member_without_account(withdrawal_notice_months=1)
    services.member_withdrawal_record(actor=staff, member=member, notice_date=datetime.date(2026, 1, 31),
                                      note="来函〔2026〕3号")
    member.refresh_from_db()
    assert member.status == M.WITHDRAWAL_REQUESTED
    assert member.withdrawal_requested_on == datetime.date(2026, 1, 31)
    assert member.withdrawal_effective_on == datetime.date(2026, 2, 28)
    assert "2026年1月31日书面通知退出" in member.status_reason and "来函〔2026〕3号" in member.status_reason
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 2, 27))
    with pytest.raises(services.TransitionNotAllowed):
        services.member_withdraw(actor=staff, member=member)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 2, 28))
    services.member_withdraw(actor=staff, member=member)
    member.refresh_from_db()
    assert member.status == M.WITHDRAWN


def test_a_paper_notice_where_withdrawal_needs_approval_waits_for_the_decision():
    member, staff = _member_without_account(withdrawal_needs_approval=True)
    services.member_withdrawal_record(actor=staff, member=member, notice_date=datetime.date(2026, 1, 5), note="来函")
    member.refresh_from_db()
    assert member.status == M.WITHDRAWAL_REQUESTED and member.withdrawal_effective_on is None
    with pytest.raises(ValidationError):
        services.member_withdraw(actor=staff, member=member)


def test_a_paper_notice_dated_in_the_future_is_refused():
    member, staff = _member_without_account()
    with pytest.raises(ValidationError) as exc:
        services.member_withdrawal_record(actor=staff, member=member,
                                          notice_date=datetime.date.today() + datetime.timedelta(days=1), note="来函")
    assert "notice_date" in exc.value.message_dict
    member.refresh_from_db()
    assert member.status == M.ACTIVE


def test_staff_of_another_alliance_cannot_record_a_paper_notice():
    member, _staff = _member_without_account()
    with pytest.raises(PermissionDenied):
        services.member_withdrawal_record(actor=staff_of(AllianceFactory()), member=member,
                                          notice_date=datetime.date(2026, 1, 5), note="来函")


def test_staff_record_a_paper_notice_with_the_admin_action(client):
    member, staff = _member_without_account(withdrawal_notice_months=1)
    client.force_login(staff)
    url = reverse("admin:members_member_changelist")
    data = {"action": "record_withdrawal", ACTION_CHECKBOX_NAME: [member.pk]}
    assert "确认登记书面退出通知" in client.post(url, data).content.decode()
    response = client.post(url, {**data, "confirm": "1", "notice_date": "", "note": "来函"})
    assert "请填写通知日期。" in response.content.decode()
    member.refresh_from_db()
    assert member.status == M.ACTIVE
    client.post(url, {**data, "confirm": "1", "notice_date": "2026-03-10", "note": "来函"})
    member.refresh_from_db()
    assert (member.status, member.withdrawal_effective_on) == (M.WITHDRAWAL_REQUESTED, datetime.date(2026, 4, 10))
