"""The 公示 and the final list (004 三), the 三区三州 priority in the ranking (004 二（一）) and the public call."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance.tests.factories import UserFactory, staff_of
from projects import selectors, services
from projects.data.sanqu_sanzhou import county_area
from projects.models import AppointmentLetter, ProvincialContact, SelectionCorrection

from .factories import ProjectFactory, community_application, county_application, expert_of, organiser_of

pytestmark = pytest.mark.django_db

NOV_20 = datetime.date(2026, 11, 20)


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def staff(project):
    return staff_of(project.alliance)


def selected(project, staff, *applications):
    for application in applications:
        services.application_select(actor=staff, application=application, selected=True)


def publish(project, staff, starts_on, ends_on, today):
    return services.notice_publish(actor=staff, project=project, title="入选名单公示", starts_on=starts_on,
                                   ends_on=ends_on, today=today)


@pytest.fixture
def confirmed(project, staff):
    """A final list with a county and a community (with its 聘书), and a county not selected."""
    organiser = organiser_of(project)
    county = county_application(project, organiser, status="submitted", county="泸水市")
    community = community_application(project, organiser, status="submitted")
    other = county_application(project, organiser, status="submitted", county="兰坪县")
    selected(project, staff, county, community)
    services.application_select(actor=staff, application=other, selected=False)
    notice = publish(project, staff, NOV_20, NOV_20 + datetime.timedelta(days=6), today=NOV_20)
    services.notice_finalise(actor=staff, notice=notice, today=NOV_20 + datetime.timedelta(days=7))
    return notice, county, community, other


# ---- the 公示 period ------------------------------------------------------------------------------------------

def test_a_back_dated_notice_is_refused(project, staff):
    selected(project, staff, county_application(project, organiser_of(project), status="submitted"))
    with pytest.raises(ValidationError) as refused:
        publish(project, staff, NOV_20, datetime.date(2026, 11, 27), today=datetime.date(2026, 12, 2))
    assert "不能早于发布日期" in refused.value.message_dict["starts_on"][0]
    assert not project.notices.exists()


def test_a_notice_shorter_than_the_projects_minimum_is_refused(project, staff):
    selected(project, staff, county_application(project, organiser_of(project), status="submitted"))
    with pytest.raises(ValidationError) as refused:
        publish(project, staff, NOV_20, NOV_20 + datetime.timedelta(days=5), today=NOV_20)
    assert refused.value.message_dict["ends_on"] == ["公示期不少于7天（含首尾两日）。"]
    project.notice_min_days = 10
    project.save()
    with pytest.raises(ValidationError, match="不少于10天"):
        publish(project, staff, NOV_20, NOV_20 + datetime.timedelta(days=8), today=NOV_20)
    assert publish(project, staff, NOV_20, NOV_20 + datetime.timedelta(days=9), today=NOV_20).pk


def test_the_final_list_is_confirmed_only_after_the_notice_ends(project, staff):
    community = community_application(project, organiser_of(project), status="submitted")
    selected(project, staff, community)
    notice = publish(project, staff, NOV_20, datetime.date(2026, 11, 26), today=NOV_20)
    with pytest.raises(ValidationError, match="期满后方可确认"):
        services.notice_finalise(actor=staff, notice=notice, today=datetime.date(2026, 11, 26))
    assert not AppointmentLetter.objects.exists()
    services.notice_finalise(actor=staff, notice=notice, today=datetime.date(2026, 11, 27))
    community.refresh_from_db()
    assert community.status == "final" and AppointmentLetter.objects.get().application == community


def test_the_selection_page_offers_confirmation_only_once_the_notice_ends(client, project, staff):
    selected(project, staff, county_application(project, organiser_of(project), status="submitted"))
    today = timezone.localdate()
    publish(project, staff, today, today + datetime.timedelta(days=6), today=today)
    client.force_login(staff)
    body = client.get(reverse("projects:selection", args=[project.pk])).content.decode()
    assert "确认最终名单并发放聘书" not in body and "期满后方可确认最终名单" in body
    assert "公示期不少于7天" in body


# ---- after confirmation -------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_after_confirmation_selecting_and_publishing_are_refused(project, staff, confirmed, who):
    _, _, _, other = confirmed
    actor = staff if who == "staff" else UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError, match="最终入选名单已确认"):
        services.application_select(actor=actor, application=other, selected=True)
    with pytest.raises(ValidationError, match="最终入选名单已确认"):
        services.notice_publish(actor=actor, project=project, title="第二次公示", starts_on=timezone.localdate(),
                                ends_on=timezone.localdate() + datetime.timedelta(days=6))
    other.refresh_from_db()
    assert other.status == "not_selected" and project.notices.count() == 1


def test_a_second_notice_cannot_be_confirmed_after_the_list_is_final(project, staff):
    community = community_application(project, organiser_of(project), status="submitted")
    selected(project, staff, community)
    first = publish(project, staff, NOV_20, NOV_20 + datetime.timedelta(days=6), today=NOV_20)
    second = publish(project, staff, NOV_20, NOV_20 + datetime.timedelta(days=6), today=NOV_20)
    services.notice_finalise(actor=staff, notice=first, today=datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError, match="最终入选名单已确认"):
        services.notice_finalise(actor=staff, notice=second, today=datetime.date(2026, 12, 1))


def test_a_correction_is_recorded_with_its_reason_and_revokes_the_letter(project, staff, confirmed):
    notice, _, community, _ = confirmed
    letter = AppointmentLetter.objects.get(application=community)
    correction = services.selection_correct(actor=staff, application=community, selected=False,
                                            reason="领衔专家调离，经项目组研究撤销。", today=datetime.date(2026, 12, 3))
    community.refresh_from_db()
    letter.refresh_from_db()
    assert community.status == "not_selected"
    assert community.history.first().history_change_reason == "更正最终名单：领衔专家调离，经项目组研究撤销。"
    assert (correction.reason, correction.selected, correction.decided_by) == ("领衔专家调离，经项目组研究撤销。", False, staff)
    assert letter.revoked_on == datetime.date(2026, 12, 3)
    assert letter.history.first().history_change_reason.startswith("撤销聘书")
    _, listed = selectors.notice_get_public(pk=notice.pk)
    assert community not in listed


def test_a_correction_adding_a_county_lists_it_and_one_adding_a_community_gives_it_a_letter(project, staff, confirmed):
    notice, _, community, other = confirmed
    services.selection_correct(actor=staff, application=other, selected=True, reason="复核后增补。")
    other.refresh_from_db()
    assert other.status == "final" and other in selectors.notice_get_public(pk=notice.pk)[1]
    added = community_application(project, organiser_of(project, "甘肃省"), "甘肃省", status="submitted", grade=4)
    services.selection_correct(actor=staff, application=added, selected=True, reason="复核后增补。",
                               today=datetime.date(2026, 12, 3))
    letter = AppointmentLetter.objects.get(application=added)
    assert letter.number == f"{project.alliance.code}-2026-002" and letter.revoked_on is None
    services.selection_correct(actor=staff, application=community, selected=False, reason="撤销。")
    services.selection_correct(actor=staff, application=community, selected=True, reason="误撤，恢复。")
    assert AppointmentLetter.objects.get(application=community).revoked_on is None
    assert AppointmentLetter.objects.count() == 2
    assert SelectionCorrection.objects.filter(project=project).count() == 4


def test_a_correction_needs_a_reason_and_a_confirmed_list(project, staff, confirmed):
    _, county, _, _ = confirmed
    with pytest.raises(ValidationError) as refused:
        services.selection_correct(actor=staff, application=county, selected=False, reason="  ")
    assert refused.value.message_dict["reason"] == ["请填写更正理由。"]
    with pytest.raises(ValidationError, match="已在最终入选名单中"):
        services.selection_correct(actor=staff, application=county, selected=True, reason="重复")
    other_project = ProjectFactory(alliance=project.alliance)
    pending = county_application(other_project, organiser_of(other_project), status="submitted")
    with pytest.raises(ValidationError, match="尚未确认"):
        services.selection_correct(actor=staff, application=pending, selected=True, reason="提前")
    assert not SelectionCorrection.objects.filter(application__in=[county, pending]).exists()


def test_another_alliances_staff_cannot_correct(project, confirmed):
    from django.core.exceptions import PermissionDenied

    from alliance.tests.factories import AllianceFactory

    _, county, _, _ = confirmed
    with pytest.raises(PermissionDenied):
        services.selection_correct(actor=staff_of(AllianceFactory()), application=county, selected=False,
                                   reason="越权")


def test_the_selection_page_is_read_only_after_confirmation_and_shows_corrections(client, project, staff,
                                                                                  confirmed):
    _, county, _, _ = confirmed
    client.force_login(staff)
    url = reverse("projects:selection", args=[project.pk])
    response = client.post(reverse("projects:selection_correct", args=[project.pk]),
                           {"application": county.pk, "selected": "0", "reason": ""})
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    response = client.post(reverse("projects:selection_correct", args=[project.pk]),
                           {"application": county.pk, "selected": "0", "reason": "县里退出试点。"})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "最终名单更正记录" in body and "县里退出试点。" in body and "移出最终名单" in body
    assert "发布公示" not in body and 'name="selected" value="1"' not in body


# ---- 三区三州 --------------------------------------------------------------------------------------------------

def test_the_county_list_matches_names_with_or_without_their_suffix():
    assert county_area(province="云南省", county="兰坪县").label == "三区三州（怒江州）"
    assert county_area(province="云南省", county="兰坪白族普米族自治县").prefecture == "怒江傈僳族自治州"
    assert county_area(province="四川省", county="凉山州昭觉县").county == "昭觉县"
    assert county_area(province="四川省", county="木里").prefecture_short == "凉山州"
    assert county_area(province="甘肃省", county="天祝县").area == "四省涉藏州县"
    assert county_area(province="新疆维吾尔自治区", county="塔什库尔干县").prefecture == "喀什地区"
    assert county_area(province="西藏自治区", county="米林县").label == "三区三州（西藏）"
    assert county_area(province="西藏自治区", county="朗县").county == "朗县"
    assert county_area(province="云南省", county="会泽县") is None
    assert county_area(province="四川省", county="兰坪县") is None  # the province is part of the key


def scored(application, expert, total):
    assignment = services.assignment_create(actor=staff_of(application.project.alliance), application=application,
                                            expert=expert)
    criteria = list(selectors.criteria_for(application=application))
    services.assignment_score(actor=expert, assignment=assignment,
                              values={criteria[0].pk: total - 30, criteria[1].pk: 30})


def test_ranking_puts_a_listed_county_first_even_without_its_tick_and_not_an_unlisted_one_that_ticked(project):
    organiser, expert = organiser_of(project), expert_of(project)
    listed = county_application(project, organiser, status="submitted", county="兰坪县", is_sanqu_sanzhou=False)
    ticked = county_application(project, organiser, status="submitted", county="会泽县", is_sanqu_sanzhou=True)
    plain = county_application(project, organiser, status="submitted", county="石林县")
    for application, total in [(listed, 70), (ticked, 90), (plain, 80)]:
        scored(application, expert, total)
    _, rows = selectors.score_table(project=project, kind="county")
    assert [r["application"] for r in rows] == [listed, ticked, plain]
    assert rows[0]["reason"] == "三区三州（怒江州）优先；平均分 70.0"
    assert rows[1]["area"] is None and rows[1]["reason"].startswith("申报勾选了三区三州，但该县不在三区三州县名单中")
    assert rows[2]["reason"] == "平均分 80.0"

    project.sanqu_priority = False
    project.save()
    _, rows = selectors.score_table(project=project, kind="county")
    assert [r["application"] for r in rows] == [ticked, plain, listed]
    assert rows[2]["reason"] == "三区三州（怒江州）；平均分 70.0"


def test_the_ranking_page_shows_the_flag_and_the_reason(client, project, staff):
    organiser, expert = organiser_of(project), expert_of(project)
    application = county_application(project, organiser, "四川省", status="submitted", county="昭觉县")
    scored(application, expert, 87)
    client.force_login(staff)
    body = client.get(reverse("projects:selection", args=[project.pk])).content.decode()
    assert "<strong>三区三州（凉山州）</strong>" in body and "三区三州（凉山州）优先；平均分 87.0" in body


# ---- the public call ------------------------------------------------------------------------------------------

def test_the_call_page_shows_deadline_forms_and_contacts_to_anonymous_visitors(client, project):
    organiser = organiser_of(project)
    ProvincialContact.objects.create(
        project=project, province="云南省", created_by=organiser, head_name="周立新", head_gender="男",
        head_ethnicity="汉族", head_unit="云南省电化教育馆", head_position="馆长", head_office_phone="0871-65141001",
        head_mobile="13908710001", contact_name="和晓梅", contact_gender="女", contact_ethnicity="纳西族",
        contact_unit="云南省电化教育馆资源部", contact_position="主任", contact_office_phone="0871-65141002",
        contact_mobile="13908710002", contact_wechat="hxm_yn")
    project.contact_text = "中央电教馆网络部 010-66490229"
    project.save()
    body = client.get(reverse("projects:list")).content.decode()
    url = reverse("projects:call_detail", args=[project.slug])
    assert url in body
    body = client.get(url).content.decode()
    deadline = timezone.localtime(project.deadline)
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in body
    assert "附件1：试点县申报表" in body and "附件3：项目联系表" in body
    assert "和晓梅" in body and "0871-65141002" in body and "010-66490229" in body
    assert "13908710002" not in body and "hxm_yn" not in body and "13908710001" not in body
    for form in ("county", "community", "contact"):
        response = client.get(reverse("projects:call_form_pdf", args=[project.slug, form]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("change", [{"is_published": False}, {"deadline": timezone.now() - datetime.timedelta(days=1)}])
def test_the_call_page_of_a_draft_or_closed_project_is_not_found(client, change):
    project = ProjectFactory(**change)
    assert client.get(reverse("projects:call_detail", args=[project.slug])).status_code == 404
    assert client.get(reverse("projects:call_form_pdf", args=[project.slug, "county"])).status_code == 404
    assert reverse("projects:call_detail", args=[project.slug]) not in client.get(reverse("projects:list")).content.decode()


def test_only_the_calls_forms_are_offered(client, project):
    assert client.get(reverse("projects:call_form_pdf", args=[project.slug, "letter"])).status_code == 404



def test_confirming_the_final_list_asks_once_and_only_the_confirming_post_finalises(client, project, staff):
    community = community_application(project, organiser_of(project), status="submitted")
    selected(project, staff, community)
    today = timezone.localdate()
    notice = publish(project, staff, today - datetime.timedelta(days=10), today - datetime.timedelta(days=3),
                     today=today - datetime.timedelta(days=10))
    client.force_login(staff)
    url = reverse("projects:notice_finalise", args=[notice.pk])
    for asked in (client.get(url), client.post(url)):
        body = asked.content.decode()
        assert "确认后以下 1 项拟入选申报将正式入选，不能撤销" in body and str(community) in body
        assert "将为其中 1 个名师教研共同体发放聘书" in body
    community.refresh_from_db()
    assert community.status == "selected" and not AppointmentLetter.objects.exists()
    response = client.post(url, {"confirm": "1"}, follow=True)
    community.refresh_from_db()
    assert community.status == "final" and AppointmentLetter.objects.get().application == community
    assert "最终入选名单已确认：1 项正式入选" in response.content.decode()
