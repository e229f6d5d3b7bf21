"""Sign-up as a Chinese user expects: a verified e-mail address, the 个人信息保护法 consent, and a form that does not
reveal which addresses have accounts."""

import re
import time

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliance import services
from alliance.models import Email, User
from alliance.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Str0ng-pass-2026"


def signup_data(email="wang@example.cn", **extra):
    return {"email": email, "name": "王老师", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
            "privacy_consent": "on", **extra}


def link_in(email):
    return re.search(r"http\S+/accounts/verify-email/\S+/", email.body).group(0)


def path_of(link):
    return link.removeprefix(settings.SITE_URL)


def _page_without_tokens(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_signup_opens_an_unverified_account_with_the_consent_and_mails_the_verification_link(client):
    response = client.post(reverse("signup"), signup_data(email="Wang@Example.cn"))
    assert response.status_code == 302 and response.url == reverse("signup_done")
    user = User.objects.get(email="wang@example.cn")
    assert user.name == "王老师" and user.check_password(NEW_PASSWORD)
    assert user.email_verified_at is None and not user.email_verified
    assert user.privacy_consent_version == services.PRIVACY_NOTICE_VERSION
    assert user.privacy_consent_at is not None
    # Nobody is signed in until the address is verified and the person logs in.
    assert "_auth_user_id" not in client.session
    (email,) = Email.objects.filter(to="wang@example.cn")
    assert "验证" in email.subject and link_in(email).startswith(settings.SITE_URL)


def test_signup_without_the_privacy_consent_is_refused_next_to_the_box_and_opens_nothing(client):
    data = signup_data()
    del data["privacy_consent"]
    response = client.post(reverse("signup"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["privacy_consent"] == ["请阅读并勾选同意《个人信息处理规则》后再注册。"]
    assert 'value="王老师"' in response.content.decode()
    assert not User.objects.exists() and not Email.objects.exists()


def test_the_signup_form_states_the_consent_facts_and_links_the_privacy_page(client, settings):
    settings.SITE_OPERATOR = "某某教育科技有限公司"
    page = client.get(reverse("signup")).content.decode()
    for fact in ("目的", "保存的信息", "保存期限", "谁能看到", "您的权利", "某某教育科技有限公司"):
        assert fact in page
    assert f'href="{reverse("privacy")}"' in page


def test_signup_refuses_mismatched_passwords_in_chinese(client):
    response = client.post(reverse("signup"), signup_data(password2="other-pass-2026"))
    assert "输入的两个密码不一致。" in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_a_registered_address_answers_exactly_as_for_a_new_one(client):
    UserFactory(email="li@example.cn", name="李老师")
    new = Client().post(reverse("signup"), signup_data(email="wang@example.cn"))
    known = Client().post(reverse("signup"), signup_data(email="LI@example.cn"))
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert sorted(known.cookies) == sorted(new.cookies)
    assert _page_without_tokens(Client().get(known["Location"])) == _page_without_tokens(Client().get(new["Location"]))
    # The registered account is untouched; its owner hears that someone tried, with the way to reset.
    owner = User.objects.get(email="li@example.cn")
    assert owner.name == "李老师" and owner.check_password(PASSWORD)
    (notice,) = Email.objects.filter(to="li@example.cn")
    assert "有人尝试" in notice.subject and reverse("password_reset") in notice.body
    assert "verify-email" not in notice.body


def test_signing_up_again_before_verifying_mails_a_working_link_and_keeps_the_first_password(client):
    client.post(reverse("signup"), signup_data())
    User.objects.update(account_mail_sent_at=None)
    client.post(reverse("signup"), signup_data(password1="Another-pass-2026", password2="Another-pass-2026"))
    notice = Email.objects.filter(subject__contains="有人尝试").get()
    assert client.get(path_of(link_in(notice))).status_code == 302
    user = User.objects.get()
    assert user.email_verified and user.check_password(NEW_PASSWORD)


def test_signup_hashes_the_password_for_a_registered_address_too(client, monkeypatch):
    """The same work in both branches, so the time taken does not tell a registered address from a new one."""
    from django.contrib.auth import base_user

    hashed = []
    real = base_user.make_password
    monkeypatch.setattr(base_user, "make_password", lambda *a, **kw: hashed.append(1) or real(*a, **kw))
    UserFactory(email="li@example.cn")
    hashed.clear()
    client.post(reverse("signup"), signup_data(email="wang@example.cn"))
    client.post(reverse("signup"), signup_data(email="li@example.cn"))
    assert len(hashed) == 2


def test_a_registered_address_is_mailed_at_most_once_a_minute_however_often_it_is_signed_up(client):
    UserFactory(email="li@example.cn")
    for _ in range(3):
        assert client.post(reverse("signup"), signup_data(email="li@example.cn")).url == reverse("signup_done")
    assert Email.objects.filter(to="li@example.cn").count() == 1
    User.objects.filter(email="li@example.cn").update(account_mail_sent_at=timezone.now() - timezone.timedelta(
        minutes=2))
    client.post(reverse("signup"), signup_data(email="li@example.cn"))
    assert Email.objects.filter(to="li@example.cn").count() == 2


def test_the_verification_link_verifies_the_account_and_sends_to_login(client):
    client.post(reverse("signup"), signup_data())
    response = client.get(path_of(link_in(Email.objects.get())))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    user = User.objects.get()
    assert user.email_verified
    assert user.history.latest().history_change_reason == "验证电子邮箱"
    # Following it again changes nothing.
    verified_at = user.email_verified_at
    assert client.get(path_of(link_in(Email.objects.get()))).status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at == verified_at


def test_a_signed_in_person_following_their_link_returns_to_the_profile_verified(client):
    client.post(reverse("signup"), signup_data())
    user = User.objects.get()
    client.force_login(user)
    response = client.get(path_of(link_in(Email.objects.get())), follow=True)
    assert response.redirect_chain[-1][0] == reverse("profile")
    assert "电子邮箱已验证" in response.content.decode() and "（已验证）" in response.content.decode()


def test_an_expired_link_is_refused_and_verifies_nothing(client):
    client.post(reverse("signup"), signup_data())
    user = User.objects.get()

    class Earlier(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - settings.EMAIL_VERIFICATION_DAYS * 86400 - 60)

    token = Earlier(salt=services.EMAIL_VERIFICATION_SALT).sign_object({"id": user.pk, "email": user.email})
    response = client.get(reverse("email_verify", args=[token]))
    assert response.status_code == 400
    assert "验证链接已过期" in response.content.decode()
    assert reverse("email_verify_resend") in response.content.decode()
    user.refresh_from_db()
    assert not user.email_verified


def test_a_tampered_link_is_refused_and_verifies_nothing(client):
    client.post(reverse("signup"), signup_data())
    token = link_in(Email.objects.get()).rstrip("/").rsplit("/", 1)[1]
    payload, rest = token.split(":", 1)
    for forged in (payload[:-1] + ("A" if payload[-1] != "A" else "B") + ":" + rest, token[:-2], "forged"):
        response = client.get(reverse("email_verify", args=[forged]))
        assert response.status_code == 400 and "验证链接无效" in response.content.decode()
    assert not User.objects.get().email_verified


def test_a_token_signed_for_another_purpose_does_not_verify(client):
    client.post(reverse("signup"), signup_data())
    user = User.objects.get()
    token = signing.dumps({"id": user.pk, "email": user.email}, salt="another-purpose")
    assert client.get(reverse("email_verify", args=[token])).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_a_link_for_another_account_does_nothing_for_either(client):
    client.post(reverse("signup"), signup_data(email="wang@example.cn"))
    client.post(reverse("signup"), signup_data(email="zhao@example.cn"))
    wang, zhao = User.objects.get(email="wang@example.cn"), User.objects.get(email="zhao@example.cn")
    client.force_login(zhao)
    response = client.get(path_of(link_in(Email.objects.get(to="wang@example.cn"))))
    assert response.status_code == 400 and "属于另一个账号" in response.content.decode()
    wang.refresh_from_db(), zhao.refresh_from_db()
    assert not wang.email_verified and not zhao.email_verified


def test_a_link_stops_working_once_the_account_changes_its_address(client):
    client.post(reverse("signup"), signup_data())
    link = link_in(Email.objects.get())
    User.objects.update(email="new@example.cn")
    assert client.get(path_of(link)).status_code == 400
    assert not User.objects.get().email_verified


def test_resend_mails_a_new_link_at_most_once_a_minute(client):
    client.post(reverse("signup"), signup_data())
    user = User.objects.get()
    client.force_login(user)
    page = client.get(reverse("email_verify_resend")).content.decode()
    assert "尚未验证" in page
    # The sign-up's own mail was just sent: a resend at once is refused with the reason.
    response = client.post(reverse("email_verify_resend"), follow=True)
    assert "请一分钟后再试" in response.content.decode()
    assert Email.objects.count() == 1
    User.objects.update(account_mail_sent_at=timezone.now() - timezone.timedelta(seconds=61))
    response = client.post(reverse("email_verify_resend"), follow=True)
    assert "验证邮件已发送至 wang@example.cn" in response.content.decode()
    assert Email.objects.count() == 2
    client.post(reverse("email_verify_resend"))
    assert Email.objects.count() == 2
    # The new link works.
    client.get(path_of(link_in(Email.objects.latest("pk"))))
    user.refresh_from_db()
    assert user.email_verified


def test_resend_for_a_verified_account_sends_nothing(client):
    user = UserFactory()
    client.force_login(user)
    assert "已验证" in client.get(reverse("email_verify_resend")).content.decode()
    response = client.post(reverse("email_verify_resend"), follow=True)
    assert "无需再次验证" in response.content.decode()
    assert not Email.objects.exists()


def test_resend_requires_login(client):
    response = client.post(reverse("email_verify_resend"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not Email.objects.exists()


def test_accounts_opened_by_staff_factories_and_managers_count_as_verified():
    admin = UserFactory(is_superuser=True, is_staff=True)
    opened = services.account_create(actor=admin, email="staff-made@example.cn", name="张三")
    assert opened.email_verified and UserFactory().email_verified
    assert User.objects.create_user(email="import@example.cn", name="导入").email_verified


def test_the_lock_out_applies_to_an_account_opened_by_signup(client):
    client.post(reverse("signup"), signup_data())
    attacker = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(reverse("login"), {"username": "wang@example.cn", "password": "wrong-password"})
    assert attacker.post(reverse("login"), {"username": "wang@example.cn", "password": NEW_PASSWORD}).status_code == 429


def test_an_unverified_account_may_log_in_and_is_shown_how_to_verify(client):
    client.post(reverse("signup"), signup_data())
    response = client.post(reverse("login"), {"username": "wang@example.cn", "password": NEW_PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("profile")).content.decode()
    assert "未验证" in page and reverse("email_verify_resend") in page


def test_the_privacy_page_states_what_is_collected_who_sees_it_and_the_rights(client, settings):
    settings.SITE_OPERATOR = "某某教育科技有限公司"
    response = client.get(reverse("privacy"))
    page = response.content.decode()
    assert response.status_code == 200
    for fact in ("某某教育科技有限公司", "手机", "统一社会信用代码", "证明材料", "秘书处", "评审专家", "成员名录",
                 "保存至", "查阅、复制、更正", services.PRIVACY_NOTICE_VERSION):
        assert fact in page
    # Linked from every page's footer.
    assert f'href="{reverse("privacy")}"' in client.get(reverse("home")).content.decode()


def test_signups_from_one_address_over_the_hourly_limit_are_refused_and_open_nothing(settings):
    settings.SIGNUP_LIMIT_PER_HOUR = 2
    school = Client(REMOTE_ADDR="10.0.1.1")
    # A form sent back for a typo does not count.
    assert school.post(reverse("signup"), signup_data(email="t0@example.cn", password2="typo")).status_code == 200
    for n in range(2):
        assert school.post(reverse("signup"), signup_data(email=f"t{n}@example.cn")).status_code == 302
    refused = school.post(reverse("signup"), signup_data(email="t2@example.cn"))
    assert refused.status_code == 429 and "注册过于频繁" in refused.content.decode()
    assert not User.objects.filter(email="t2@example.cn").exists()
    # Another address signs up as usual.
    assert Client(REMOTE_ADDR="10.0.1.2").post(reverse("signup"), signup_data(email="t2@example.cn")).status_code == 302
    assert User.objects.count() == 3


def test_the_account_admin_shows_the_verification_and_the_consent_without_letting_them_be_edited(client):
    client.post(reverse("signup"), signup_data())
    person = User.objects.get()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:alliance_user_change", args=[person.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "邮箱验证时间" in page and "所同意的规则版本" in page and services.PRIVACY_NOTICE_VERSION in page
    form = response.context["adminform"].form
    assert not {"email_verified_at", "privacy_consent_at", "privacy_consent_version"} & set(form.fields)
