"""Journeys in Chromium: a provincial organiser files a county application; anyone reads the 公示; staff publish
it, confirm the final list and the 聘书 is printed; a community's leader records an activity and staff confirm its
hours."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.tests.factories import PASSWORD, UserFactory, staff_of
from projects import services
from projects.models import ActivityTeacher, Application, AppointmentLetter, TeamMember

from .factories import PDF_BYTES, ProjectFactory, community_application, county_application, expert_of, organiser_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/profile/")


def test_an_organiser_files_a_county_application_with_schools_and_team_and_an_expert_scores_it(page, live_server):
    project = ProjectFactory(title="教研共同体协同提升试点项目")
    organiser_of(project, "云南省", email="yn@example.cn")
    log_in(page, live_server, "yn@example.cn")

    page.get_by_role("link", name="项目与公示").click()
    # The open call is listed for everyone too; the organiser works in their own project.
    page.locator(".cards").get_by_role("link", name="教研共同体协同提升试点项目").click()
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
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("属于三区三州").check()
    for condition in ("本县为贫困县", "义务教育学校基本实现了网络宽带校校通", "自行采购全向麦克和摄像头",
                      "电教教研队伍基本健全"):
        page.get_by_label(condition).check()
    for label, name in [("申报单位盖章扫描件", "泸水市教育体育局盖章.pdf"), ("加盖公章的意见扫描件", "省电教馆意见.pdf")]:
        page.get_by_label(label, exact=True).set_input_files(
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

    # Staff assign the filed form to an expert, who scores it on the site.
    expert = expert_of(project, email="expert@example.cn")
    services.assignment_create(actor=staff_of(project.alliance), application=app, expert=expert)
    page.context.clear_cookies()
    log_in(page, live_server, "expert@example.cn")
    page.goto(live_server.url + reverse("projects:review_list"))
    page.get_by_role("link", name="云南省·泸水市").click()
    page.get_by_label("条件（满分60）").fill("55")
    page.get_by_label("方案（满分40）").fill("41")  # over the criterion's maximum: refused, nothing lost
    page.get_by_role("button", name="保存评分").click()
    assert page.get_by_label("条件（满分60）").input_value() == "55"
    page.get_by_label("方案（满分40）").fill("36")
    page.get_by_label("评审意见").fill("条件扎实，方案可行。")
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_url("**/review/")
    assert "评分已保存。" in page.locator("main").inner_text()
    assert sorted(app.assignments.get().scores.values_list("value", flat=True)) == [36, 55]


def test_a_too_small_team_is_refused_in_chinese_and_nothing_is_lost(page, live_server):
    project = ProjectFactory()
    organiser = organiser_of(project, "云南省", email="yn@example.cn")
    app = county_application(project, organiser, team=3, county="兰坪县")
    log_in(page, live_server, "yn@example.cn")
    page.goto(f"{live_server.url}/projects/applications/{app.pk}/edit/")
    page.get_by_label("负责人QQ", exact=True).fill("52001009")
    page.get_by_role("button", name="提交申报").click()
    main = page.locator("main").inner_text()
    assert "小学语文三年级学科组现有3人，每年级学科组至少5人。" in main
    assert page.get_by_label("负责人QQ", exact=True).input_value() == "52001009"


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


def test_a_leader_records_an_activity_and_staff_confirm_its_hours(page, live_server):
    project = ProjectFactory(title="教研共同体协同提升试点项目")
    organiser, staff = organiser_of(project), staff_of(project.alliance, email="staff@example.cn")
    community = community_application(project, organiser, status="final")
    leader = UserFactory(email="zhao@example.cn")
    services.pairing_create(actor=staff, community=community, subject=community.subject, grade=3,
                            county=county_application(project, organiser, status="final", county="泸水市"),
                            leader_email=leader.email)
    log_in(page, live_server, "zhao@example.cn")
    page.get_by_role("link", name="项目与公示").click()
    page.get_by_role("link", name="泸水市").click()
    page.get_by_label("类型:").select_option(label="专递课堂")
    page.get_by_label("日期:").fill("2026-03-02")
    page.get_by_label("时长（课时）:").fill("2")
    page.get_by_label("主题:").fill("专递课堂：《海滨小城》")
    page.get_by_label("名师0（课时）:").fill("2")
    page.get_by_label("名师1（课时）:").fill("1.5")
    page.get_by_role("button", name="记录活动").click()
    assert "活动已记录" in page.locator("main").inner_text()
    assert "名师1 1.5课时（待确认）" in page.locator("main").inner_text()

    page.context.clear_cookies()
    log_in(page, live_server, "staff@example.cn")
    page.goto(f"{live_server.url}/projects/{project.pk}/dashboard/")
    page.get_by_role("button", name="确认课时").click()
    assert "已确认 2 条课时记录。" in page.locator("main").inner_text()
    assert ActivityTeacher.objects.filter(confirmed_by=staff).count() == 2


def test_staff_publish_a_notice_confirm_the_final_list_and_the_letter_lists_the_team_in_order(page, live_server,
                                                                                               tmp_path):
    project = ProjectFactory()
    organiser = organiser_of(project)
    staff = staff_of(project.alliance, email="staff@example.cn")
    community = community_application(project, organiser, status="submitted", team=0, leader_name="赵明华")
    team = ["赵明华", "陈晓燕", "刘芳", "张丽", "王静", "孙磊"]
    for order, name in enumerate(team, 1):
        TeamMember.objects.create(application=community, name=name, gender="女", employer="昆明市教科院",
                                  phone="13900000001", role="leader" if order == 1 else "member", order=order)
    services.application_select(actor=staff, application=community, selected=True)
    # The first 公示 was published three weeks ago, so its period is over now.
    published = timezone.localdate() - datetime.timedelta(days=21)
    services.notice_publish(actor=staff, project=project, title="第一批入选名单公示", starts_on=published,
                            ends_on=published + datetime.timedelta(days=6), today=published)

    log_in(page, live_server, "staff@example.cn")
    page.goto(f"{live_server.url}/projects/{project.pk}/selection/")
    today = timezone.localdate()
    page.get_by_label("标题").fill("补充公示")
    page.get_by_label("公示开始").fill((today - datetime.timedelta(days=2)).isoformat())
    page.get_by_label("公示结束").fill((today + datetime.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="发布公示").click()
    main = page.locator("main").inner_text()
    assert "公示开始日期不能早于发布日期" in main and "公示未发布" in main
    assert project.notices.count() == 1

    page.get_by_label("公示开始").fill(today.isoformat())
    page.get_by_label("公示结束").fill((today + datetime.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="发布公示").click()
    assert "公示已发布：补充公示" in page.locator("main").inner_text()

    page.get_by_role("link", name="公示期满，确认最终名单并发放聘书").click()
    assert "将正式入选，不能撤销" in page.locator("main").inner_text()
    page.get_by_role("button", name="确认最终名单并发放聘书").click()
    main = page.locator("main").inner_text()
    assert "最终入选名单已确认" in main and "发布公示" not in main

    letter = AppointmentLetter.objects.get(application=community)
    services.letter_store(letter_id=letter.pk)  # what the worker does
    response = page.request.get(live_server.url + reverse("projects:letter_pdf", args=[letter.pk]))
    assert response.ok
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())
    assert "、".join(team) in text
