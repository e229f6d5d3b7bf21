"""Activities hosted in turn (001 art. 23: 联盟成员轮流承办相关活动，经费不足部分由主持活动的成员单位补助)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance.tests.factories import staff_of
from finance import services
from finance.models import HostedActivity, Income
from members.models import Member
from members.tests.factories import admitted_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    first, staff = admitted_member()
    second, _ = admitted_member(alliance=first.alliance)
    third, _ = admitted_member(alliance=first.alliance)
    for days, member in enumerate((first, second, third)):  # joined in this order
        Member.objects.filter(pk=member.pk).update(admitted_on=datetime.date(2024, 1, 1) + datetime.timedelta(days))
    return [first, second, third], staff


def _activity(staff, alliance, title, held_on, host=None):
    return services.hosted_activity_create(actor=staff, alliance=alliance, title=title, held_on=held_on,
                                           budget=Decimal("10000.00"), host=host)


def test_001_art_23_the_next_host_is_the_first_member_unit_in_join_order_that_has_not_hosted(units):
    (first, second, third), staff = units
    alliance = first.alliance
    assert _activity(staff, alliance, "教研年会", datetime.date(2026, 3, 1)).host == first
    assert _activity(staff, alliance, "专题研讨", datetime.date(2026, 6, 1)).host == second
    assert _activity(staff, alliance, "现场观摩", datetime.date(2026, 9, 1)).host == third
    # Every unit has hosted: the turn comes back to the one that hosted longest ago.
    assert services.host_rotation_next(alliance=alliance) == first


def test_001_art_23_the_hosts_shortfall_is_its_cost_contribution_in_finance(units):
    (first, *_), staff = units
    activity = _activity(staff, first.alliance, "教研年会", datetime.date(2026, 3, 1))
    activity = services.hosted_activity_settle(actor=staff, activity=activity, contributed=Decimal("6500.00"))
    income = activity.shortfall
    assert income.amount == Decimal("3500.00") and income.member == first
    assert income.source == Income.Source.COST_CONTRIBUTION and "第二十三条" in income.purpose
    with pytest.raises(ValidationError):
        services.hosted_activity_settle(actor=staff, activity=activity, contributed=Decimal("0"))


def test_001_art_23_an_activity_fully_funded_records_no_contribution(units):
    (first, *_), staff = units
    activity = _activity(staff, first.alliance, "教研年会", datetime.date(2026, 3, 1))
    activity = services.hosted_activity_settle(actor=staff, activity=activity, contributed=Decimal("12000.00"))
    assert activity.shortfall is None and activity.shortfall_amount == Decimal("0.00")
    assert not Income.objects.exists()


def test_001_art_23_an_activity_not_yet_held_is_not_settled(units):
    (first, *_), staff = units
    activity = _activity(staff, first.alliance, "教研年会", timezone.localdate() + datetime.timedelta(days=3))
    with pytest.raises(ValidationError):
        services.hosted_activity_settle(actor=staff, activity=activity, contributed=Decimal("1"))


def test_001_art_23_the_host_sees_its_contribution_among_its_finance_records(client, units):
    (first, *_), staff = units
    activity = _activity(staff, first.alliance, "教研年会", datetime.date(2026, 3, 1))
    services.hosted_activity_settle(actor=staff, activity=activity, contributed=Decimal("6500.00"))
    client.force_login(first.user)
    page = client.get(reverse("finance:my_invoices")).content.decode()
    assert "分担经费" in page and "3,500.00" in page and "教研年会" in page


def test_001_art_23_staff_of_another_alliance_cannot_record_or_settle(units):
    (first, *_), staff = units
    other_staff = staff_of(admitted_member()[0].alliance)
    with pytest.raises(PermissionDenied):
        _activity(other_staff, first.alliance, "教研年会", datetime.date(2026, 3, 1))
    activity = _activity(staff, first.alliance, "教研年会", datetime.date(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        services.hosted_activity_settle(actor=other_staff, activity=activity, contributed=Decimal("1"))


def test_001_art_23_the_admin_proposes_the_rotation_and_a_refusal_shows_on_the_form(client, units):
    (first, second, _), staff = units
    client.force_login(staff)
    page = client.get(reverse("admin:finance_hostedactivity_add")).content.decode()
    assert f"{first.name} → {second.name}" in page
    form = {"alliance": first.alliance.pk, "title": "教研年会", "held_on": "2026-03-01", "budget": "10000.00",
            "host": ""}
    assert client.post(reverse("admin:finance_hostedactivity_add"), form).status_code == 302
    activity = HostedActivity.objects.get()
    assert activity.host == first
    url = reverse("admin:finance_hostedactivity_change", args=[activity.pk])
    response = client.post(url, {"contributed": ""})
    assert response.status_code == 200 and "没有则填 0" in response.content.decode()
    assert client.post(url, {"contributed": "4000.00"}).status_code == 302
    assert Income.objects.get().amount == Decimal("6000.00")


def test_the_hosted_activities_changelist_makes_as_many_queries_for_1_row_as_for_6(client, units,
                                                                                   django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    (first, *_), staff = units
    client.force_login(staff)
    url = reverse("admin:finance_hostedactivity_changelist")

    def add_rows(n):
        for i in range(n):
            activity = _activity(staff, first.alliance, f"活动{HostedActivity.objects.count()}-{i}",
                                 datetime.date(2026, 3, 1))
            services.hosted_activity_settle(actor=staff, activity=activity, contributed=Decimal("100"))

    add_rows(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_rows(5)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
