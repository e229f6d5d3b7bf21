"""Steps that several browser journeys share."""

import re

from alliance.models import Email


def outbox_link(email, path):
    """The first link in email's body to path (e.g. "/accounts/verify-email/")."""
    return re.search(rf"http\S+{re.escape(path)}\S+/", email.body).group(0)


def sign_up_and_verify(page, live_server, *, email, name, password):
    """A new person signs up (with the consent), opens the link of the verification e-mail in the outbox and logs
    in: the page ends on the profile. The outbox's links name settings.SITE_URL: set it to live_server.url."""
    page.goto(live_server.url + "/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_name").fill(name)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.get_by_label("我已阅读并同意《个人信息处理规则》").check()
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/accounts/signup/done/")
    assert "请查收验证邮件" in page.locator("main").inner_text()

    page.goto(outbox_link(Email.objects.get(to=email, subject__contains="验证"), "/accounts/verify-email/"))
    page.wait_for_url("**/accounts/login/**")
    assert "电子邮箱已验证" in page.locator("main").inner_text()
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/profile/")
    assert "（已验证）" in page.locator("main").inner_text()
