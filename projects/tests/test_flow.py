"""Filing through the form pages, selection, 公示, letters, pairing, class hours, query counts and the demo."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.models import Email
from alliance.tests.factories import staff_of
from projects import selectors, services
from projects.models import Application, AppointmentLetter, School, SelectionNotice, TeamMember

from .factories import (
    PDF_BYTES, ProjectFactory, community_application, county_application, county_post, expert_of, organiser_of,
    scan_upload, subject,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


def test_an_organiser_files_a_county_application_with_schools_and_members(client, project):
    organiser = organiser_of(project)
    client.force_login(organiser)
    response = client.post(reverse("projects:application_new", args=[project.pk, "county"]))
    app = Application.objects.get()
    assert response.url == reverse("projects:application_edit", args=[app.pk])
    response = client.post(response.url, {**county_post(project), "submit": "1"})
    assert response.status_code == 302, response.context["form"].errors
    app.refresh_from_db()
    assert app.status == "submitted" and app.is_sanqu_sanzhou
    assert app.schools.count() == 2 and app.team.count() == 5
    assert app.opinion_scan_name == "意见.pdf" and app.applicant_scan_name == "申报单位.pdf"
    for field in ("applicant_scan", "opinion_scan"):
        scan = client.get(reverse("projects:application_scan", args=[app.pk, field]))
        assert scan["Content-Type"] == "application/pdf" and b"".join(scan.streaming_content) == PDF_BYTES


def test_a_rule_error_keeps_everything_typed_and_shows_the_message_by_the_section(client, project):
    organiser = organiser_of(project)
    client.force_login(organiser)
    client.post(reverse("projects:application_new", args=[project.pk, "county"]))
    app = Application.objects.get()
    response = client.post(reverse("projects:application_edit", args=[app.pk]),
                           {**county_post(project, members=3), "submit": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "小学语文三年级学科组现有3人，每年级学科组至少5人。" in body
    assert "草稿已保存" in body
    app.refresh_from_db()
    assert app.status == "draft" and app.team.count() == 3 and app.head_qq == "52001001"
    assert 'value="称杆乡中心完小"' in body and 'value="教师2"' in body


def test_a_shape_error_is_shown_next_to_the_field_and_nothing_is_lost(client, project):
    organiser = organiser_of(project)
    client.force_login(organiser)
    client.post(reverse("projects:application_new", args=[project.pk, "county"]))
    app = Application.objects.get()
    data = county_post(project, scan=False)
    data["head_qq"] = "QQ号"
    data["opinion_scan"] = scan_upload("伪装.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(reverse("projects:application_edit", args=[app.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["head_qq"] == ["QQ 号为 5–12 位数字。"]
    assert "PDF、JPG 或 PNG" in form.errors["opinion_scan"][0]
    assert 'value="李建国"' in response.content.decode()
    assert not School.objects.exists()


def test_the_draft_pdf_is_printed_like_the_seeds_form(client, project):
    organiser = organiser_of(project)
    app = county_application(project, organiser)
    client.force_login(organiser)
    response = client.get(reverse("projects:application_pdf", args=[app.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def submitted_pair(project):
    organiser = organiser_of(project)
    county = county_application(project, organiser, status="submitted")
    community = community_application(project, organiser, status="submitted")
    return organiser, county, community


def test_selection_is_announced_only_during_its_period_and_then_final(client, project, django_capture_on_commit_callbacks):
    staff = staff_of(project.alliance)
    _, county, community = submitted_pair(project)
    rejected = county_application(project, organiser_of(project, "甘肃省"), "甘肃省", status="submitted",
                                  county="未入选县")
    services.application_select(actor=staff, application=county, selected=True)
    services.application_select(actor=staff, application=community, selected=True)
    services.application_select(actor=staff, application=rejected, selected=False)
    today = timezone.localdate()
    notice = services.notice_publish(actor=staff, project=project, title="入选名单公示", starts_on=today,
                                     ends_on=today + datetime.timedelta(days=6))
    url = reverse("projects:notice_detail", args=[notice.pk])
    body = client.get(url).content.decode()
    assert county.county in body and "赵明华" in body and "未入选县" not in body
    assert "入选名单公示" in client.get(reverse("projects:notice_list")).content.decode()

    with pytest.raises(Exception, match="期满后方可确认"):
        services.notice_finalise(actor=staff, notice=notice, today=today)
    later = today + datetime.timedelta(days=7)
    assert selectors.notice_list_public(today=later).count() == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notice_finalise(actor=staff, notice=notice, today=later)
    notices = Email.objects.filter(subject__contains="最终入选名单已确认").count()
    # One 聘书 (the community, not the county), and one task sending the notice's e-mails.
    assert notices >= 2 and len(callbacks) == 2
    letter = AppointmentLetter.objects.get()
    assert letter.application == community and letter.number == f"{project.alliance.code}-{later.year}-001"
    county.refresh_from_db()
    assert county.status == "final"
    assert "最终入选名单" in client.get(url).content.decode()


def test_a_notice_before_its_start_is_not_public(client, project):
    staff = staff_of(project.alliance)
    _, county, _ = submitted_pair(project)
    services.application_select(actor=staff, application=county, selected=True)
    start = timezone.localdate() + datetime.timedelta(days=3)
    notice = services.notice_publish(actor=staff, project=project, title="将来的公示", starts_on=start,
                                     ends_on=start + datetime.timedelta(days=6))
    assert client.get(reverse("projects:notice_detail", args=[notice.pk])).status_code == 404


def test_the_letter_task_renders_once(project, settings):
    staff = staff_of(project.alliance)
    _, _, community = submitted_pair(project)
    services.application_select(actor=staff, application=community, selected=True)
    notice = services.notice_publish(actor=staff, project=project, title="公示", starts_on=datetime.date(2026, 1, 1),
                                     ends_on=datetime.date(2026, 1, 7), today=datetime.date(2026, 1, 1))
    services.notice_finalise(actor=staff, notice=notice, today=datetime.date(2026, 1, 8))
    letter = AppointmentLetter.objects.get()
    assert services.letter_store(letter_id=letter.pk) is True
    assert services.letter_store(letter_id=letter.pk) is False
    letter.refresh_from_db()
    assert letter.status == "ready" and letter.file.read().startswith(b"%PDF")


def test_pairing_needs_final_applications_and_only_confirmed_hours_up_to_a_date_are_payable(project):
    staff = staff_of(project.alliance)
    _, county, community = submitted_pair(project)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="正式入选"):
        services.pairing_create(actor=staff, community=community, county=county, subject=subject(project), grade=3)
    Application.objects.filter(pk__in=[county.pk, community.pk]).update(status="final")
    county.refresh_from_db()
    community.refresh_from_db()
    with pytest.raises(ValidationError, match="二至五年级"):
        services.pairing_create(actor=staff, community=community, county=county, subject=subject(project), grade=7)
    pairing = services.pairing_create(actor=staff, community=community, county=county, subject=subject(project),
                                      grade=3)
    leader = community.team.first()
    activities = [
        services.activity_record(actor=staff, pairing=pairing, kind="remote_class", date=date,
                                 class_hours=Decimal(hours), teaching_points="色仲教学点",
                                 teachers=[(leader, Decimal(hours))])
        for date, hours in [(datetime.date(2026, 3, 2), "2"), (datetime.date(2026, 3, 9), "1.5"),
                            (datetime.date(2026, 4, 1), "1")]]
    for activity in activities[1:]:
        services.activity_confirm(actor=staff, activity=activity)
    payable = selectors.class_hours_confirmed(project=project, up_to=datetime.date(2026, 3, 31))
    assert [(row.name, row.hours) for row in payable] == [(leader.name, Decimal("1.5"))]
    dashboard = selectors.project_dashboard(project=project)
    assert dashboard["by_pairing"][0]["teaching_points"] == 1 and dashboard["by_pairing"][0]["hours"] == Decimal("4.5")


# ---- query counts: 1 row == 6 rows ---------------------------------------------------------------------------

def assert_flat(client, url, add_rows, django_assert_num_queries):
    add_rows(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_rows(5)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_project_application_list_query_count_does_not_grow(client, project, django_assert_num_queries):
    organiser = organiser_of(project)
    client.force_login(organiser)
    assert_flat(client, reverse("projects:detail", args=[project.pk]),
                lambda n: [county_application(project, organiser) for _ in range(n)], django_assert_num_queries)


def test_staff_application_list_query_count_does_not_grow(client, project, django_assert_num_queries):
    organiser = organiser_of(project)
    client.force_login(staff_of(project.alliance))
    assert_flat(client, reverse("projects:detail", args=[project.pk]),
                lambda n: [community_application(project, organiser) for _ in range(n)], django_assert_num_queries)


def test_selection_table_query_count_does_not_grow(client, project, django_assert_num_queries):
    organiser, staff, expert = organiser_of(project), staff_of(project.alliance), expert_of(project)
    client.force_login(staff)

    def add(n):
        for _ in range(n):
            app = county_application(project, organiser, status="submitted")
            a = services.assignment_create(actor=staff, application=app, expert=expert)
            c1, c2 = project.criteria.filter(kind="county")
            services.assignment_score(actor=expert, assignment=a, values={c1.pk: 50, c2.pk: 30})

    assert_flat(client, reverse("projects:selection", args=[project.pk]) + "?kind=county", add,
                django_assert_num_queries)


def test_expert_review_list_query_count_does_not_grow(client, project, django_assert_num_queries):
    organiser, staff, expert = organiser_of(project), staff_of(project.alliance), expert_of(project)
    client.force_login(expert)

    def add(n):
        for _ in range(n):
            app = county_application(project, organiser, status="submitted")
            services.assignment_create(actor=staff, application=app, expert=expert)

    assert_flat(client, reverse("projects:review_list"), add, django_assert_num_queries)


def _full_pipeline(project, staff, organiser, expert):
    county = county_application(project, organiser, status="final")
    community = community_application(project, organiser, status="final")
    pairing = services.pairing_create(actor=staff, community=community, county=county, subject=subject(project),
                                      grade=3)
    services.activity_record(actor=staff, pairing=pairing, kind="sync", date=datetime.date(2026, 3, 2),
                             class_hours=Decimal("2"), teachers=[(community.team.first(), Decimal("2"))])
    Application.objects.filter(pk=county.pk).update(status="submitted")
    services.assignment_create(actor=staff, application=county, expert=expert)
    AppointmentLetter.objects.create(application=community, number=f"L{community.pk}",
                                     issued_on=datetime.date(2026, 1, 1))
    notice = SelectionNotice.objects.create(project=project, title=f"公示{county.pk}", published_at=timezone.now(),
                                            starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 1, 7))
    notice.applications.add(community)


@pytest.mark.parametrize("model", ["application", "assignment", "pairing", "activity", "selectionnotice",
                                   "appointmentletter", "provincialcontact"])
def test_admin_changelist_query_count_does_not_grow(client, project, django_assert_num_queries, model):
    staff, organiser, expert = staff_of(project.alliance), organiser_of(project), expert_of(project)
    client.force_login(staff)
    assert_flat(client, reverse(f"admin:projects_{model}_changelist"),
                lambda n: [_full_pipeline(project, staff, organiser, expert) for _ in range(n)],
                django_assert_num_queries)


def test_dashboard_query_count_does_not_grow(client, project, django_assert_num_queries):
    staff, organiser, expert = staff_of(project.alliance), organiser_of(project), expert_of(project)
    client.force_login(staff)
    assert_flat(client, reverse("projects:dashboard", args=[project.pk]),
                lambda n: [_full_pipeline(project, staff, organiser, expert) for _ in range(n)],
                django_assert_num_queries)


def test_demo_loads_twice_without_writing_anything_the_second_time():
    from alliance import demo as alliance_demo
    from governance import demo as governance_demo
    from projects import demo
    from projects.models import Project

    out = io.StringIO()
    alliance_demo.load(out)
    governance_demo.load(out)
    demo.load(out)
    pilot = Project.objects.get(slug="pilot-2019")
    assert pilot.deadline.astimezone(timezone.get_default_timezone()).date() == datetime.date(2019, 10, 10)
    assert pilot.alliance.slug == "ncet"
    assert pilot.organisers.get().user.email == "organiser@demo.test"
    counts = {m: m.history.count() for m in (Application, TeamMember, Project)}
    demo.load(out)
    assert counts == {m: m.history.count() for m in (Application, TeamMember, Project)}


CONTACT = {
    "head_name": "周立新", "head_gender": "男", "head_ethnicity": "汉族", "head_unit": "云南省电化教育馆",
    "head_position": "馆长", "head_office_phone": "0871-65141001", "head_mobile": "13908710001", "head_wechat": "zlx",
    "contact_name": "和晓梅", "contact_gender": "女", "contact_ethnicity": "纳西族", "contact_unit": "资源部",
    "contact_position": "主任", "contact_office_phone": "0871-65141002", "contact_mobile": "1390871000",
}


def test_the_contact_form_is_checked_saved_and_submitted_with_the_provinces_counties(client, project):
    from projects.models import ProvincialContact

    organiser = organiser_of(project)
    client.force_login(organiser)
    url = reverse("projects:contact", args=[project.pk])
    response = client.post(url, {**CONTACT, "save": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["contact_mobile"] == ["请输入 11 位中国大陆手机号码，例如 13812345678。"]
    assert 'value="纳西族"' in response.content.decode()
    client.post(url, {**CONTACT, "contact_mobile": "13908710002", "save": "1"})
    contact = ProvincialContact.objects.get()
    assert contact.province == "云南省" and contact.status == "draft"
    response = client.post(url, {**CONTACT, "contact_mobile": "13908710002", "submit": "1"})
    assert response.context["form"].errors["scan"] == ["请上传项目联系表加盖公章的扫描件。"]
    response = client.post(url, {**CONTACT, "contact_mobile": "13908710002", "submit": "1",
                                 "scan": scan_upload("联系表盖章.pdf")})
    assert "每省须推荐2–3个县" in response.content.decode()
    for _ in range(2):
        county_application(project, organiser, status="submitted")
    client.post(url, {**CONTACT, "contact_mobile": "13908710002", "submit": "1"})
    contact.refresh_from_db()
    assert contact.status == "submitted" and contact.scan_name == "联系表盖章.pdf"
    pdf = client.get(reverse("projects:contact_pdf", args=[project.pk]))
    assert pdf.content.startswith(b"%PDF")
    client.force_login(organiser_of(project, "甘肃省"))
    assert client.get(reverse("projects:contact_pdf_province", args=[project.pk, "云南省"])).status_code == 403


def test_staff_assign_an_expert_in_the_admin_through_the_service(client, project):
    from projects.models import Assignment

    organiser, staff, expert = organiser_of(project), staff_of(project.alliance), expert_of(project)
    app = county_application(project, organiser, status="submitted")
    draft = county_application(project, organiser)
    client.force_login(staff)
    response = client.post(reverse("admin:projects_assignment_add"), {"application": app.pk, "expert": expert.pk})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.assigned_by == staff and assignment.expert == expert
    response = client.post(reverse("admin:projects_assignment_add"), {"application": draft.pk, "expert": expert.pk})
    assert response.status_code == 200  # drafts are not offered
    assert Assignment.objects.count() == 1


def test_public_notice_list_query_count_does_not_grow(client, project, django_assert_num_queries):
    staff = staff_of(project.alliance)
    organiser = organiser_of(project)
    today = timezone.localdate()

    def add(n):
        for i in range(n):
            county_application(project, organiser, status="selected")
            services.notice_publish(actor=staff, project=project, title=f"公示{timezone.now().timestamp()}{i}",
                                    starts_on=today, ends_on=today + datetime.timedelta(days=6))

    assert_flat(client, reverse("projects:list"), add, django_assert_num_queries)


def test_admin_project_changelist_query_count_does_not_grow(client, project, django_assert_num_queries):
    client.force_login(staff_of(project.alliance))
    assert_flat(client, reverse("admin:projects_project_changelist"),
                lambda n: [ProjectFactory(alliance=project.alliance) for _ in range(n)], django_assert_num_queries)


def test_a_letter_claimed_by_a_dead_worker_is_taken_over_after_a_while(project):
    organiser = organiser_of(project)
    community = community_application(project, organiser, status="final")
    letter = AppointmentLetter.objects.create(application=community, number="NCET-2026-009",
                                              issued_on=datetime.date(2026, 1, 1), status="rendering",
                                              claimed_at=timezone.now())
    assert services.letter_store(letter_id=letter.pk) is False
    AppointmentLetter.objects.filter(pk=letter.pk).update(claimed_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.letter_store(letter_id=letter.pk) is True
    letter.refresh_from_db()
    assert letter.status == "ready" and letter.file.name == "projects/letters/NCET-2026-009.pdf"


def test_a_notice_needs_a_selection(project):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="尚无拟入选"):
        services.notice_publish(actor=staff_of(project.alliance), project=project, title="空公示",
                                starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 1, 7),
                                today=datetime.date(2026, 1, 1))


def test_another_alliances_staff_cannot_select_publish_or_finalise(client, project):
    from alliance.tests.factories import AllianceFactory

    _, county, _ = submitted_pair(project)
    staff = staff_of(project.alliance)
    services.application_select(actor=staff, application=county, selected=True)
    notice = services.notice_publish(actor=staff, project=project, title="公示", starts_on=datetime.date(2026, 1, 1),
                                     ends_on=datetime.date(2026, 1, 7), today=datetime.date(2026, 1, 1))
    client.force_login(staff_of(AllianceFactory()))
    assert client.post(reverse("projects:selection", args=[project.pk]),
                       {"application": county.pk, "selected": "0"}).status_code == 403
    assert client.post(reverse("projects:notice_publish", args=[project.pk]),
                       {"title": "越权", "starts_on": "2026-01-01", "ends_on": "2026-01-02"}).status_code == 403
    assert client.post(reverse("projects:notice_finalise", args=[notice.pk])).status_code == 403
    county.refresh_from_db()
    notice.refresh_from_db()
    assert county.status == "selected" and notice.finalised_at is None


def test_the_filed_pdf_is_rendered_once_per_submission(project):
    organiser = organiser_of(project)
    app = county_application(project, organiser)
    services.application_submit(actor=organiser, application=app)
    assert services.application_pdf_store(application_id=app.pk) is True
    assert services.application_pdf_store(application_id=app.pk) is False
    app.refresh_from_db()
    assert app.pdf_file.name == f"projects/pdf/{project.slug}-{app.pk}.pdf"


def test_a_letter_is_downloaded_only_by_those_who_may_see_the_community(client, project):
    from alliance.tests.factories import AllianceFactory

    organiser = organiser_of(project)
    community = community_application(project, organiser, status="final")
    letter = AppointmentLetter.objects.create(application=community, number="NCET-2026-010",
                                              issued_on=datetime.date(2026, 1, 1))
    services.letter_store(letter_id=letter.pk)
    url = reverse("projects:letter_pdf", args=[letter.pk])
    client.force_login(staff_of(AllianceFactory()))
    assert client.get(url).status_code == 403
    client.force_login(organiser_of(project, "甘肃省"))
    assert client.get(url).status_code == 403
    client.force_login(organiser)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_letter_given_after_the_demo_continues_after_the_demo_letters_number():
    from django.core.management import call_command

    from alliance.models import Alliance

    call_command("loaddemo", stdout=io.StringIO())
    ncet = Alliance.objects.get(slug="ncet")
    project = ProjectFactory(alliance=ncet)
    staff = staff_of(ncet)
    community = community_application(project, organiser_of(project), status="submitted")
    services.application_select(actor=staff, application=community, selected=True)
    notice = services.notice_publish(actor=staff, project=project, title="公示", starts_on=datetime.date(2019, 11, 1),
                                     ends_on=datetime.date(2019, 11, 7), today=datetime.date(2019, 11, 1))
    services.notice_finalise(actor=staff, notice=notice, today=datetime.date(2019, 11, 20))
    assert AppointmentLetter.objects.get(application=community).number == "NCET-2019-002"
