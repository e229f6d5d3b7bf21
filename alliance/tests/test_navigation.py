"""The top navigation by role, breadcrumbs, the favicon, and the search over alliances, 成员名录 and 公示."""

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from governance.tests.factories import SeatFactory, council_with_directors
from members.tests.factories import admitted_member

pytestmark = pytest.mark.django_db


def nav(client, user=None):
    if user is not None:
        client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    return html[html.index("<nav"):html.index("</nav>")]


def test_a_member_sees_my_membership_and_not_my_applications(client):
    member, _staff = admitted_member()
    links = nav(client, member.user)
    assert "我的成员资格" in links and "我的入会申请" not in links
    page = client.get(reverse("members:my_applications")).content.decode()
    assert "<h1>我的成员资格</h1>" in page


def test_a_person_who_is_not_a_member_sees_my_applications(client):
    links = nav(client, UserFactory())
    assert "我的入会申请" in links and "我的成员资格" not in links


def test_people_without_a_seat_see_no_meetings_and_no_admin_link(client):
    links = nav(client, UserFactory())
    assert "我的会议" not in links and reverse("admin:index") not in links


def test_a_director_sees_my_meetings(client):
    _body, [seat] = council_with_directors(1)
    assert "我的会议" in nav(client, seat.user)


def test_staff_see_the_meetings_and_the_admin_link(client):
    links = nav(client, staff_of(AllianceFactory()))
    assert "我的会议" in links and reverse("admin:index") in links


def test_the_navigation_costs_one_query_for_a_signed_in_person_and_none_for_a_visitor(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from alliance.navigation import links_for

    member, _staff = admitted_member()
    _body, [seat] = council_with_directors(1)
    with django_assert_num_queries(1):
        labels = [label for label, _url in links_for(member.user)]
    assert "我的成员资格" in labels and "我的会议" not in labels
    with django_assert_num_queries(1):
        labels = [label for label, _url in links_for(seat.user)]
    assert "我的入会申请" in labels and "我的会议" in labels
    with django_assert_num_queries(0):
        assert links_for(AnonymousUser()) == []
        assert "我的成员资格" in [label for label, _url in links_for(member.user)]  # kept in the cache


def test_a_persons_links_change_on_their_next_page_when_they_are_admitted_or_seated(client):
    applicant = UserFactory()
    assert "我的入会申请" in nav(client, applicant) and "我的会议" not in nav(client)
    member, _staff = admitted_member(applicant=applicant)
    assert "我的成员资格" in nav(client)
    body, _seats = council_with_directors(1)
    seat = SeatFactory(body=body, user=applicant, order=5)
    assert "我的会议" in nav(client)
    seat.delete()
    assert "我的会议" not in nav(client)


def test_anonymous_visitors_see_login_search_and_the_public_pages_only(client):
    links = nav(client)
    assert "登录" in links and reverse("search") in links and reverse("projects:list") in links
    assert "我的入会申请" not in links and "我的会议" not in links


def test_inner_pages_have_breadcrumbs_from_the_home_page(client):
    _body, [seat] = council_with_directors(1)
    client.force_login(seat.user)
    html = client.get(reverse("governance:meeting_list")).content.decode()
    trail = html[html.index('<nav class="breadcrumbs"'):]
    assert trail.index("首页") < trail.index('aria-current="page">我的会议')
    assert '<nav class="breadcrumbs"' not in client.get(reverse("home")).content.decode()


def test_every_page_names_the_favicon_and_the_file_is_shipped(client):
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get(reverse("home")).content.decode()
    assert finders.find("favicon.svg")


# ---- search


def search(client, q, **params):
    return client.get(reverse("search"), {"q": q, **params})


def test_search_finds_alliances_members_and_notices_grouped_by_kind(client):
    from projects.models import SelectionNotice
    from projects.tests.factories import ProjectFactory

    member, _staff = admitted_member(unit_name="海淀区实验小学")
    AllianceFactory(name="海淀教师发展联盟")
    today = timezone.localdate()
    SelectionNotice.objects.create(project=ProjectFactory(), title="海淀试点县入选名单公示", starts_on=today,
                                   ends_on=today + datetime.timedelta(days=6), published_at=timezone.now())
    html = search(client, "海淀").content.decode()
    assert html.index('id="results-alliances"') < html.index('id="results-members"') < html.index('id="results-notices"')
    assert "海淀教师发展联盟" in html and "海淀区实验小学" in html and member.number in html
    assert "海淀试点县入选名单公示" in html


def test_search_shows_no_private_or_ended_or_unpublished_records(client):
    from members.models import Member

    member, _staff = admitted_member(unit_name="朝阳区第一小学")
    ended, _ = admitted_member(unit_name="朝阳区第二小学")
    Member.objects.filter(pk=ended.pk).update(status=Member.Status.WITHDRAWN)
    AllianceFactory(name="朝阳内部联盟", is_public=False)
    html = search(client, "朝阳").content.decode()
    assert "朝阳区第一小学" in html
    assert "朝阳区第二小学" not in html and "朝阳内部联盟" not in html
    assert member.application.contact_mobile not in html


def test_search_pages_each_group_on_its_own_and_keeps_the_query(client):
    for i in range(12):
        AllianceFactory(name=f"检索联盟{i:02d}")
    first = search(client, "检索联盟").content.decode()
    assert "（12）" in first and "检索联盟09" in first and "检索联盟10" not in first
    assert "alliances_page=2" in first and "q=%E6%A3%80" in first
    second = search(client, "检索联盟", alliances_page=2).content.decode()
    assert "检索联盟10" in second and "检索联盟00" not in second


def test_an_empty_or_odd_search_is_answered_not_refused(client):
    assert search(client, "").status_code == 200
    assert "没有找到" in search(client, "不存在的名称").content.decode()
    assert search(client, "%_'\"<script>\x00" * 20, alliances_page="x").status_code == 200


@pytest.mark.parametrize("kind", ["alliances", "members"])
def test_search_makes_as_many_queries_for_6_matches_as_for_1(client, django_assert_num_queries, kind):
    def add(n):
        for _ in range(n):
            if kind == "alliances":
                AllianceFactory(name=f"计数联盟{AllianceFactory._meta.model.objects.count()}")
            else:
                admitted_member(unit_name=f"计数学校{timezone.now().timestamp()}")

    add(1)
    search(client, "计数")
    with CaptureQueriesContext(connection) as one:
        assert search(client, "计数").status_code == 200
    expected = len(one.captured_queries)
    add(5)
    with django_assert_num_queries(expected):
        search(client, "计数")
