"""Distributions to member units are a charter rule (CharterRules.distribution_allowed): recorded where the
agreement grants 收益分配权 (seed 003: the six universities of 教师网联), refused where the charter forbids
sharing funds out among members (000 art. 21)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, staff_of
from finance import services
from finance.models import Distribution
from members.tests.factories import admitted_member

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 5, 1)


def _unit(*, allowed, article=""):
    alliance = AllianceFactory()
    alliance.rules.distribution_allowed = allowed
    alliance.rules.distribution_article = article
    alliance.rules.save()
    member, staff = admitted_member(alliance=alliance)
    return member, staff


def _record(staff, member, **extra):
    values = {"amount": Decimal("12000.50"), "paid_on": DAY, "basis": "理事会决议〔2026〕1号", **extra}
    return services.distribution_record(actor=staff, alliance=member.alliance, member=member, **values)


def test_a_distribution_is_refused_where_the_charter_forbids_sharing_funds_among_members():
    member, staff = _unit(allowed=False, article="第二十一条：联盟经费……不得在成员中分配")
    with pytest.raises(ValidationError) as exc:
        _record(staff, member)
    assert "不允许向成员分配" in str(exc.value) and "第二十一条" in str(exc.value)
    assert not Distribution.objects.exists()


def test_a_distribution_is_recorded_where_the_agreement_grants_a_share():
    member, staff = _unit(allowed=True, article="合作协议：六校共同享有收益分配权")
    distribution = _record(staff, member)
    assert (distribution.member, distribution.amount, distribution.recorded_by) == (member, Decimal("12000.50"), staff)
    assert distribution.history.get().history_user == staff


def test_a_distribution_to_another_alliances_member_is_refused():
    member, staff = _unit(allowed=True)
    outsider, _ = _unit(allowed=True)
    with pytest.raises(ValidationError) as exc:
        services.distribution_record(actor=staff, alliance=member.alliance, member=outsider, amount=Decimal("1"),
                                     paid_on=DAY, basis="x")
    assert "member" in exc.value.message_dict


def test_staff_of_another_alliance_cannot_record_a_distribution():
    member, _staff = _unit(allowed=True)
    with pytest.raises(PermissionDenied):
        _record(staff_of(AllianceFactory()), member)


def test_the_admin_shows_the_refusal_on_the_form_and_saves_nothing(client):
    member, staff = _unit(allowed=False, article="第二十一条")
    client.force_login(staff)
    response = client.post(reverse("admin:finance_distribution_add"), {
        "alliance": member.alliance.pk, "member": member.pk, "amount": "100.00", "paid_on": "2026-05-01",
        "basis": "方案", "reference": "",
    })
    assert response.status_code == 200 and "不允许向成员分配" in response.content.decode()
    assert not Distribution.objects.exists()


def test_in_the_demo_cop_refuses_a_distribution_and_the_six_universities_receive_one():
    from io import StringIO

    from django.core.management import call_command

    from members.models import Member

    call_command("loaddemo", stdout=StringIO())
    for slug, allowed in (("cop", False), ("jswl", True)):
        member = Member.objects.filter(alliance__slug=slug, kind="unit").order_by("pk").first()
        staff = staff_of(member.alliance)
        if allowed:
            assert _record(staff, member).alliance.slug == "jswl"
        else:
            with pytest.raises(ValidationError, match="第二十一条"):
                _record(staff, member)
    assert list(Distribution.objects.values_list("alliance__slug", flat=True)) == ["jswl"]
