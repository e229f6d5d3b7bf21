"""The public 成员名录 at /a/<slug>/members/: current members only, names and status, never contact data."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from alliance.cache import FailSoftRedisCacheClient
from alliance.tests.factories import AllianceFactory
from members.models import Member
from members.tests.factories import UNIT_DATA, admitted_member, expelled

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
    expelled(other)
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


# The cache: the whole page, shared by the visitors who see the same layout (members/directory.py).


def _csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_cached_page_costs_no_query_for_anonymous_visitors(client, django_assert_num_queries):
    member, _staff = admitted_member()
    client.get(_url(member.alliance))
    with django_assert_num_queries(0):
        response = client.get(_url(member.alliance))
    assert response.status_code == 200 and member.name in response.content.decode()


def test_a_signed_in_visitor_gets_the_cached_page_with_their_own_name_and_links(client, django_assert_num_queries):
    member, staff = admitted_member()
    anonymous = Client()
    anonymous.get(_url(member.alliance))
    client.force_login(member.user)
    client.get(_url(member.alliance))
    with django_assert_num_queries(1):  # the user (the session and the navigation's facts come from the cache)
        text = client.get(_url(member.alliance)).content.decode()
    assert member.name in text and member.user.get_short_name() in text and "退出" in text and "我的成员资格" in text
    text = anonymous.get(_url(member.alliance)).content.decode()
    assert member.user.get_short_name() not in text and "退出" not in text
    staff_client = Client()
    staff_client.force_login(staff)
    text = staff_client.get(_url(member.alliance)).content.decode()
    assert staff.get_short_name() in text and "管理后台" in text
    assert member.user.get_short_name() not in text and "我的成员资格" not in text


def test_people_sharing_a_cached_page_each_see_only_their_own_name_and_token(client):
    first, _staff = admitted_member(applicant__name="<b>甲</b>")
    second, _staff = admitted_member(alliance=first.alliance, unit_name="第二个单位")
    visitors = []
    for member in (first, second):
        visitor = Client(enforce_csrf_checks=True)
        visitor.force_login(member.user)
        visitors.append((visitor, member, visitor.get(_url(first.alliance)).content.decode()))
    (_a, first_member, first_html), (b, second_member, second_html) = visitors
    assert "&lt;b&gt;甲&lt;/b&gt;" in first_html and "<b>甲</b>" not in first_html
    assert first_member.user.get_short_name() not in second_html and "甲" not in second_html
    assert second_member.user.get_short_name() in second_html
    assert _csrf_token(first_html) != _csrf_token(second_html)
    response = b.post(reverse("set_language"), {"language": "en", "next": "/",
                                                "csrfmiddlewaretoken": _csrf_token(second_html)})
    assert response.status_code == 302


@pytest.mark.parametrize("change", ["admit", "rename", "expel", "rename_alliance"])
def test_the_cached_page_changes_with_the_next_request_after_a_change(client, change):
    member, staff = admitted_member()
    alliance = member.alliance
    signed_in = Client()
    signed_in.force_login(staff)
    for visitor in (client, signed_in):
        visitor.get(_url(alliance))
    if change == "admit":
        admitted_member(alliance=alliance, unit_name="新入会的单位")
        expected, gone = "新入会的单位", None
    elif change == "rename":
        member.name = "更名后的单位"
        member.save()
        expected, gone = "更名后的单位", UNIT_DATA["unit_name"]
    elif change == "expel":
        expelled(member)
        expected, gone = "暂无成员", member.number
    else:
        alliance.name = "更名后的联盟"
        alliance.save()
        expected, gone = "更名后的联盟", None
    for visitor in (client, signed_in):
        text = visitor.get(_url(alliance)).content.decode()
        assert expected in text
        assert gone is None or gone not in text


def test_a_change_committed_after_a_page_was_rendered_invalidates_it_again(
    client, django_capture_on_commit_callbacks
):
    member, _staff = admitted_member()
    with django_capture_on_commit_callbacks() as callbacks:
        member.name = "更名后的单位"
        member.save()
        # A request that read the rows before the commit stores the page under the version set by the save.
        client.get(_url(member.alliance))
    for callback in callbacks:  # the commit
        callback()
    assert client.get(_url(member.alliance)).context is not None  # rendered again, not served from the cache


def test_a_directory_made_private_or_moved_to_another_slug_is_not_served_from_the_cache(client):
    member, _staff = admitted_member()
    alliance = member.alliance
    old_url = _url(alliance)
    client.get(old_url)
    alliance.slug = "new-slug"
    alliance.save()
    assert client.get(old_url).status_code == 404
    assert client.get(_url(alliance)).status_code == 200
    alliance.is_public = False
    alliance.save()
    assert client.get(_url(alliance)).status_code == 404


def test_anonymous_visitors_each_get_their_own_csrf_token_that_works():
    member, _staff = admitted_member()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = [_csrf_token(visitor.get(_url(member.alliance)).content.decode()) for visitor in (first, second)]
    assert tokens[0] != tokens[1]
    assert first.post(reverse("set_language"), {"language": "en", "next": "/",
                                                "csrfmiddlewaretoken": tokens[1]}).status_code == 403
    response = second.post(reverse("set_language"), {"language": "en", "next": "/",
                                                     "csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302


def test_english_and_chinese_pages_are_cached_apart(client):
    member, _staff = admitted_member()
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        english_date = formats.date_format(member.admitted_on, "DATE_FORMAT")
    chinese_date = formats.date_format(member.admitted_on, "DATE_FORMAT")
    for _ in range(2):
        chinese_html = client.get(_url(member.alliance)).content.decode()
        english_html = english.get(_url(member.alliance)).content.decode()
        assert '<html lang="zh-hans">' in chinese_html and "登录" in chinese_html
        assert '<html lang="en">' in english_html and "Log in" in english_html
        assert chinese_date in chinese_html and english_date in english_html


def test_a_message_waiting_for_an_anonymous_visitor_is_shown_to_them_only(client):
    member, _staff = admitted_member()
    client.get(_url(member.alliance))
    # A message queued before signing out, as the message framework keeps it: in a cookie.
    storage, response = CookieStorage(HttpRequest()), HttpResponse()
    storage.add(constants.SUCCESS, "只给这位访客的消息")
    storage.update(response)
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    assert "只给这位访客的消息" in client.get(_url(member.alliance)).content.decode()
    assert "只给这位访客的消息" not in Client().get(_url(member.alliance)).content.decode()


@pytest.mark.parametrize("query", ["page=1&x=1", "page=01", "page=abc", "page=9"])
def test_other_query_strings_and_pages_past_the_last_are_not_cached(client, query):
    member, _staff = admitted_member()
    url = f"{_url(member.alliance)}?{query}"
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200 and member.name in response.content.decode()
    assert response.context is not None  # rendered, not served from the cache


def test_the_page_renders_from_the_database_when_the_cache_is_unreachable(client, settings, caplog, monkeypatch):
    monkeypatch.setattr(FailSoftRedisCacheClient, "down_until", 0.0)
    settings.CACHES = {"default": {"BACKEND": "alliance.cache.FailSoftRedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 0.5}}}
    member, staff = admitted_member()
    for _ in range(2):
        response = client.get(_url(member.alliance))
        assert response.status_code == 200 and member.name in response.content.decode()
    assert "Cache unavailable" in caplog.text
