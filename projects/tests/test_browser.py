"""Journeys in Chromium: a provincial organiser files a county application; anyone reads the 公示."""

import datetime

import pytest
from django.utils import timezone

from alliance.tests.factories import PASSWORD, staff_of
from projects import services
from projects.models import Application

from .factories import PDF_BYTES, ProjectFactory, community_application, county_application, organiser_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/profile/")


def test_an_organiser_files_a_county_application_with_schools_and_team(page, live_server):
    project = ProjectFactory(title="教研共同体协同提升试点项目")
    organiser_of(project, "云南省", email="yn@example.cn")
    log_in(page, live_server, "yn@example.cn")

    page.get_by_role("link", name="项目与公示").click()
    page.get_by_role("link", name="教研共同体协同提升试点项目").click()
    page.get_by_role("button", name="新建试点县申报表").click()
    page.wait_for_url("**/edit/")

    fields = {
        "申报单位": "泸水市教育体育局", "县（市、区）": "泸水市", "通讯地址": "云南省怒江傈僳族自治州泸水市六库镇",
        "负责人姓名": "李建国", "负责人职务": "局长", "负责人联系电话": "0886-3622001", "负责人电子邮箱": "li@example.cn",
        "负责人QQ": "52001001", "联系人姓名": "和丽萍", "联系人职务": "电教站站长", "联系人联系电话": "13908860101",
        "本地区教育信息化基础能力": "全县学校宽带接入100M，班级多媒体设备全覆盖。",
        "本地区区域教研的组织、机制等情况": "县教师发展中心按学科组织片区教研。",
        "县级领导重视信息化、开展项目试点的积极性及激励县级优秀教师参与项目的举措": "副县长牵头，课时计入工作量。",
    }
    for label, value in fields.items():
        page.get_by_label(f"{label}:", exact=True).fill(value)
    page.get_by_label("属于三区三州").check()
    for condition in ("本县为贫困县", "义务教育学校基本实现了网络宽带校校通", "自行采购全向麦克和摄像头",
                      "电教教研队伍基本健全"):
        page.get_by_label(condition).check()
    for label, name in [("申报单位盖章扫描件", "泸水市教育体育局盖章.pdf"), ("加盖公章的意见扫描件", "省电教馆意见.pdf")]:
        page.get_by_label(f"{label}:", exact=True).set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}])

    for i, (name, kind) in enumerate([("称杆乡中心完小", "乡镇中心校"), ("古登乡色仲教学点", "教学点")]):
        page.locator(f'[name="schools-{i}-name"]').fill(name)
        page.locator(f'[name="schools-{i}-kind"]').fill(kind)
    page.get_by_role("button", name="添加一行").nth(0).click()  # a third school row, added in the page
    page.locator('[name="schools-2-name"]').fill("大兴地镇自扁王村小学")
    page.locator('[name="schools-2-kind"]').fill("农村薄弱学校")
    page.locator('[name="textbooks-0-subject"]').select_option(label="小学语文")
    page.locator('[name="textbooks-0-edition"]').fill("统编版")
    for i, name in enumerate(["和春花", "李文华", "余建芬", "杨光明", "普丽娟"]):
        page.locator(f'[name="team-{i}-subject"]').select_option(label="小学语文")
        page.locator(f'[name="team-{i}-grade"]').select_option(label="三年级")
        page.locator(f'[name="team-{i}-name"]').fill(name)
        page.locator(f'[name="team-{i}-gender"]').select_option(label="女")
        page.locator(f'[name="team-{i}-employer"]').fill("称杆乡中心完小")
        page.locator(f'[name="team-{i}-phone"]').fill("13908860000")
        page.locator(f'[name="team-{i}-role"]').select_option(label="学科负责人" if i == 0 else "学科教师")

    page.get_by_role("button", name="提交申报").click()
    page.wait_for_url("**/applications/*/")
    assert "申报表已提交。" in page.locator("main").inner_text()
    assert "已提交" in page.locator("main").inner_text()
    app = Application.objects.get()
    assert app.status == "submitted" and app.is_sanqu_sanzhou
    assert app.schools.count() == 3 and app.team.count() == 5
    assert "大兴地镇自扁王村小学" in page.locator("main").inner_text()
    assert [m.name for m in app.team.all()] == ["和春花", "李文华", "余建芬", "杨光明", "普丽娟"]
    assert page.get_by_role("link", name="申报单位（加盖公章）扫描件").count() == 1
    assert page.get_by_role("link", name="省级项目组织单位意见扫描件").count() == 1


def test_a_too_small_team_is_refused_in_chinese_and_nothing_is_lost(page, live_server):
    project = ProjectFactory()
    organiser = organiser_of(project, "云南省", email="yn@example.cn")
    app = county_application(project, organiser, team=3, county="兰坪县")
    log_in(page, live_server, "yn@example.cn")
    page.goto(f"{live_server.url}/projects/applications/{app.pk}/edit/")
    page.get_by_label("负责人QQ:", exact=True).fill("52001009")
    page.get_by_role("button", name="提交申报").click()
    main = page.locator("main").inner_text()
    assert "小学语文三年级学科组现有3人，每年级学科组至少5人。" in main
    assert page.get_by_label("负责人QQ:", exact=True).input_value() == "52001009"


def test_the_public_announcement_lists_the_selection(page, live_server):
    project = ProjectFactory()
    organiser = organiser_of(project)
    staff = staff_of(project.alliance)
    county = county_application(project, organiser, status="submitted", county="泸水市")
    community = community_application(project, organiser, status="submitted", leader_name="赵明华")
    county_application(project, organiser, status="submitted", county="未入选县")
    for app in (county, community):
        services.application_select(actor=staff, application=app, selected=True)
    today = timezone.localdate()
    services.notice_publish(actor=staff, project=project, title="试点县和名师教研共同体入选名单公示", starts_on=today,
                            ends_on=today + datetime.timedelta(days=6), contact="010-66490229")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="项目与公示").click()
    page.get_by_role("link", name="试点县和名师教研共同体入选名单公示").click()
    main = page.locator("main").inner_text()
    assert "泸水市" in main and "赵明华" in main and "未入选县" not in main
    assert "公示期" in main and "010-66490229" in main
