"""Login: lock-out after repeated failures (django-axes), CSRF on every public form, production cookies/HSTS."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from alliance.tests.factories import PASSWORD, UserFactory

BASE_DIR = Path(settings.BASE_DIR)


def _login(client, email, password, url=None):
    return client.post(url or reverse("login"), {"username": email, "password": password})


@pytest.mark.django_db
def test_a_login_is_locked_out_after_repeated_failures_with_a_chinese_page():
    user = UserFactory()
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.email, "wrong-password").status_code == 200
    locked = _login(client, user.email, "wrong-password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and f"连续 {settings.AXES_FAILURE_LIMIT} 次登录失败" in page
    # Even the right password is refused during the cool-off period.
    assert _login(client, user.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_out_is_per_account_and_address():
    user, other = UserFactory(), UserFactory()
    attacker = Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, user.email, "wrong-password")
    assert _login(attacker, user.email, PASSWORD).status_code == 429
    # The same account from another address, and another account from the attacker's address, still log in.
    assert _login(Client(REMOTE_ADDR="10.0.0.3"), user.email, PASSWORD).status_code == 302
    assert _login(attacker, other.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_locked_out_too():
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR="10.0.0.4")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, admin.email, "wrong-password", url)
    assert _login(client, admin.email, PASSWORD, url).status_code == 429


@pytest.mark.django_db
def test_a_success_before_the_limit_resets_the_count():
    user = UserFactory()
    client = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, user.email, "wrong-password")
    assert _login(client, user.email, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.email, "wrong-password").status_code == 200
    assert _login(client, user.email, PASSWORD).status_code == 302


def test_the_lock_out_is_configured_by_account_and_address_with_a_cool_off():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_COOLOFF_TIME.total_seconds() >= 15 * 60
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def _production_settings():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(DEBUG="0", SECRET_KEY="x" * 64, ALLOWED_HOSTS="portal.example.cn",
               DJANGO_SETTINGS_MODULE="alliance.settings")
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'X_FRAME_OPTIONS',"
        " 'SECURE_CONTENT_TYPE_NOSNIFF', 'AXES_ENABLED']}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                         check=True)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_settings_use_secure_cookies_hsts_and_the_lock_out():
    prod = _production_settings()
    assert prod["DEBUG"] is False
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"] and prod["SESSION_COOKIE_HTTPONLY"]
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000 and prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert prod["SECURE_SSL_REDIRECT"] and prod["X_FRAME_OPTIONS"] == "DENY" and prod["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert prod["AXES_ENABLED"] is True
