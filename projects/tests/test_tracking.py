"""Pairings (004 一), activities entered by a community's leader or the county's organiser, staff confirmation."""


import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliance.tests.factories import UserFactory, staff_of
from projects import services
from projects.models import Activity

from .factories import ProjectFactory, community_application, county_application, organiser_of, subject
from .test_flow import assert_flat

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def finals(project):
    organiser = organiser_of(project)
    return (staff_of(project.alliance), organiser_of(project, province="甘肃省"),
            county_application(project, organiser, status="final"),
            community_application(project, organiser, status="final", grade=3))


def test_pairing_a_community_as_another_subject_is_refused_with_the_reason(project, finals):
    staff, _, county, community = finals
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=staff, community=community, county=county,
                                subject=subject(project, name="数学"), grade=4)
    assert exc.value.message_dict["subject"] == ["该名师教研共同体遴选的是小学语文三年级，不能按小学数学四年级结对。"]


def test_pairing_a_community_as_another_grade_is_refused_with_the_reason(project, finals):
    staff, _, county, community = finals
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=staff, community=community, county=county, subject=subject(project), grade=4)
    assert exc.value.message_dict["grade"] == ["该名师教研共同体遴选的是小学语文三年级，不能按小学语文四年级结对。"]


def test_pairing_with_a_county_without_that_subjects_community_is_refused(project, finals):
    staff, _, county, _ = finals
    maths = community_application(project, county.created_by, status="final", subject=subject(project, name="数学"))
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=staff, community=maths, county=county, subject=subject(project, name="数学"),
                                grade=3)
    assert "没有小学数学县域教研共同体" in exc.value.message_dict["county"][0]


def test_pairing_of_the_same_stage_subject_and_grade_is_accepted_with_its_leaders_account(project, finals):
    staff, _, county, community = finals
    leader = UserFactory()
    pairing = services.pairing_create(actor=staff, community=community, county=county, subject=subject(project),
                                      grade=3, leader_email=leader.email.upper())
    assert (pairing.project, pairing.leader) == (project, leader)


def test_pairing_with_a_leader_email_nobody_registered_is_refused(project, finals):
    staff, _, county, community = finals
    with pytest.raises(ValidationError) as exc:
        services.pairing_create(actor=staff, community=community, county=county, subject=subject(project),
                                grade=3, leader_email="nobody@example.cn")
    assert "leader" in exc.value.message_dict


# ---- activities: recorded by the leader or the county's organiser, confirmed by staff ------------------------

@pytest.fixture
def pairing(project, finals):
    staff, _, county, community = finals
    return services.pairing_create(actor=staff, community=community, county=county, subject=subject(project),
                                   grade=3, leader_email=UserFactory().email)


def activity_post(pairing, *hours):
    """The form posted with ``hours`` for the community's first members, in order."""
    data = {"kind": "sync", "date": "2026-03-02", "class_hours": "2", "topic": "第六单元同步教研",
            "teaching_points": "色仲教学点", "rural_schools": "", "notes": ""}
    return data | {f"hours_{member.pk}": h for member, h in zip(pairing.community.team.all()[:len(hours)], hours, strict=True)}


def test_the_communitys_leader_records_an_activity_with_teachers_hours_on_the_site(client, pairing):
    client.force_login(pairing.leader)
    url = reverse("projects:pairing_activities", args=[pairing.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, activity_post(pairing, "2", "1.5"))
    assert response.status_code == 302
    activity = Activity.objects.get()
    zhao, liu = pairing.community.team.all()[:2]
    assert {(row.member, row.hours, row.confirmed_at) for row in activity.teachers.all()} == {
        (zhao, Decimal("2.0"), None), (liu, Decimal("1.5"), None)}
    assert activity.history.first().history_user == pairing.leader


def test_the_county_provinces_organiser_records_an_activity(client, pairing):
    client.force_login(pairing.county.created_by)
    response = client.post(reverse("projects:pairing_activities", args=[pairing.pk]),
                           activity_post(pairing, "1"))
    assert response.status_code == 302 and Activity.objects.count() == 1


def test_an_activity_without_teachers_hours_is_refused_on_the_form(client, pairing):
    client.force_login(pairing.leader)
    response = client.post(reverse("projects:pairing_activities", args=[pairing.pk]), activity_post(pairing))
    assert response.status_code == 200 and "请填写参与教师及其课时" in response.content.decode()
    assert not Activity.objects.exists()


def test_another_provinces_organiser_cannot_record_an_activity(client, pairing, finals):
    _, other_organiser, _, _ = finals
    client.force_login(other_organiser)
    url = reverse("projects:pairing_activities", args=[pairing.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, activity_post(pairing, "1")).status_code == 403
    assert not Activity.objects.exists()


def test_another_communitys_leader_cannot_record_an_activity(client, project, pairing):
    staff = staff_of(project.alliance)
    other = community_application(project, pairing.county.created_by, status="final", leader_name="钱老师")
    services.pairing_create(actor=staff, community=other, county=pairing.county, subject=subject(project), grade=3,
                            leader_email=UserFactory().email)
    client.force_login(other.pairings_as_community.get().leader)
    assert client.post(reverse("projects:pairing_activities", args=[pairing.pk]),
                       activity_post(pairing, "1")).status_code == 403
    assert not Activity.objects.filter(pairing=pairing).exists()


def test_an_anonymous_visitor_is_sent_to_log_in_and_records_nothing(client, pairing):
    response = client.post(reverse("projects:pairing_activities", args=[pairing.pk]),
                           activity_post(pairing, "1"))
    assert response.status_code == 302 and "login" in response.url
    assert not Activity.objects.exists()


def test_hours_of_someone_outside_the_community_are_refused(project, pairing):
    county_teacher = pairing.county.team.first()
    with pytest.raises(ValidationError, match="不是该名师教研共同体的成员"):
        services.activity_record(actor=pairing.leader, pairing=pairing, kind="sync", date=datetime.date(2026, 3, 2),
                                 class_hours=Decimal("1"), teachers=[(county_teacher, Decimal("1"))])


def record(pairing):
    return services.activity_record(actor=pairing.leader, pairing=pairing, kind="sync",
                                    date=datetime.date(2026, 3, 2), class_hours=Decimal("1"),
                                    teachers=[(pairing.community.team.first(), Decimal("1"))])


def test_staff_confirm_an_activitys_hours_on_the_dashboard(client, project, pairing):
    activity = record(pairing)
    staff = staff_of(project.alliance)
    client.force_login(staff)
    dashboard = reverse("projects:dashboard", args=[project.pk])
    assert list(client.get(dashboard).context["unconfirmed"]) == [activity]
    response = client.post(reverse("projects:activity_confirm", args=[activity.pk]))
    assert response.status_code == 302
    row = activity.teachers.get()
    assert (row.confirmed_by, row.confirmed_at is not None) == (staff, True)
    assert list(client.get(dashboard).context["unconfirmed"]) == []


def test_the_leader_cannot_confirm_their_own_hours(client, pairing):
    activity = record(pairing)
    with pytest.raises(PermissionDenied):
        services.activity_confirm(actor=pairing.leader, activity=activity)
    client.force_login(pairing.leader)
    assert client.post(reverse("projects:activity_confirm", args=[activity.pk])).status_code == 403
    assert activity.teachers.get().confirmed_at is None


def test_the_pairings_activity_page_query_count_does_not_grow(client, pairing, django_assert_num_queries):
    client.force_login(pairing.leader)
    assert_flat(client, reverse("projects:pairing_activities", args=[pairing.pk]),
                lambda n: [record(pairing) for _ in range(n)], django_assert_num_queries)
