"""Journeys in a real browser: Debian's Chromium driven by Playwright against the live server."""

import re

import pytest

from alliance.models import CharterRules, Email
from alliance.services import secretariat_grant
from alliance.tests.browser_steps import sign_up_and_verify
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


def test_a_new_person_signs_up_verifies_the_email_applies_and_the_outbox_holds_the_acknowledgement(
    page, live_server, settings
):
    settings.SITE_URL = live_server.url
    alliance = AllianceFactory(name="靠谱 COP 联盟", slug="cop", code="COP")
    CharterRules.objects.filter(alliance=alliance).update(admits_units=False, admits_individuals=True)
    staff = UserFactory(email="cop-staff@example.cn", name="秘书处")
    secretariat_grant(actor=None, user=staff, alliance=alliance)

    sign_up_and_verify(page, live_server, email="zhao@example.cn", name="赵老师", password="Jiao-shi-2026!")

    page.goto(live_server.url + "/a/cop/")
    page.get_by_role("link", name="申请加入").click()
    page.wait_for_url("**/individual/**")
    assert page.locator("#email-unverified").count() == 0  # verified: no reminder on the form
    fields = {
        "姓名": "赵老师", "民族": "汉族", "工作单位": "昆明市五华区教师进修学校", "职称": "中学高级教师",
        "手机": "13812345678", "电子邮箱": "zhao@example.cn", "通讯地址": "云南省昆明市五华区人民中路1号",
        "邮编": "650031", "业务领域": "教师培训与课堂观察", "主要成绩": "主持省级课题一项。",
    }
    for label, value in fields.items():
        page.get_by_label(re.compile(f"^{re.escape(label)}[:：]?\\*?$")).fill(value)
    page.get_by_label(re.compile("^性别[:：]?\\*?$")).select_option("female")
    page.get_by_label(re.compile("^出生日期[:：]?\\*?$")).fill("1982-03-15")
    page.get_by_label("拥护联盟章程").check()
    page.get_by_label("自愿加入联盟").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/members/applications/\d+/$"))
    assert page.locator("#status").inner_text() == "已提交，待审核"

    # The account's mailbox (the outbox) holds the acknowledgement, once.
    acknowledgements = Email.objects.filter(to="zhao@example.cn", subject="靠谱 COP 联盟：已收到您的入会申请")
    assert acknowledgements.count() == 1
    # The alliance's staff hold the new-application notice, with the link to the application in the admin.
    [notice] = Email.objects.filter(to=staff.email, subject__contains="新的入会申请")
    assert "/admin/members/application/" in notice.body
