"""Staff run an in-person meeting of directors without accounts in the admin: the sign-in sheet, a show of
hands, the close; the result page and the result PDF say what was counted and who recorded it."""

import subprocess

import pytest
from playwright.sync_api import expect

from alliance.tests.factories import staff_of
from governance import services
from governance.models import Motion, Result
from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, SeatFactory
from governance.tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _change_action(page, live_server, model, pk, action, done, confirm=None):
    page.goto(f"{live_server.url}/admin/governance/{model}/")
    page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.locator('select[name="action"]').select_option(action)
    page.get_by_role("button", name="执行").click()
    if confirm:
        page.get_by_role("button", name=confirm).click()
    expect(page.locator(".messagelist")).to_contain_text(done)


def test_staff_record_the_sign_in_sheet_and_a_show_of_hands_and_the_result_says_so(page, live_server):
    body = BodyFactory(name="理事会")
    centres = [SeatFactory(body=body, person_name="", unit_name=f"{name}教师发展中心", order=i)
               for i, name in enumerate(["越秀区", "海珠区", "天河区", "白云区", "黄埔区", "番禺区"])]
    meeting = MeetingFactory(body=body, title="2027年度理事会")
    motion = MotionFactory(meeting=meeting, title="审定联盟2027年度工作计划")
    staff = staff_of(body.alliance, name="秘书处王老师")
    log_in(page, live_server, staff.email)

    # Counted by show of hands, chosen while the motion is a draft.
    page.goto(f"{live_server.url}/admin/governance/motion/{motion.pk}/change/")
    page.get_by_label("计票方式").select_option("show_of_hands")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("成功修改")

    # The sign-in sheet: five of the six centres' representatives are in the room.
    page.goto(f"{live_server.url}/admin/governance/meeting/{meeting.pk}/change/")
    for i, seat in enumerate(centres[:5]):
        page.locator("#attendances-group .add-row a").click()
        page.locator(f'select[name="attendances-{i}-seat"]').select_option(str(seat.pk))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("成功修改")
    assert meeting.attendances.count() == 5

    _change_action(page, live_server, "meeting", meeting.pk, "open_votes", "已开始 1 项议案的表决")

    # The tellers' count, refused first where it exceeds those present, then recorded.
    page.goto(f"{live_server.url}/admin/governance/motion/{motion.pk}/change/")
    page.get_by_role("link", name="登记举手表决结果").click()
    page.get_by_label("赞成").fill("5")
    page.get_by_label("反对").fill("1")
    page.get_by_label("弃权").fill("0")
    page.get_by_label("计票人").fill("李明、张华")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".errorlist")).to_contain_text("不能超过出席理事人数（5 人）")
    page.get_by_label("赞成").fill("4")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".messagelist")).to_contain_text("举手表决结果已登记。")
    expect(page.locator("#content")).to_contain_text("已登记：赞成 4，反对 1，弃权 0（计票人：李明、张华；登记人：秘书处王老师）")

    _change_action(page, live_server, "motion", motion.pk, "close_votes", "已结束 1 项议案的表决", confirm="确认结束表决并计票")
    assert Motion.objects.get(pk=motion.pk).status == Motion.Status.PASSED

    page.goto(live_server.url + motion.get_absolute_url())
    result_card = page.locator(f"#motion-{motion.pk} .result")
    expect(result_card).to_contain_text("表决结果：通过")
    for text in ("在任理事6", "5（法定人数 4，达到）", "4 / 1 / 0", "5（通过须赞成 4 票以上）",
                 "举手表决（秘书处登记计票结果）（计票人：李明、张华；登记人：秘书处王老师）"):
        expect(result_card).to_contain_text(text)

    result = Result.objects.get(motion=motion)
    services.result_render(result_id=result.pk)
    result.refresh_from_db()
    minutes = subprocess.run(["pdftotext", result.minutes_pdf.path, "-"], capture_output=True, text=True,
                             check=True).stdout
    minutes = "".join(minutes.split())  # table cells wrap
    for text in ("在任理事6人", "出席理事5人", "法定出席人数4人（已达到）", "表决基数5", "赞成4", "反对1", "弃权0",
                 "通过所需赞成", "4票以上", "表决结果通过",
                 "举手表决（秘书处登记计票结果）（计票人：李明、张华；登记人：秘书处王老师）"):
        assert text in minutes, text
