"""Who hears of review and selection: the expert on an assignment; the organisers of the province and those who
filed, on the 公示, the final list and the 聘书."""

import datetime

import pytest

from alliance.models import Email
from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from alliance.tests.notices import delivered, recipients
from projects import services
from projects.models import AppointmentLetter

from .factories import ProjectFactory, community_application, county_application, expert_of, organiser_of

pytestmark = pytest.mark.django_db

NOV_20 = datetime.date(2026, 11, 20)
LEADER = "zhao@example.cn"  # the community's leader on its form


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def staff(project):
    return staff_of(project.alliance)


def test_the_expert_hears_of_an_assignment_once_and_the_other_experts_never(project, staff):
    expert, other = expert_of(project), expert_of(project)
    application = county_application(project, organiser_of(project), status="submitted")
    services.assignment_create(actor=staff, application=application, expert=expert)
    services.assignment_create(actor=staff, application=application, expert=expert)  # already assigned
    assert recipients("请评审申报表") == [expert.email]
    assignment = application.assignments.get()
    services.assignment_change(actor=staff, assignment=assignment, expert=other)
    assert recipients("请评审申报表") == sorted([expert.email, other.email])
    assert "/projects/review/" in Email.objects.get(to=other.email).body


def test_the_notice_the_final_list_and_the_letter_reach_the_provinces_organisers_and_the_filers(project, staff):
    organiser, colleague = organiser_of(project), organiser_of(project)  # two organisers of 云南省
    elsewhere = organiser_of(project, province="贵州省")
    filer = UserFactory()
    outsider = staff_of(AllianceFactory())
    county = county_application(project, organiser, status="submitted", county="泸水市")
    community = community_application(project, filer, status="submitted")
    not_selected = county_application(project, elsewhere, province="贵州省", status="submitted")
    for application in (county, community):
        services.application_select(actor=staff, application=application, selected=True)
    services.application_select(actor=staff, application=not_selected, selected=False)
    notice = services.notice_publish(actor=staff, project=project, title="入选名单公示", starts_on=NOV_20,
                                     ends_on=NOV_20 + datetime.timedelta(days=6), today=NOV_20)
    people = sorted([organiser.email, colleague.email, filer.email, LEADER])
    assert recipients("公示：入选名单公示") == people
    assert f"/projects/notices/{notice.pk}/" in Email.objects.filter(subject__contains="公示：").first().body
    services.notice_finalise(actor=staff, notice=notice, today=NOV_20 + datetime.timedelta(days=7))
    assert recipients("最终入选名单已确认") == people
    assert "泸水市" in Email.objects.filter(subject__contains="最终入选名单").first().body
    letter = AppointmentLetter.objects.get(application=community)
    assert services.letter_store(letter_id=letter.pk) is True
    assert services.letter_store(letter_id=letter.pk) is False  # a second render announces nothing
    assert recipients("聘书已生成") == sorted([organiser.email, colleague.email, filer.email, LEADER])
    assert f"/projects/letters/{letter.pk}.pdf" in Email.objects.filter(subject__contains="聘书已生成").first().body
    assert not Email.objects.filter(to__in=[elsewhere.email, staff.email, outsider.email]).exists()
    messages = delivered()
    assert all(project.alliance.name in m.from_email and m.alternatives for m in messages)
