"""Accounts against misuse: letter case gives no extra tries, the proxy's address is nobody's, staff sessions end
after a working day idle, and a reset link never names the host a request claimed."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from alliance.models import Email
from alliance.tasks import email_send
from alliance.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
BEHIND_ONE_PROXY = dict(TRUSTED_PROXY_COUNT=1)


def _login(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_varying_the_letter_case_of_the_email_gives_no_extra_tries():
    user = UserFactory(email="zhang.wei@example.cn")
    client = Client(REMOTE_ADDR="10.0.1.1")
    spellings = ["Zhang.Wei@example.cn", "ZHANG.WEI@EXAMPLE.CN", "zhang.wei@Example.cn", "zHang.wei@example.cn",
                 " zhang.wei@example.cn"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        _login(client, spelling, "wrong-password")
    assert _login(client, user.email, PASSWORD).status_code == 429


@override_settings(**BEHIND_ONE_PROXY)
def test_behind_the_proxy_failures_from_one_client_do_not_lock_the_account_for_another():
    user = UserFactory()
    proxy = Client(REMOTE_ADDR="127.0.0.1")  # every request arrives from the proxy's address
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # The attacker also sends a forged header of its own; the proxy appends the address it saw.
        _login(proxy, user.email, "wrong-password", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert _login(proxy, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert _login(proxy, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.44").status_code == 302


def test_a_staff_session_ends_after_a_working_day_idle_and_a_members_does_not():
    staff, person = UserFactory(is_staff=True), UserFactory()
    for user, longest in ((staff, settings.STAFF_SESSION_IDLE_SECONDS), (person, settings.SESSION_COOKIE_AGE)):
        client = Client()
        assert _login(client, user.email, PASSWORD).status_code == 302
        client.get(reverse("profile"))
        assert client.session.get_expiry_age() <= longest
        assert (client.session.get_expiry_age() <= 10 * 3600) is (user is staff)
    assert settings.STAFF_SESSION_IDLE_SECONDS <= 10 * 3600


@override_settings(ALLOWED_HOSTS=["*"], SITE_URL="https://portal.example.cn")
def test_a_password_reset_link_names_the_site_url_not_the_requests_host(client):
    user = UserFactory()
    client.post(reverse("password_reset"), {"email": user.email}, HTTP_HOST="evil.example.com")
    email_send(Email.objects.get().pk)
    body = mail.outbox[-1].body
    assert "https://portal.example.cn/accounts/reset/" in body or "https://portal.example.cn/" in body
    assert "evil.example.com" not in body
