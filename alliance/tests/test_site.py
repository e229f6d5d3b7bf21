"""The public site: home, alliance pages, language switch, accounts and the health check."""

import pytest
from django.core import mail
from django.urls import reverse

from alliance.models import Email
from alliance.tests.factories import AllianceFactory, AnnouncementFactory, UserFactory
from governance.tests.factories import BodyFactory, SeatFactory

pytestmark = pytest.mark.django_db


def test_home_lists_public_alliances_in_chinese(client):
    AllianceFactory(name="靠谱 COP 联盟")
    AllianceFactory(name="隐藏联盟", is_public=False)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "联盟一览" in html and "靠谱 COP 联盟" in html
    assert "隐藏联盟" not in html


def test_an_english_browser_still_gets_chinese_by_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()


def test_language_switch_turns_the_interface_to_english(client):
    AllianceFactory(name="靠谱 COP 联盟")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Alliances" in html and "Log in" in html


def test_alliance_page_shows_officers_in_office_and_published_announcements(client):
    alliance = AllianceFactory(name="靠谱 COP 联盟", slug="cop")
    council = BodyFactory(alliance=alliance, name="理事会")
    SeatFactory(body=council, role="chair", person_name="陈莉")
    SeatFactory(body=council, role="director", person_name="已卸任", end_date="2025-06-30")
    AnnouncementFactory(alliance=alliance, title="年会通知")
    AnnouncementFactory(alliance=alliance, title="草稿公告", is_published=False)
    html = client.get(reverse("alliance_detail", args=["cop"])).content.decode()
    assert "理事长：陈莉" in html
    assert "已卸任" not in html
    assert "年会通知" in html and "草稿公告" not in html


def test_a_hidden_alliance_page_is_not_found(client):
    AllianceFactory(slug="hidden", is_public=False)
    assert client.get(reverse("alliance_detail", args=["hidden"])).status_code == 404


def test_alliance_page_query_count_does_not_grow_with_bodies_and_seats(client, django_assert_num_queries):
    alliance = AllianceFactory(slug="cop")

    def add(n):
        for _ in range(n):
            SeatFactory(body=BodyFactory(alliance=alliance))
            AnnouncementFactory(alliance=alliance)

    add(1)
    url = reverse("alliance_detail", args=["cop"])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(5)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_profile_requires_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_profile_update_is_recorded_in_history_with_the_actor(client):
    user = UserFactory(name="旧名")
    client.force_login(user)
    response = client.post(reverse("profile"), {"name": "新名", "phone": "13800138000"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "新名"
    latest = user.history.latest()
    assert latest.history_user == user and latest.history_change_reason == "修改个人资料"


def test_password_reset_sends_a_working_link_through_the_outbox(client, django_capture_on_commit_callbacks, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    user = UserFactory(email="reset@example.cn")
    from alliance import tasks

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("password_reset"), {"email": "reset@example.cn"})
    email = Email.objects.get(to="reset@example.cn")
    tasks.email_send(email.pk)  # what the worker does
    body = mail.outbox[0].body
    assert "重设" in mail.outbox[0].subject
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    assert link.startswith(settings.SITE_URL + "/accounts/reset/")
    path = link[len(settings.SITE_URL):]
    response = client.get(path, follow=True)
    response = client.post(response.redirect_chain[-1][0], {
        "new_password1": "N3w-pass-2026!", "new_password2": "N3w-pass-2026!",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("N3w-pass-2026!")


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert not Email.objects.exists()


def test_healthz_reports_database_and_broker_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_answers_503_when_the_broker_is_down(client, monkeypatch):
    from kombu import Connection

    from alliance import views

    monkeypatch.setattr(
        views.celery_app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0", connect_timeout=1)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_healthz_answers_503_whatever_the_broker_raises(client, monkeypatch):
    from alliance import views

    def transport_cannot_load():
        raise ModuleNotFoundError("No module named 'packaging'")

    monkeypatch.setattr(views.celery_app, "connection_for_write", transport_cannot_load)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "down"}


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    from alliance import views

    class Broken:
        def __enter__(self):
            raise views.DatabaseError("connection refused")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(views.connection, "cursor", lambda: Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
