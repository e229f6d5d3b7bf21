"""Review in the admin: scoped changelists, decision actions through services, exports, query counts."""

import io

import pytest
from django.contrib.admin import ModelAdmin, site
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from members import services
from members.models import Application, Certificate, Member
from members.tests.factories import (
    ApplicationFactory, admitted_member, alliance_with, decided_motion, submitted_application,
)
from members.tests.test_validators import PDF

pytestmark = pytest.mark.django_db
S = Application.Status
CHANGELIST = "admin:members_application_changelist"


def act(client, action, apps, follow=False, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in apps], **extra}
    return client.post(reverse(CHANGELIST), data, follow=follow)


def test_the_changelist_shows_only_the_staff_members_alliances(client):
    mine = submitted_application(unit_name="本联盟的学校")
    submitted_application(unit_name="别的联盟的学校")
    client.force_login(staff_of(mine.alliance))
    response = client.get(reverse(CHANGELIST))
    assert [a.pk for a in response.context["cl"].result_list] == [mine.pk]


def test_staff_cannot_open_another_alliances_application(client):
    other = submitted_application()
    client.force_login(staff_of(AllianceFactory()))
    response = client.get(reverse("admin:members_application_change", args=[other.pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")


@pytest.mark.parametrize("term", ["首都师范大学", "张敏霞", "13812345678"])
def test_search_by_name_contact_and_phone(client, term):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    response = client.get(reverse(CHANGELIST), {"q": term})
    assert [a.pk for a in response.context["cl"].result_list] == [app.pk]


@pytest.mark.parametrize("query", [{"status__exact": "submitted"}, {"kind__exact": "unit"}, {"province": "北京市"}])
def test_filters_by_status_kind_and_region(client, query):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    response = client.get(reverse(CHANGELIST), query)
    assert response.status_code == 200
    assert [a.pk for a in response.context["cl"].result_list] == [app.pk]


def test_attachments_are_viewable_inline(client):
    app = ApplicationFactory()
    attachment = services.attachment_add(actor=app.applicant, application=app,
                                         uploaded=SimpleUploadedFile("资质证明.pdf", PDF))
    services.application_submit(actor=app.applicant, application=app)
    client.force_login(staff_of(app.alliance))
    html = client.get(reverse("admin:members_application_change", args=[app.pk])).content.decode()
    assert attachment.get_absolute_url() in html and "资质证明.pdf" in html


def test_approve_action_asks_for_confirmation_then_admits(client):
    app = submitted_application()
    staff = staff_of(app.alliance)
    client.force_login(staff)
    response = act(client, "approve", [app])
    assert response.status_code == 200 and "确认批准" in response.content.decode()
    assert not Member.objects.exists()
    act(client, "approve", [app], confirm="1")
    member = Member.objects.get()
    assert member.application == app
    assert app.history.first().history_user == staff


def test_the_approve_action_offers_the_guidance_committees_passed_motions_and_no_typed_reference(client):
    # 001 art. 17: the consent is the committee's recorded decision, chosen by its title.
    alliance = alliance_with(admission_route="body_consent", admission_body_kind="guidance_committee")
    app = submitted_application(alliance=alliance)
    consent = decided_motion(alliance=alliance, kind="other", body_kind="guidance_committee", title="同意吸收某校")
    failed = decided_motion(alliance=alliance, kind="other", body_kind="guidance_committee", title="未通过的决定",
                            passed=False)
    joint = decided_motion(alliance=alliance, kind="other", body_kind="joint_meeting", title="联席会议的决定")
    client.force_login(staff_of(alliance))
    page = act(client, "approve", [app]).content.decode()
    assert consent.title in page and failed.title not in page and joint.title not in page
    assert 'name="reference"' not in page
    act(client, "approve", [app], confirm="1", reference="指导委员会2026年第2次会议纪要")
    act(client, "approve", [app], confirm="1", decision=joint.pk)
    assert Application.objects.get(pk=app.pk).status == S.SUBMITTED and not Member.objects.exists()
    act(client, "approve", [app], confirm="1", decision=consent.pk)
    assert Member.objects.get().application == app


def test_the_gather_action_lists_the_reviewed_applications_in_one_council_motion(client):
    # 000 art. 11 (二): the council ratifies what the secretariat reviewed, in one vote.
    from governance.models import Motion
    from governance.tests.factories import BodyFactory, MeetingFactory

    alliance = alliance_with(admission_route="ratification", admission_body_kind="council")
    staff = staff_of(alliance)
    apps = [submitted_application(alliance=alliance) for _ in range(2)]
    for app in apps:
        services.application_approve(actor=staff, application=app)
    meeting = MeetingFactory(body=BodyFactory(alliance=alliance))
    experts = MeetingFactory(body=BodyFactory(alliance=alliance, kind="expert_committee"))
    client.force_login(staff)
    page = act(client, "gather_for_council", apps).content.decode()
    assert meeting.title in page and experts.title not in page
    act(client, "gather_for_council", apps, confirm="1", meeting=meeting.pk)
    act(client, "gather_for_council", apps, confirm="1", meeting=meeting.pk)  # nothing left to gather
    motion = Motion.objects.get()
    assert motion.meeting == meeting and motion.subject_ids == [a.pk for a in apps]


def test_bulk_approve_admits_each_selected_application(client):
    alliance = AllianceFactory()
    apps = [submitted_application(alliance=alliance) for _ in range(3)]
    client.force_login(staff_of(alliance))
    act(client, "approve", apps, confirm="1")
    assert sorted(Member.objects.values_list("number", flat=True))[-1].endswith("-0003")


def test_reject_action_requires_a_reason(client):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    response = act(client, "reject", [app], confirm="1", reason="")
    assert response.status_code == 200  # the intermediate page again, with the error
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    act(client, "reject", [app], confirm="1", reason="不从事相关工作")
    app.refresh_from_db()
    assert app.status == S.REJECTED and app.review_note == "不从事相关工作"


def test_return_action_records_the_reason(client):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    act(client, "return_for_changes", [app], confirm="1", reason="请补充证明材料")
    app.refresh_from_db()
    assert app.status == S.RETURNED and app.review_note == "请补充证明材料"


def test_an_action_cannot_reach_another_alliances_application(client):
    other = submitted_application()
    client.force_login(staff_of(AllianceFactory()))
    act(client, "approve", [other], confirm="1")
    other.refresh_from_db()
    assert other.status == S.SUBMITTED and not Member.objects.exists()


def test_export_applications_to_excel(client):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    response = act(client, "export_excel", [app])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 4).value == "名称"
    assert sheet.cell(2, 4).value == app.unit_name


def test_export_members_to_excel(client):
    member, staff = admitted_member()
    client.force_login(staff)
    response = client.post(reverse("admin:members_member_changelist"),
                           {"action": "export_excel", ACTION_CHECKBOX_NAME: [member.pk]})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 2).value == member.number


def test_reissue_certificate_asks_once_then_revokes_the_old_one(client):
    member, staff = admitted_member()
    old = Certificate.objects.get(member=member)
    client.force_login(staff)
    data = {"action": "reissue_certificate", ACTION_CHECKBOX_NAME: [member.pk]}
    asked = client.post(reverse("admin:members_member_changelist"), data).content.decode()
    old.refresh_from_db()
    assert "将对以下 1 条记录执行此操作" in asked and "现有证书将被作废" in asked and not old.is_revoked
    done = client.post(reverse("admin:members_member_changelist"), {**data, "confirm": "1"}, follow=True)
    old.refresh_from_db()
    assert old.is_revoked
    assert Certificate.objects.filter(member=member, revoked_at__isnull=True).count() == 1
    assert f"已换发证书 1 个成员：{member}。" in done.content.decode()


def test_a_bulk_reissue_leads_to_a_page_following_the_certificates_as_the_worker_renders_them(client):
    first, staff = admitted_member()
    second = admitted_member(alliance=first.alliance)[0]
    client.force_login(staff)
    data = {"action": "reissue_certificate", ACTION_CHECKBOX_NAME: [first.pk, second.pk], "confirm": "1"}
    response = client.post(reverse("admin:members_member_changelist"), data)
    progress = response["Location"]
    assert progress.startswith(reverse("admin:members_member_certificates_progress"))
    page = client.get(progress).content.decode()
    assert "已生成 0 / 2 份证书，2 份生成中" in page and 'http-equiv="refresh"' in page
    for certificate in Certificate.objects.filter(member__in=[first, second], revoked_at__isnull=True):
        services.certificate_render(certificate_id=certificate.pk)  # what the worker does
    page = client.get(progress).content.decode()
    assert "已生成 2 / 2 份证书，0 份生成中，0 份生成失败" in page and 'http-equiv="refresh"' not in page
    # Staff of another alliance following the same address see none of them.
    client.force_login(staff_of(admitted_member()[0].alliance))
    assert "已生成 0 / 0 份证书" in client.get(progress).content.decode()


def test_member_changelist_is_scoped(client):
    mine, staff = admitted_member()
    admitted_member()
    client.force_login(staff)
    response = client.get(reverse("admin:members_member_changelist"))
    assert [m.pk for m in response.context["cl"].result_list] == [mine.pk]


@pytest.mark.parametrize("url_name", [CHANGELIST, "admin:members_member_changelist"])
def test_changelist_query_count_is_the_same_for_1_and_6_rows(client, django_assert_num_queries, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alliance = AllianceFactory()
    staff = staff_of(alliance)
    client.force_login(staff)

    def add_rows(n):
        for _ in range(n):
            app = ApplicationFactory(alliance=alliance)
            services.attachment_add(actor=app.applicant, application=app, uploaded=SimpleUploadedFile("a.pdf", PDF))
            services.application_submit(actor=app.applicant, application=app)
            services.application_approve(actor=staff, application=app)

    add_rows(1)
    client.get(reverse(url_name))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url_name)).status_code == 200
    add_rows(5)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


def test_changelist_counts_each_applications_attachments_and_sorts_by_them(client):
    alliance = AllianceFactory()
    client.force_login(staff_of(alliance))
    counts = {}
    for n in (2, 0, 1):
        app = ApplicationFactory(alliance=alliance)
        for _ in range(n):
            services.attachment_add(actor=app.applicant, application=app, uploaded=SimpleUploadedFile("a.pdf", PDF))
        services.application_submit(actor=app.applicant, application=app)
        counts[app.pk] = n
    column = client.get(reverse(CHANGELIST)).context["cl"].list_display.index("attachment_count")
    for order, expected in ((column, [0, 1, 2]), (-column, [2, 1, 0])):
        rows = client.get(reverse(CHANGELIST), {"o": order}).context["cl"].result_list
        assert [row.n_attachments for row in rows] == expected
        assert all(counts[row.pk] == row.n_attachments for row in rows)


def test_staff_of_one_alliance_get_no_alliance_column_or_filter_and_the_superuser_does(client):
    alliance = AllianceFactory()
    submitted_application(alliance=alliance)
    client.force_login(staff_of(alliance))
    cl = client.get(reverse(CHANGELIST)).context["cl"]
    assert "alliance" not in cl.list_display and "alliance" not in cl.list_filter
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    cl = client.get(reverse(CHANGELIST)).context["cl"]
    assert "alliance" in cl.list_display and "alliance" in cl.list_filter


def test_the_action_checkbox_is_what_django_renders_without_its_template():
    application = submitted_application()
    model_admin = site._registry[Application]
    assert model_admin.action_checkbox(application) == ModelAdmin.action_checkbox(model_admin, application)


def _member_act(client, action, members, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [m.pk for m in members], **extra}
    return client.post(reverse("admin:members_member_changelist"), data)


def test_the_expel_action_takes_a_chosen_passed_motion_and_no_typed_reference(client):
    member, staff = admitted_member()
    client.force_login(staff)
    motion = decided_motion(alliance=member.alliance, kind="expel_member", subjects=[member], passed=False,
                            title="除名某单位")
    page = _member_act(client, "expel", [member]).content.decode()
    assert "确认除名" in page and 'name="reference"' not in page
    assert "将对以下 1 条记录执行此操作" in page and "成员资格终止，不可撤销" in page
    assert motion.title not in page  # a failed motion is not offered
    _member_act(client, "expel", [member], confirm="1", reference="理事会决议〔2026〕2号")
    _member_act(client, "expel", [member], confirm="1", decisions=[motion.pk])
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE and member.decision is None


def test_suspend_action_records_the_rights_and_the_chosen_motion(client):
    member, staff = admitted_member()
    client.force_login(staff)
    motion = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member], title="取消表决权")
    assert "取消表决权" in _member_act(client, "suspend", [member]).content.decode()
    _member_act(client, "suspend", [member], confirm="1", reference="联席会议决议", rights=["vote"])
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE
    _member_act(client, "suspend", [member], confirm="1", decisions=[motion.pk], rights=["vote"])
    member.refresh_from_db()
    assert member.status == Member.Status.SUSPENDED and member.suspended_rights == ["vote"]
    assert member.decision == motion


def test_staff_of_another_alliance_cannot_sanction_through_the_admin(client):
    member, _ = admitted_member()
    client.force_login(staff_of(AllianceFactory()))
    _member_act(client, "suspend", [member], confirm="1",
                decisions=[decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member]).pk],
                rights=["vote"])
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE


def test_exported_cells_never_start_a_formula(client):
    app = submitted_application(unit_name="=HYPERLINK(\"http://x\")")
    client.force_login(staff_of(app.alliance))
    sheet = load_workbook(io.BytesIO(act(client, "export_excel", [app]).content)).active
    assert sheet.cell(2, 4).value.startswith("'=")
    assert sheet.cell(2, 4).data_type == "s"


def test_where_the_council_decides_approval_leaves_the_application_pending(client):
    from alliance.models import CharterRules

    app = submitted_application()
    CharterRules.objects.filter(alliance=app.alliance).update(
        admission_route=CharterRules.AdmissionRoute.MOTION, admission_body_kind="council")
    client.force_login(staff_of(app.alliance))
    response = act(client, "approve", [app], confirm="1", follow=True)
    app.refresh_from_db()
    assert app.status == S.PENDING_DECISION and not Member.objects.exists()
    assert f"已审查通过并提交决策机构表决 1 份申请：{app.display_name}。" in response.content.decode()


@pytest.mark.parametrize("action,extra", [("approve", {}), ("reject", {"reason": "不符合条件"}),
                                          ("return_for_changes", {"reason": "请补充"})])
def test_the_admin_refuses_a_decision_on_ones_own_application_with_its_message(client, action, extra):
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    app = submitted_application(alliance=alliance, applicant=staff)
    client.force_login(staff)
    response = act(client, action, [app], follow=True, confirm="1", **extra)
    texts = [str(m) for m in response.context["messages"]]
    assert any("不能审批本人提交的入会申请" in t for t in texts)
    assert not any(t.startswith("已") for t in texts)  # no success message
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and not Member.objects.exists()


def test_the_admin_refuses_a_second_admission_of_a_current_member_with_its_number(client):
    first = submitted_application()
    second = submitted_application(alliance=first.alliance, applicant=first.applicant, kind="individual")
    client.force_login(staff_of(first.alliance))
    act(client, "approve", [first], confirm="1")
    response = act(client, "approve", [second], follow=True, confirm="1")
    member = Member.objects.get()
    assert any(member.number in str(m) and "不能重复入会" in str(m) for m in response.context["messages"])
    second.refresh_from_db()
    assert second.status == S.SUBMITTED


def test_the_member_page_is_read_only_and_a_post_changes_nothing(client):
    member, staff = admitted_member()
    client.force_login(staff)
    url = reverse("admin:members_member_change", args=[member.pk])
    assert client.get(url).context["has_change_permission"] is False
    client.post(url, {"name": "改过的名称", "status": "expelled"})
    member.refresh_from_db()
    assert member.name != "改过的名称" and member.status == Member.Status.ACTIVE


def _decide_on_page(client, app, button, **data):
    return client.post(reverse("admin:members_application_change", args=[app.pk]), {button: "1", **data},
                       follow=True)


def test_the_change_page_shows_the_applicants_data_open_and_the_decision_buttons(client):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    response = client.get(reverse("admin:members_application_change", args=[app.pk]))
    html = response.content.decode()
    assert 'class="module aligned collapse' not in html and app.unit_name in html
    assert all(f'name="{button}"' in html for button in ("_approve", "_return", "_reject"))
    assert 'name="reason"' in html


def test_approve_on_the_change_page_admits_through_the_service(client):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    response = _decide_on_page(client, app, "_approve")
    app.refresh_from_db()
    assert app.status == S.APPROVED and Member.objects.filter(application=app).exists()
    assert f"已批准申请：{app.display_name}，已入会。" in response.content.decode()


def test_return_on_the_change_page_records_the_reason(client):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    response = _decide_on_page(client, app, "_return", reason="请补充证明材料")
    app.refresh_from_db()
    assert app.status == S.RETURNED and app.review_note == "请补充证明材料"
    assert f"已退回修改申请：{app.display_name}。" in response.content.decode()


def test_reject_on_the_change_page_records_the_reason(client):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    _decide_on_page(client, app, "_reject", reason="不符合章程第五条")
    app.refresh_from_db()
    assert app.status == S.REJECTED and app.review_note == "不符合章程第五条"


def test_a_reject_without_reason_on_the_change_page_is_refused_on_the_reason_field(client):
    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    response = _decide_on_page(client, app, "_reject", reason="   ")
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and response.status_code == 200
    assert response.context["decision_form"].errors["reason"] == ["不予批准须说明理由，申请人将看到该理由。"]
    assert "已不予批准" not in response.content.decode()


def test_a_refused_decision_on_the_change_page_keeps_the_reason_typed_and_saves_nothing(client):
    from alliance.services import secretariat_grant

    app = submitted_application()
    secretariat_grant(actor=None, user=app.applicant, alliance=app.alliance)  # staff deciding on their own
    client.force_login(app.applicant)
    response = _decide_on_page(client, app, "_reject", reason="材料不全，暂不批准")
    app.refresh_from_db()
    form = response.context["decision_form"]
    assert app.status == S.SUBMITTED and not app.events.filter(to_status=S.REJECTED).exists()
    assert form.non_field_errors() and "材料不全，暂不批准" in response.content.decode()
    assert not list(response.context["messages"])


def test_a_draft_application_is_neither_listed_nor_opened_by_staff(client):
    draft = ApplicationFactory(unit_name="尚未提交的学校")
    client.force_login(staff_of(draft.alliance))
    listed = client.get(reverse(CHANGELIST)).context["cl"].result_list
    assert draft.pk not in [a.pk for a in listed]
    response = client.get(reverse("admin:members_application_change", args=[draft.pk]))
    assert response.status_code == 302 and "尚未提交的学校" not in response.content.decode()


def test_bulk_approval_names_the_applications_approved(client):
    alliance = AllianceFactory()
    apps = [submitted_application(alliance=alliance, unit_name=name) for name in ("甲校", "乙校")]
    client.force_login(staff_of(alliance))
    html = act(client, "approve", apps, confirm="1", follow=True).content.decode()
    assert "已批准 2 份申请：" in html and "甲校" in html and "乙校" in html and "已处理" not in html



def test_the_province_filter_lists_the_forms_provinces_without_reading_the_applications(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = submitted_application()
    client.force_login(staff_of(app.alliance))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(CHANGELIST))
    assert "?province=%E8%A5%BF%E8%97%8F%E8%87%AA%E6%B2%BB%E5%8C%BA" in response.content.decode()  # 西藏自治区
    assert not [q for q in ctx.captured_queries if "DISTINCT" in q["sql"] and "province" in q["sql"]]
