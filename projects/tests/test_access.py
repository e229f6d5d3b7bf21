"""Who sees what: the organiser's province, the project's alliance staff, the assigned expert; denied cases first."""

import pytest
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from projects import selectors, services
from projects.models import Application, Assignment

from .factories import ProjectFactory, community_application, county_application, expert_of, organiser_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    project = ProjectFactory()
    yunnan = organiser_of(project, "云南省")
    gansu = organiser_of(project, "甘肃省")
    yn_app = county_application(project, yunnan, "云南省", county="泸水市")
    gs_app = county_application(project, gansu, "甘肃省", county="东乡族自治县")
    return project, yunnan, gansu, yn_app, gs_app


APPLICATION_URLS = ["projects:application_detail", "projects:application_edit", "projects:application_pdf",
                    "projects:application_scan"]


def url_of(url_name, application):
    scan = ["opinion_scan"] if url_name == "projects:application_scan" else []
    return reverse(url_name, args=[application.pk, *scan])


@pytest.mark.parametrize("url_name", APPLICATION_URLS)
def test_an_organiser_cannot_open_another_provinces_application(client, setup, url_name):
    _, yunnan, _, _, gs_app = setup
    client.force_login(yunnan)
    assert client.get(url_of(url_name, gs_app)).status_code == 403


def test_an_organiser_cannot_change_another_provinces_application(client, setup):
    _, yunnan, _, _, gs_app = setup
    client.force_login(yunnan)
    response = client.post(reverse("projects:application_edit", args=[gs_app.pk]), {"applicant_unit": "篡改"})
    assert response.status_code == 403
    gs_app.refresh_from_db()
    assert gs_app.applicant_unit != "篡改"


def test_an_organiser_lists_only_their_provinces_applications(client, setup):
    project, yunnan, _, yn_app, gs_app = setup
    assert list(selectors.application_list_for_user(user=yunnan, project=project)) == [yn_app]
    client.force_login(yunnan)
    body = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "泸水市" in body and "东乡族自治县" not in body


@pytest.mark.parametrize("url_name", APPLICATION_URLS[:1] + APPLICATION_URLS[2:])
def test_an_organiser_opens_their_own_application(client, setup, url_name):
    _, yunnan, _, yn_app, _ = setup
    client.force_login(yunnan)
    assert client.get(url_of(url_name, yn_app)).status_code == 200


def test_the_organiser_of_another_project_sees_nothing(client, setup):
    project, _, _, yn_app, _ = setup
    stranger = organiser_of(ProjectFactory(), "云南省")
    client.force_login(stranger)
    assert client.get(reverse("projects:application_detail", args=[yn_app.pk])).status_code == 403
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 403


@pytest.mark.parametrize("url_name", APPLICATION_URLS[:1] + APPLICATION_URLS[2:])
def test_another_alliances_staff_cannot_see_the_applications(client, setup, url_name):
    project, _, _, yn_app, _ = setup
    client.force_login(staff_of(AllianceFactory()))
    assert client.get(url_of(url_name, yn_app)).status_code == 403
    assert client.get(reverse("projects:selection", args=[project.pk])).status_code == 403


def test_another_alliances_staff_see_no_applications_in_the_admin(client, setup):
    client.force_login(staff_of(AllianceFactory()))
    response = client.get(reverse("admin:projects_application_changelist"))
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert len(response.context["cl"].result_list) == 0
    _, _, _, yn_app, _ = setup
    assert client.get(reverse("admin:projects_application_change", args=[yn_app.pk])).status_code == 302


def test_the_projects_staff_see_every_province(client, setup):
    project, _, _, yn_app, gs_app = setup
    staff = staff_of(project.alliance)
    assert set(selectors.application_list_for_user(user=staff, project=project)) == {yn_app, gs_app}
    client.force_login(staff)
    assert client.get(reverse("projects:application_detail", args=[gs_app.pk])).status_code == 200
    response = client.get(reverse("admin:projects_application_changelist"))
    assert {a.pk for a in response.context["cl"].result_list} == {yn_app.pk, gs_app.pk}


def test_staff_cannot_edit_an_organisers_draft_on_the_site(client, setup):
    project, _, _, yn_app, _ = setup
    client.force_login(staff_of(project.alliance))
    assert client.get(reverse("projects:application_edit", args=[yn_app.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, setup):
    _, _, _, yn_app, _ = setup
    response = client.get(reverse("projects:application_scan", args=[yn_app.pk, "opinion_scan"]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_expert_sees_only_their_assignments(client, setup):
    project, _, _, yn_app, gs_app = setup
    for app in (yn_app, gs_app):
        app.status, app.submitted_at = "submitted", app.created_at
        app.save()
    staff = staff_of(project.alliance)
    mine, other_expert = expert_of(project), expert_of(project)
    assignment = services.assignment_create(actor=staff, application=yn_app, expert=mine)
    theirs = services.assignment_create(actor=staff, application=gs_app, expert=other_expert)

    assert list(selectors.assignment_list_for_expert(user=mine)) == [assignment]
    client.force_login(mine)
    body = client.get(reverse("projects:review_list")).content.decode()
    assert "泸水市" in body and "东乡族自治县" not in body
    assert client.get(reverse("projects:review_score", args=[assignment.pk])).status_code == 200
    assert client.get(reverse("projects:review_score", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("projects:application_detail", args=[yn_app.pk])).status_code == 200
    assert client.get(reverse("projects:application_detail", args=[gs_app.pk])).status_code == 403
    response = client.post(reverse("projects:review_score", args=[theirs.pk]), {})
    assert response.status_code == 403


def test_an_expert_scores_within_each_criterions_maximum(client, setup):
    project, _, _, yn_app, _ = setup
    yn_app.status, yn_app.submitted_at = "submitted", yn_app.created_at
    yn_app.save()
    expert = expert_of(project)
    assignment = services.assignment_create(actor=staff_of(project.alliance), application=yn_app, expert=expert)
    c1, c2 = project.criteria.filter(kind="county")
    client.force_login(expert)
    url = reverse("projects:review_score", args=[assignment.pk])
    response = client.post(url, {f"c{c1.pk}": 61, f"c{c2.pk}": 30})
    assert response.status_code == 200
    assert "60" in str(response.context["form"].errors[f"c{c1.pk}"])
    response = client.post(url, {f"c{c1.pk}": 55, f"c{c2.pk}": 30, "comment": "条件较好"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.scored_at and {s.value for s in assignment.scores.all()} == {55, 30}


def test_only_a_project_expert_can_be_assigned(setup):
    from django.core.exceptions import ValidationError

    project, _, _, yn_app, _ = setup
    yn_app.status, yn_app.submitted_at = "submitted", yn_app.created_at
    yn_app.save()
    with pytest.raises(ValidationError, match="不是本项目的评审专家"):
        services.assignment_create(actor=staff_of(project.alliance), application=yn_app, expert=UserFactory())
    assert not Assignment.objects.exists()


def test_another_alliances_staff_cannot_assign(setup):
    from django.core.exceptions import PermissionDenied

    project, _, _, yn_app, _ = setup
    with pytest.raises(PermissionDenied):
        services.assignment_create(actor=staff_of(AllianceFactory()), application=yn_app, expert=expert_of(project))


def test_award_evidence_is_served_only_to_those_who_may_see_the_application(client, setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects.models import Award

    from .factories import png_bytes

    project, yunnan, gansu, _, _ = setup
    app = community_application(project, yunnan)
    award = Award.objects.create(application=app, title="省级优秀教研团队")
    award.evidence.save("a.png", SimpleUploadedFile("a.png", png_bytes()))
    url = reverse("projects:award_evidence", args=[award.pk])
    client.force_login(gansu)
    assert client.get(url).status_code == 403
    client.force_login(yunnan)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert Application.objects.get(pk=app.pk).kind == "community"
