"""The public 成员名录 at /a/<slug>/members/: current members only, names and status, never contact data."""

import pytest
from django.urls import reverse

from alliance.tests.factories import AllianceFactory
from members import services
from members.models import Member
from members.tests.factories import UNIT_DATA, admitted_member

pytestmark = pytest.mark.django_db


def _url(alliance, page=None):
    url = reverse("member_directory", args=[alliance.slug])
    return f"{url}?page={page}" if page else url


def test_directory_lists_current_members_with_number_kind_and_status(client):
    member, _staff = admitted_member()
    response = client.get(_url(member.alliance))
    assert response.status_code == 200
    text = response.content.decode()
    assert member.name in text and member.number in text and "单位成员" in text and "正常" in text


def test_directory_leaves_out_members_whose_membership_ended(client):
    member, staff = admitted_member()
    other, _ = admitted_member(alliance=member.alliance, unit_name="已除名的单位")
    services.member_expel(actor=staff, member=other, reference="理事会决议第1号")
    text = client.get(_url(member.alliance)).content.decode()
    assert member.name in text
    assert "已除名的单位" not in text


def test_directory_shows_no_contact_data(client):
    member, _staff = admitted_member()
    text = client.get(_url(member.alliance)).content.decode()
    for value in (UNIT_DATA["contact_mobile"], UNIT_DATA["contact_email"], UNIT_DATA["head_phone"],
                  UNIT_DATA["head_name"], UNIT_DATA["contact_name"], UNIT_DATA["address"], member.liaison.email,
                  member.user.email):
        assert value not in text


def test_directory_shows_only_its_own_alliance(client):
    member, _staff = admitted_member()
    other, _ = admitted_member(alliance=AllianceFactory(), unit_name="另一联盟的单位")
    text = client.get(_url(member.alliance)).content.decode()
    assert "另一联盟的单位" not in text and other.number not in text


def test_directory_pages_fifty_members_at_a_time(client):
    member, _staff = admitted_member()
    Member.objects.bulk_create(
        Member(alliance=member.alliance, kind="unit", name=f"成员{i:03d}", number=f"Z-{i:03d}",
               admitted_on=member.admitted_on)
        for i in range(60)
    )
    first = client.get(_url(member.alliance))
    assert len(first.context["page"].object_list) == 50
    second = client.get(_url(member.alliance, page=2))
    assert len(second.context["page"].object_list) == 11


def test_directory_of_an_unknown_alliance_is_404(client):
    assert client.get(reverse("member_directory", args=["no-such-alliance"])).status_code == 404


def test_alliance_page_links_the_directory(client):
    member, _staff = admitted_member()
    text = client.get(reverse("alliance_detail", args=[member.alliance.slug])).content.decode()
    assert _url(member.alliance) in text


@pytest.mark.parametrize("rows", [1, 6])
def test_directory_query_count_does_not_grow(client, django_assert_num_queries, rows):
    member, _staff = admitted_member()
    for i in range(rows - 1):
        admitted_member(alliance=member.alliance, unit_name=f"单位{i}")
    # The alliance, the count, the page.
    with django_assert_num_queries(3):
        assert client.get(_url(member.alliance)).status_code == 200
