"""Journeys in a real browser: Debian's Chromium driven by Playwright against the live server."""

import pytest

from alliance.tests.factories import AllianceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_chinese_and_a_person_can_log_in(page, live_server):
    AllianceFactory(name="靠谱 COP 联盟", slug="cop", code="COP")
    UserFactory(email="li@example.cn", name="李老师", password="pass-word-123")

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="靠谱 COP 联盟").is_visible()

    page.get_by_role("link", name="登录").click()
    page.get_by_label("电子邮箱").fill("li@example.cn")
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/profile/")
    assert page.get_by_role("heading", name="个人中心").is_visible()
    assert "李老师" in page.locator("header").inner_text()


def test_a_wrong_password_is_refused_in_chinese(page, live_server):
    UserFactory(email="li@example.cn", password="pass-word-123")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("电子邮箱").fill("li@example.cn")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert "请输入一个正确的" in page.locator("main").inner_text()
    assert page.get_by_label("电子邮箱").input_value() == "li@example.cn"
