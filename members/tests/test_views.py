"""The public pages: applying, following an application, attachments, the member page and verification."""

import pytest
from django.utils.formats import date_format
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.models import CharterRules
from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from members import services
from members.models import Application, Attachment, Certificate, Kind, Member
from members.tests.factories import (
    INDIVIDUAL_DATA, UNIT_DATA, ApplicationFactory, admitted_member, alliance_with, expelled, submitted_application,
)
from members.tests.test_validators import ELF, PDF, PNG

pytestmark = pytest.mark.django_db
S = Application.Status


def unit_post(**overrides):
    data = {k: ("on" if v is True else v) for k, v in UNIT_DATA.items() if v is not False}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_applying_needs_a_signed_in_person(client):
    alliance = AllianceFactory()
    response = client.get(reverse("members:application_create", args=[alliance.slug, "unit"]))
    assert response.status_code == 302 and "/login/" in response.url


def test_a_closed_alliance_refuses_the_form(client):
    alliance = alliance_with(admission_route=CharterRules.AdmissionRoute.CLOSED)
    client.force_login(UserFactory())
    response = client.get(reverse("members:application_create", args=[alliance.slug, "unit"]))
    assert response.status_code == 403
    assert "不接受" in response.content.decode()


def test_an_alliance_of_units_only_refuses_the_individual_form(client):
    alliance = alliance_with(admits_individuals=False)
    client.force_login(UserFactory())
    response = client.get(reverse("members:application_create", args=[alliance.slug, "individual"]))
    assert response.status_code == 403
    response = client.get(reverse("members:apply_start", args=[alliance.slug]))
    assert response.url == reverse("members:application_create", args=[alliance.slug, "unit"])


def test_the_unit_form_carries_the_seed_labels(client):
    alliance = AllianceFactory()
    client.force_login(UserFactory())
    html = client.get(reverse("members:application_create", args=[alliance.slug, "unit"])).content.decode()
    for label in ("单位名称", "单位类型", "通讯地址", "邮编", "负责人", "联系人", "联系人职务", "联系人手机",
                  "联系人QQ或微信", "统一社会信用代码", "业务领域", "单位简介", "拥护联盟章程", "自愿加入联盟"):
        assert label in html, label


def test_the_individual_form_carries_the_seed_labels(client):
    alliance = AllianceFactory()
    client.force_login(UserFactory())
    html = client.get(reverse("members:application_create", args=[alliance.slug, "individual"])).content.decode()
    for label in ("姓名", "性别", "出生日期", "民族", "工作单位", "职称", "职务", "手机", "电子邮箱", "主要成绩"):
        assert label in html, label


def test_submitting_a_complete_unit_form_with_an_attachment(client):
    alliance = AllianceFactory()
    person = UserFactory()
    client.force_login(person)
    data = unit_post(submit="1", attachments=SimpleUploadedFile("营业执照.pdf", PDF))
    response = client.post(reverse("members:application_create", args=[alliance.slug, "unit"]), data)
    app = Application.objects.get(applicant=person)
    assert response.status_code == 302 and response.url == app.get_absolute_url()
    assert app.status == S.SUBMITTED
    attachment = app.attachments.get()
    assert attachment.original_name == "营业执照.pdf" and attachment.content_type == "application/pdf"
    assert "营业执照" not in attachment.file.name  # stored under a random name


def test_a_failed_submit_keeps_what_was_typed_and_uploaded(client):
    alliance = AllianceFactory()
    person = UserFactory()
    client.force_login(person)
    data = unit_post(submit="1", contact_mobile="12345", postcode="", attachments=SimpleUploadedFile("证明.png", PNG))
    response = client.post(reverse("members:application_create", args=[alliance.slug, "unit"]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入 11 位中国大陆手机号码" in html
    assert "12345" in html and UNIT_DATA["unit_name"] in html  # the typed values are shown again
    app = Application.objects.get(applicant=person)
    assert app.status == S.DRAFT and app.unit_name == UNIT_DATA["unit_name"]
    assert app.attachments.get().original_name == "证明.png"
    assert "证明.png" in html


def test_a_submit_the_rules_refuse_keeps_what_was_typed_and_uploaded(client, monkeypatch):
    # The form checks the fields the charter requires; should the service still refuse (say the rules changed
    # meanwhile), nothing is written by the submit and the same input is saved as a draft.
    monkeypatch.setattr(Application, "missing_for_submit", lambda self: {"head_name": "提交前请填写此项。"})
    alliance = AllianceFactory()
    person = UserFactory()
    client.force_login(person)
    data = unit_post(submit="1", attachments=SimpleUploadedFile("证明.png", PNG))
    response = client.post(reverse("members:application_create", args=[alliance.slug, "unit"]), data)
    assert response.status_code == 200 and "提交前请填写此项" in response.content.decode()
    app = Application.objects.get(applicant=person)
    assert app.status == S.DRAFT and app.unit_name == UNIT_DATA["unit_name"]
    assert app.attachments.get().original_name == "证明.png"
    assert [e.to_status for e in app.events.all()] == [S.DRAFT]


def test_a_current_member_applying_again_is_told_so_on_the_form_and_keeps_a_draft(client):
    member, _ = admitted_member()
    client.force_login(member.user)
    url = reverse("members:application_create", args=[member.alliance.slug, "individual"])
    data = {k: ("on" if v is True else v) for k, v in INDIVIDUAL_DATA.items()}
    response = client.post(url, {**data, "birth_date": "1980-05-01", "submit": "1"})
    assert response.status_code == 200
    assert f"该账号已是{member.alliance.name}的成员（编号 {member.number}），不能重复入会。" in response.content.decode()
    assert Application.objects.get(kind="individual").status == S.DRAFT
    assert Member.objects.count() == 1


def test_submitting_a_new_application_takes_twelve_queries(client, django_assert_max_num_queries):
    # The user (the session comes from the cache), the alliance with its rules, the open-application check; then
    # one savepoint with the current-membership check, the application, its history row, its two timeline events,
    # the alliance's staff (their grant's content type, cached after the first, then the accounts), the contact
    # person's notice settings and the e-mails of both notices (one insert).
    alliance = AllianceFactory()
    person = UserFactory()
    client.force_login(person)
    url = reverse("members:application_create", args=[alliance.slug, "unit"])
    with django_assert_max_num_queries(12):
        response = client.post(url, unit_post(submit="1"))
    assert response.status_code == 302
    assert Application.objects.get(applicant=person).status == S.SUBMITTED


def test_a_spoofed_pdf_is_refused_next_to_the_field_and_not_stored(client):
    alliance = AllianceFactory()
    person = UserFactory()
    client.force_login(person)
    data = unit_post(submit="1", attachments=SimpleUploadedFile("合同.pdf", ELF, content_type="application/pdf"))
    response = client.post(reverse("members:application_create", args=[alliance.slug, "unit"]), data)
    assert response.status_code == 200
    assert "不是 PDF、JPG 或 PNG" in response.content.decode()
    assert not Attachment.objects.exists()
    assert Application.objects.get(applicant=person).status == S.DRAFT


def test_more_than_ten_attachments_are_refused(client):
    app = ApplicationFactory()
    for i in range(10):
        services.attachment_add(actor=app.applicant, application=app,
                                uploaded=SimpleUploadedFile(f"{i}.pdf", PDF))
    client.force_login(app.applicant)
    response = client.post(reverse("members:application_edit", args=[app.pk]),
                           unit_post(save="1", attachments=SimpleUploadedFile("11.pdf", PDF)))
    assert "最多上传 10 个附件" in response.content.decode()
    assert app.attachments.count() == 10


def test_an_attachment_over_10_mb_is_refused_next_to_the_field_and_not_stored(client):
    app = ApplicationFactory()
    client.force_login(app.applicant)
    big = SimpleUploadedFile("扫描件.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    response = client.post(reverse("members:application_edit", args=[app.pk]), unit_post(save="1", attachments=big))
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == ["“扫描件.pdf”超过 10 MB。"]
    assert not app.attachments.exists()


def test_a_hostile_file_name_is_kept_only_made_safe_and_the_file_stored_under_its_type(client):
    app = ApplicationFactory()
    client.force_login(app.applicant)
    upload = SimpleUploadedFile('../../<img src=x onerror=alert(1)>";.html', PNG, content_type="text/html")
    response = client.post(reverse("members:application_edit", args=[app.pk]), unit_post(save="1", attachments=upload))
    assert response.status_code == 302
    attachment = app.attachments.get()
    assert "img src=x" in attachment.original_name and not set('<>"/\\;') & set(attachment.original_name)
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")
    assert "img" not in attachment.file.name
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('.png"') and ".html" not in response["Content-Disposition"]


def test_save_draft_then_submit_later(client):
    alliance = AllianceFactory()
    person = UserFactory()
    client.force_login(person)
    url = reverse("members:application_create", args=[alliance.slug, "unit"])
    response = client.post(url, {"unit_name": "草稿学校", "save": "1"})
    app = Application.objects.get(applicant=person)
    assert response.url == reverse("members:application_edit", args=[app.pk])
    assert app.status == S.DRAFT and app.unit_name == "草稿学校"
    response = client.post(reverse("members:application_edit", args=[app.pk]), unit_post(submit="1"))
    app.refresh_from_db()
    assert app.status == S.SUBMITTED


def test_a_returned_application_is_edited_and_resubmitted_on_the_site(client):
    app = submitted_application()
    services.application_return(actor=staff_of(app.alliance), application=app, reason="请补充证明材料")
    client.force_login(app.applicant)
    html = client.get(reverse("members:application_edit", args=[app.pk])).content.decode()
    assert "请补充证明材料" in html
    client.post(reverse("members:application_edit", args=[app.pk]), unit_post(submit="1", description="已补充"))
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and app.description == "已补充"


def test_resubmitting_a_returned_application_takes_thirteen_queries(client, django_assert_max_num_queries):
    # The user (the session comes from the cache), the application with its alliance, rules and files; then one
    # savepoint with the locked application, the current-membership check, its update, history row, timeline
    # event, the alliance's staff (content type, accounts), the contact person's notice settings and the e-mails of
    # both notices (one insert).
    app = submitted_application()
    services.application_return(actor=staff_of(app.alliance), application=app, reason="请补充证明材料")
    client.force_login(app.applicant)
    with django_assert_max_num_queries(13):
        response = client.post(reverse("members:application_edit", args=[app.pk]), unit_post(submit="1"))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert app.events.last().step == "resubmitted" and not app.events.last().reason


def test_the_status_timeline_is_shown_to_the_applicant(client):
    app = submitted_application()
    services.application_reject(actor=staff_of(app.alliance), application=app, reason="不符合第五条条件")
    client.force_login(app.applicant)
    html = client.get(app.get_absolute_url()).content.decode()
    assert "已提交，待审核" in html and "未批准" in html and "不符合第五条条件" in html


@pytest.mark.parametrize("who", ["other_applicant", "other_staff", "anonymous"])
def test_others_cannot_see_an_application_or_its_attachments(client, who):
    app = ApplicationFactory()
    attachment = services.attachment_add(actor=app.applicant, application=app,
                                         uploaded=SimpleUploadedFile("a.pdf", PDF))
    if who == "other_applicant":
        client.force_login(UserFactory())
    elif who == "other_staff":
        client.force_login(staff_of(AllianceFactory()))
    for url in (app.get_absolute_url(), attachment.get_absolute_url(),
                reverse("members:application_edit", args=[app.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if who != "anonymous":
            assert response.status_code == 403


def test_the_applicant_and_the_alliance_staff_can_open_an_attachment(client):
    app = ApplicationFactory()
    attachment = services.attachment_add(actor=app.applicant, application=app,
                                         uploaded=SimpleUploadedFile("a.pdf", PDF))
    for user in (app.applicant, staff_of(app.alliance)):
        client.force_login(user)
        response = client.get(attachment.get_absolute_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_cannot_edit_an_applicants_form(client):
    app = ApplicationFactory()
    client.force_login(staff_of(app.alliance))
    assert client.get(reverse("members:application_edit", args=[app.pk])).status_code == 403


def _ready_certificate(member):
    certificate = Certificate.objects.get(member=member, revoked_at__isnull=True)
    certificate.file.save("c.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    certificate.status = Certificate.Status.READY
    certificate.save()
    return certificate


def test_the_member_page_shows_rights_duties_and_the_certificate(client):
    alliance = alliance_with(rights_text="（一）参加联盟组织的活动；", duties_text="（五）按规定交纳会费；")
    member, _ = admitted_member(alliance=alliance)
    certificate = _ready_certificate(member)
    client.force_login(member.user)
    html = client.get(member.get_absolute_url()).content.decode()
    assert "参加联盟组织的活动" in html and "按规定交纳会费" in html
    assert reverse("members:certificate_download", args=[certificate.pk]) in html
    response = client.get(reverse("members:certificate_download", args=[certificate.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["other_person", "other_staff"])
def test_others_cannot_open_a_member_page_or_certificate(client, who):
    member, _ = admitted_member()
    certificate = _ready_certificate(member)
    client.force_login(UserFactory() if who == "other_person" else staff_of(AllianceFactory()))
    assert client.get(member.get_absolute_url()).status_code == 403
    assert client.get(reverse("members:certificate_download", args=[certificate.pk])).status_code == 403


def test_the_member_requests_withdrawal_from_their_page_after_confirming_once(client):
    member, _ = admitted_member()
    client.force_login(member.user)
    url = reverse("members:member_withdrawal_request", args=[member.pk])
    asked = client.post(url, {"reason": "业务调整"}).content.decode()
    member.refresh_from_db()
    assert member.status == "active"
    assert "确认提交退出申请" in asked and "业务调整" in asked and "证书作废" in asked
    client.post(url, {"reason": "业务调整", "confirm": "1"})
    member.refresh_from_db()
    assert member.status == "withdrawal_requested"


def test_another_person_cannot_request_withdrawal(client):
    member, _ = admitted_member()
    client.force_login(UserFactory())
    response = client.post(reverse("members:member_withdrawal_request", args=[member.pk]), {"reason": "x"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.status == "active"


@pytest.mark.parametrize(
    ("change", "state", "text"),
    [
        (lambda m, s: None, "valid", "有效"),
        (lambda m, s: type(m).objects.filter(pk=m.pk).update(status="lapsed"), "expired", "已过期"),
        (lambda m, s: type(m).objects.filter(pk=m.pk).update(status="withdrawn"), "withdrawn", "已退出"),
        (lambda m, s: expelled(m), "expelled", "除名"),
        (lambda m, s: Certificate.objects.filter(member=m).update(revoked_at="2026-01-01T00:00Z"), "revoked", "作废"),
    ],
)
def test_the_verify_page_shows_the_state_as_a_badge_with_the_number_and_validity_and_no_contact_data(
        client, change, state, text):
    member, staff = admitted_member()
    certificate = Certificate.objects.get(member=member)
    change(member, staff)
    response = client.get(reverse("verify", args=[certificate.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"state-{state}" in html and text in html
    assert member.name in html and member.alliance.name in html
    badge = {"valid": "badge-ok", "expired": "badge-warn"}.get(state, "badge-err")
    assert f'class="badge {badge}"' in html
    assert member.number in html and date_format(certificate.issued_on, "Y年n月j日") in html
    assert ("至" + date_format(certificate.valid_until, "Y年n月j日") if certificate.valid_until else "长期有效") in html
    for private in (UNIT_DATA["contact_mobile"], UNIT_DATA["contact_email"], UNIT_DATA["address"]):
        assert private not in html


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("verify", args=["nope"])).status_code == 404


def test_my_applications_lists_only_mine(client):
    mine = ApplicationFactory(unit_name="我的学校")
    ApplicationFactory(unit_name="别人的学校")
    client.force_login(mine.applicant)
    html = client.get(reverse("members:my_applications")).content.decode()
    assert "我的学校" in html and "别人的学校" not in html


@pytest.mark.parametrize("rows", [1, 6])
def test_my_applications_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    person = UserFactory()
    for _ in range(rows):
        app = submitted_application(applicant=person, alliance=AllianceFactory())
        services.application_approve(actor=staff_of(app.alliance), application=app)
    client.force_login(person)
    # The user, applications, memberships and the navigation's facts (the session comes from the cache).
    with django_assert_num_queries(4):
        assert client.get(reverse("members:my_applications")).status_code == 200


def test_kind_is_validated_in_the_url(client):
    alliance = AllianceFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("members:application_create", args=[alliance.slug, "robot"])).status_code == 403
    assert Kind.UNIT in ("unit",)


def test_the_applicant_deletes_an_attachment_of_a_draft_but_not_after_submitting(client):
    app = ApplicationFactory()
    first = services.attachment_add(actor=app.applicant, application=app, uploaded=SimpleUploadedFile("a.pdf", PDF))
    second = services.attachment_add(actor=app.applicant, application=app, uploaded=SimpleUploadedFile("b.pdf", PDF))
    client.force_login(app.applicant)
    client.post(reverse("members:attachment_delete", args=[first.pk]))
    assert list(app.attachments.all()) == [second]
    services.application_submit(actor=app.applicant, application=app)
    client.post(reverse("members:attachment_delete", args=[second.pk]))
    assert list(app.attachments.all()) == [second]


def test_another_person_cannot_delete_an_attachment(client):
    app = ApplicationFactory()
    attachment = services.attachment_add(actor=app.applicant, application=app,
                                         uploaded=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(staff_of(app.alliance))
    with pytest.raises(PermissionDenied):
        services.attachment_delete(actor=staff_of(app.alliance), attachment=attachment)
    assert client.post(reverse("members:attachment_delete", args=[attachment.pk])).status_code == 403
    client.force_login(UserFactory())
    assert client.post(reverse("members:attachment_delete", args=[attachment.pk])).status_code == 403
    assert app.attachments.count() == 1


def test_the_alliance_page_links_to_applying_unless_closed(client):
    open_alliance = AllianceFactory()
    closed = alliance_with(admission_route=CharterRules.AdmissionRoute.CLOSED)
    assert "申请加入" in client.get(open_alliance.get_absolute_url()).content.decode()
    assert "申请加入" not in client.get(closed.get_absolute_url()).content.decode()


def test_the_profile_page_lists_my_applications(client):
    app = ApplicationFactory(unit_name="资料页可见的学校")
    client.force_login(app.applicant)
    assert "资料页可见的学校" in client.get(reverse("profile")).content.decode()


def test_a_unit_member_names_its_liaison_on_its_page(client):
    member, _ = admitted_member()
    client.force_login(member.user)
    client.post(reverse("members:member_liaison", args=[member.pk]),
                {"name": "钱联络", "title": "办公室主任", "phone": "13700001111", "email": "qian@example.cn"})
    member.refresh_from_db()
    assert member.liaison.name == "钱联络" and member.liaison.history.first().history_user == member.user


def test_another_person_cannot_change_the_liaison(client):
    member, _ = admitted_member()
    client.force_login(UserFactory())
    response = client.post(reverse("members:member_liaison", args=[member.pk]),
                           {"name": "冒名", "title": "", "phone": "13700001111", "email": "x@example.cn"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.liaison.name != "冒名"


def test_a_timeline_step_is_stored_as_a_code_and_shown_in_the_pages_language():
    from django.utils import translation

    from members.models import ApplicationEvent

    event = ApplicationEvent(step=ApplicationEvent.Step.RESUBMITTED)
    with translation.override("zh-hans"):
        assert event.get_step_display() == "重新提交申请"
    with translation.override("en"):
        assert event.get_step_display() == "Application resubmitted"
