"""A director votes in a real browser and sees the result once staff close the vote in the admin."""

import pytest
from playwright.sync_api import expect

from alliance.tests.factories import UserFactory, staff_of
from governance import services
from governance.models import Ballot
from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, SeatFactory
from governance.tests.helpers import check_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/profile/")


def test_a_director_votes_and_sees_the_result_after_staff_close_the_vote(page, browser, live_server):
    body = BodyFactory(name="理事会")
    director = UserFactory(email="li@example.cn", name="李理事")
    SeatFactory(body=body, user=director, person_name="李理事")
    others = [SeatFactory(body=body, user=UserFactory()) for _ in range(2)]
    meeting = MeetingFactory(body=body, title="2026年度理事会会议")
    motion = MotionFactory(meeting=meeting, title="审定2026年度工作计划", text="审议年度工作计划。")
    check_in(meeting, others)
    services.vote_open(actor=None, motion=motion)
    for seat in others:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    staff = staff_of(body.alliance)

    log_in(page, live_server, "li@example.cn")
    page.get_by_role("navigation").get_by_role("link", name="我的会议").click()
    page.get_by_role("link", name="2026年度理事会会议").click()
    page.get_by_role("button", name="签到").click()
    expect(page.locator(".messages")).to_contain_text("已签到。")
    page.get_by_role("button", name="反对").click()
    expect(page.locator(".messages")).to_contain_text("您的表决已提交。")
    page.get_by_role("button", name="赞成").click()
    expect(page.locator(".messages")).to_contain_text("您的表决已修改。")
    expect(page.locator(f"#motion-{motion.pk}")).to_contain_text("我的表决：赞成")
    expect(page.locator("main")).not_to_contain_text("表决结果")
    assert Ballot.objects.get(motion=motion, voter=director).choice == "for"

    admin = browser.new_context(locale="zh-CN").new_page()
    log_in(admin, live_server, staff.email)
    admin.goto(live_server.url + "/admin/governance/meeting/")
    admin.locator(f'input[name="_selected_action"][value="{meeting.pk}"]').check()
    admin.locator('select[name="action"]').select_option("close_votes")
    admin.get_by_role("button", name="执行").click()
    admin.get_by_role("button", name="确认结束表决并计票").click()
    expect(admin.locator(".messagelist")).to_contain_text("已结束 1 项议案的表决")
    admin.context.close()

    page.reload()
    card = page.locator(f"#motion-{motion.pk}")
    expect(card).to_contain_text("表决结果：通过")
    expect(card).to_contain_text("3 / 0 / 0")
    expect(page.get_by_role("button", name="赞成")).to_have_count(0)
