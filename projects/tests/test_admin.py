"""The projects admin writes only through the services: a refusal shows on the form, nothing saved, no success."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from projects import services
from projects.models import (
    Activity, Application, Assignment, Pairing, Project, ProjectExpert, ProvincialOrganiser, SelectionNotice,
)

from .factories import ProjectFactory, community_application, county_application, expert_of, organiser_of, subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


def changeform_data(response, **changes):
    """The POST a browser sends back from an admin change form as rendered (main form and inlines)."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field, forms.SplitDateTimeField):
                local = timezone.localtime(value)
                data[f"{key}_0"], data[f"{key}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            add(form)
    data.update(changes)
    return data


def with_rows(data, prefix, *rows):
    """Add new rows to an inline of changeform_data."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for i, row in enumerate(rows, start):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = start + len(rows)
    return data


def assert_refused(response, text):
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "success"]


def last_history(obj):
    return type(obj).history.filter(id=obj.pk).order_by("-history_id").first()


# ---- finding 8: assignments -------------------------------------------------------------------------------------

@pytest.fixture
def review(project):
    """A submitted application of the project, staff, an expert of it and an expert of another project only."""
    staff, organiser = staff_of(project.alliance), organiser_of(project)
    application = county_application(project, organiser, status="submitted")
    other = expert_of(ProjectFactory(alliance=project.alliance), name="别的项目专家")
    return application, staff, expert_of(project, name="本项目专家"), other


def test_an_assignment_to_someone_not_an_expert_of_the_project_is_refused_on_the_add_form(client, review):
    application, staff, expert, other = review
    client.force_login(staff)
    url = reverse("admin:projects_assignment_add")
    response = client.post(url, {"application": application.pk, "expert": other.pk})
    assert_refused(response, "该账号不是本项目的评审专家。")
    assert response.context["adminform"].form.errors["expert"] == ["该账号不是本项目的评审专家。"]
    assert "/None/change/" not in response.content.decode()
    assert not Assignment.objects.exists()
    response = client.post(url, {"application": application.pk, "expert": expert.pk})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.expert, assignment.assigned_by) == (expert, staff)
    assert last_history(assignment).history_user == staff


def test_editing_an_assignment_goes_through_the_service_and_keeps_the_expert_rule(client, review):
    application, staff, expert, other = review
    assignment = services.assignment_create(actor=staff, application=application, expert=expert)
    client.force_login(staff)
    url = reverse("admin:projects_assignment_change", args=[assignment.pk])
    response = client.post(url, {"expert": other.pk})
    assert_refused(response, "该账号不是本项目的评审专家。")
    assignment.refresh_from_db()
    assert assignment.expert == expert
    second = expert_of(application.project, name="第二位专家")
    assert client.post(url, {"expert": second.pk}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.expert == second
    assert last_history(assignment).history_change_reason == "更换评审专家"


def test_a_scored_assignment_is_neither_changed_nor_withdrawn(client, review):
    application, staff, expert, other = review
    assignment = services.assignment_create(actor=staff, application=application, expert=expert)
    Assignment.objects.filter(pk=assignment.pk).update(scored_at=timezone.now())
    client.force_login(staff)
    assert client.post(reverse("admin:projects_assignment_change", args=[assignment.pk]),
                       {"expert": expert.pk}).status_code == 403
    assert client.post(reverse("admin:projects_assignment_delete", args=[assignment.pk]),
                       {"post": "yes"}).status_code == 403
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="已评分"):
        services.assignment_remove(actor=staff, assignment=assignment)
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_an_unscored_assignment_is_withdrawn_through_the_service(client, review):
    application, staff, expert, _ = review
    assignment = services.assignment_create(actor=staff, application=application, expert=expert)
    client.force_login(staff)
    response = client.post(reverse("admin:projects_assignment_delete", args=[assignment.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Assignment.objects.exists()
    assert Assignment.history.latest("history_id").history_change_reason == "取消评审分配"


# ---- finding 5: the expert picker -------------------------------------------------------------------------------

def test_the_assignment_expert_picker_lists_only_experts_of_the_staffs_projects_by_name(client, review):
    application, staff, expert, other = review
    stranger = UserFactory(name="无关账号")
    foreign = expert_of(ProjectFactory(alliance=AllianceFactory()), name="外联盟专家")
    client.force_login(staff)
    response = client.get(reverse("admin:projects_assignment_add") + f"?application={application.pk}")
    assert response.status_code == 200
    field = response.context["adminform"].form.fields["expert"]
    assert set(field.queryset) == {expert, other}
    page = response.content.decode()
    assert "本项目专家" in page and expert.email in page
    assert stranger.email not in page and foreign.email not in page
    assert "vForeignKeyRawIdAdminField" not in page  # no numeric id to know, no popup of every account


def test_staff_add_a_project_expert_by_e_mail_and_the_project_page_lists_no_accounts(client, project):
    staff = staff_of(project.alliance)
    stranger = UserFactory(name="某位教授")
    client.force_login(staff)
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = client.get(url)
    page = response.content.decode()
    assert stranger.email not in page and "vForeignKeyRawIdAdminField" not in page
    data = with_rows(changeform_data(response), "experts", {"email": "nobody@example.cn", "title": "教授"})
    assert_refused(client.post(url, data), "没有使用该电子邮箱的有效账号")
    assert not ProjectExpert.objects.exists()
    data = with_rows(changeform_data(response), "experts", {"email": stranger.email.upper(), "title": "教授"})
    assert client.post(url, data).status_code == 302
    expert = ProjectExpert.objects.get()
    assert (expert.user, expert.title) == (stranger, "教授")
    assert last_history(expert).history_user == staff
    assert stranger.email in client.get(url).content.decode()  # the project's own experts are shown


def test_an_expert_with_assignments_is_not_removed(client, review):
    application, staff, expert, _ = review
    services.assignment_create(actor=staff, application=application, expert=expert)
    client.force_login(staff)
    url = reverse("admin:projects_project_change", args=[application.project_id])
    data = changeform_data(client.get(url))
    row = next(k for k, v in data.items() if k.startswith("experts-") and k.endswith("-id"))
    data[row.replace("-id", "-DELETE")] = "on"
    assert_refused(client.post(url, data), "已分配了评审任务，不能移除")
    assert ProjectExpert.objects.filter(user=expert).exists()


def test_staff_add_and_remove_a_provincial_organiser_by_e_mail(client, project):
    staff, account = staff_of(project.alliance), UserFactory()
    client.force_login(staff)
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = with_rows(changeform_data(client.get(url)), "organisers",
                     {"email": account.email, "province": "云南省", "unit_name": "云南省电化教育馆"})
    assert client.post(url, data).status_code == 302
    organiser = ProvincialOrganiser.objects.get(user=account)
    assert last_history(organiser).history_change_reason == "添加省级项目组织单位"
    data = changeform_data(client.get(url))
    data["organisers-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert not ProvincialOrganiser.objects.exists()


# ---- the call's settings and tables -----------------------------------------------------------------------------

def test_the_selection_rules_are_kept_once_an_application_is_submitted(client, project):
    staff = staff_of(project.alliance)
    client.force_login(staff)
    url = reverse("admin:projects_project_change", args=[project.pk])
    county_application(project, organiser_of(project), status="submitted")
    data = changeform_data(client.get(url), counties_max_per_province=5, title="新名称")
    assert_refused(client.post(url, data), "已有申报表提交，遴选规则不能再修改。")
    project.refresh_from_db()
    assert (project.counties_max_per_province, project.title) != (5, "新名称")
    data = changeform_data(client.get(url), title="新名称")
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.title == "新名称"
    assert last_history(project).history_change_reason == "修改项目设置"
    assert last_history(project).history_user == staff


def test_staff_create_a_project_through_the_service(client):
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    client.force_login(staff)
    data = {"alliance": alliance.pk, "title": "新试点项目", "slug": "new-pilot", "starts_on": "2026-09-01",
            "ends_on": "2026-08-01", "deadline_0": "2026-12-31", "deadline_1": "17:00:00",
            "counties_min_per_province": 2, "counties_max_per_province": 3, "county_team_min_per_group": 5,
            "community_team_min": 5, "community_team_max": 10, "notice_min_days": 7, "sanqu_priority": "on",
            "rate_per_class_hour": "100.00"}
    for prefix in ("subjects", "criteria", "organisers", "experts"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data = with_rows(data, "subjects", {"stage": "primary", "subject": "语文", "grade_from": 1, "grade_to": 6,
                                                 "order": 1})
    response = client.post(reverse("admin:projects_project_add"), data)
    assert_refused(response, "项目结束日期不能早于开始日期。")
    assert not Project.objects.exists()
    response = client.post(reverse("admin:projects_project_add"), {**data, "ends_on": "2028-08-31"})
    assert response.status_code == 302
    project = Project.objects.get()
    assert [str(s) for s in project.subjects.all()] == ["小学语文"]
    assert last_history(project).history_change_reason == "新建项目"
    assert project.subjects.get().history.get().history_user == staff


def test_a_subject_filed_against_keeps_its_grades(client, project):
    staff = staff_of(project.alliance)
    community_application(project, organiser_of(project), status="submitted", grade=3)
    client.force_login(staff)
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = changeform_data(client.get(url))
    row = next(k[:-len("-subject")] for k, v in data.items() if k.startswith("subjects-") and v == "语文"
               and k.endswith("-subject"))
    assert data[f"{row}-stage"] == "primary"
    before = subject(project).grade_to
    data[f"{row}-grade_to"] = 3
    assert_refused(client.post(url, data), "已被申报表或结对使用")
    assert subject(project).grade_to == before


# ---- applications, contacts, letters: read only -------------------------------------------------------------------

def test_applications_are_shown_but_not_changed_in_the_admin(client, review):
    application, staff, _, _ = review
    client.force_login(staff)
    url = reverse("admin:projects_application_change", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 200 and application.applicant_unit in response.content.decode()
    assert client.post(url, {"applicant_unit": "改写", "status": "final"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted" and application.applicant_unit != "改写"
    assert client.get(reverse("admin:projects_application_add")).status_code == 403


# ---- 公示, pairings and activities --------------------------------------------------------------------------------

def test_a_notice_is_published_from_the_admin_through_the_service(client, review):
    application, staff, _, _ = review
    client.force_login(staff)
    url = reverse("admin:projects_selectionnotice_add")
    today = timezone.localdate()
    data = {"project": application.project_id, "title": "入选名单公示", "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=6)).isoformat(), "body": "", "contact": ""}
    assert_refused(client.post(url, data), "尚无拟入选的申报，不能发布公示。")
    assert not SelectionNotice.objects.exists()
    services.application_select(actor=staff, application=application, selected=True)
    assert client.post(url, data).status_code == 302
    notice = SelectionNotice.objects.get()
    assert list(notice.applications.all()) == [application] and notice.published_at is not None
    assert client.post(reverse("admin:projects_selectionnotice_change", args=[notice.pk]),
                       {**data, "title": "改写"}).status_code == 403



def test_a_back_dated_notice_is_refused_on_the_admin_form(client, review):
    application, staff, _, _ = review
    services.application_select(actor=staff, application=application, selected=True)
    client.force_login(staff)
    today = timezone.localdate()
    data = {"project": application.project_id, "title": "入选名单公示",
            "starts_on": (today - datetime.timedelta(days=1)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=6)).isoformat(), "body": "", "contact": ""}
    assert_refused(client.post(reverse("admin:projects_selectionnotice_add"), data), "公示开始日期不能早于发布日期")
    assert not SelectionNotice.objects.exists()

@pytest.fixture
def pair(project):
    organiser = organiser_of(project)
    county = county_application(project, organiser, status="final")
    community = community_application(project, organiser, status="final")
    return county, community, staff_of(project.alliance)


def test_a_pairing_is_made_from_the_admin_through_the_service(client, project, pair):
    county, community, staff = pair
    client.force_login(staff)
    url = reverse("admin:projects_pairing_add")
    foreign_subject = subject(ProjectFactory(alliance=project.alliance))
    data = {"community": community.pk, "county": county.pk, "subject": foreign_subject.pk, "grade": 3,
            "starts_on": "", "notes": "首批", "activities-TOTAL_FORMS": 0, "activities-INITIAL_FORMS": 0}
    assert_refused(client.post(url, data), "学科须属于同一项目。")
    assert not Pairing.objects.exists()
    assert client.post(url, {**data, "subject": subject(project).pk}).status_code == 302
    pairing = Pairing.objects.get()
    assert (pairing.project, pairing.notes) == (project, "首批")
    assert last_history(pairing).history_user == staff


def test_an_activity_and_its_teachers_hours_are_recorded_through_the_service(client, project, pair):
    county, community, staff = pair
    pairing = services.pairing_create(actor=staff, community=community, county=county, subject=subject(project),
                                      grade=3)
    outsider = county_application(project, organiser_of(project, "甘肃省"), "甘肃省", status="final").team.first()
    client.force_login(staff)
    url = reverse("admin:projects_activity_add")
    zhao, liu = community.team.all()[:2]
    data = {"pairing": pairing.pk, "kind": "sync", "date": "2026-03-02", "class_hours": "2", "topic": "课题",
            "teaching_points": "", "rural_schools": "", "notes": "",
            "teachers-TOTAL_FORMS": 2, "teachers-INITIAL_FORMS": 0,
            "teachers-0-hours": "2", "teachers-0-member": zhao.pk,
            "teachers-1-hours": "1", "teachers-1-member": outsider.pk}
    response = client.post(url, data)
    assert_refused(response, "不是该名师教研共同体的成员")
    assert 'value="课题"' in response.content.decode()  # what was typed is kept
    assert not Activity.objects.exists()
    data.update({"teachers-1-member": liu.pk})
    assert client.post(url, data).status_code == 302
    activity = Activity.objects.get()
    assert {(t.name, t.hours) for t in activity.teachers.all()} == {(zhao.name, Decimal("2")), (liu.name, Decimal("1"))}
    assert last_history(activity).history_change_reason == "记录活动"
    assert client.post(reverse("admin:projects_activity_change", args=[activity.pk]),
                       {**data, "class_hours": "9"}).status_code == 403


def test_staff_confirm_an_activitys_hours_with_the_admin_action(client, project, pair):
    county, community, staff = pair
    pairing = services.pairing_create(actor=staff, community=community, county=county, subject=subject(project),
                                      grade=3)
    activity = services.activity_record(actor=staff, pairing=pairing, kind="sync", date=datetime.date(2026, 3, 2),
                                        class_hours=Decimal("2"), teachers=[(community.team.first(), Decimal("2"))])
    client.force_login(staff)
    response = client.post(reverse("admin:projects_activity_changelist"),
                           {"action": "confirm_hours", "_selected_action": [activity.pk]}, follow=True)
    assert f"已确认 1 条课时记录：{activity}。" in response.content.decode()
    row = activity.teachers.get()
    assert row.confirmed_by == staff and row.confirmed_at is not None
    assert last_history(row).history_change_reason == "确认课时"


def test_the_read_only_records_refuse_a_post(client, pair):
    county, community, staff = pair
    client.force_login(staff)
    from projects.models import AppointmentLetter

    letter = AppointmentLetter.objects.create(application=community, number="NCET-2026-001",
                                              issued_on=datetime.date(2026, 1, 1))
    response = client.post(reverse("admin:projects_appointmentletter_change", args=[letter.pk]), {"number": "X"})
    assert response.status_code == 403
    assert client.post(reverse("admin:projects_appointmentletter_delete", args=[letter.pk]),
                       {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=community.pk, status="final").exists()
