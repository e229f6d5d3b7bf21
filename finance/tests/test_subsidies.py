"""Per-class-hour subsidies (004 二（二）): the projects app records hours, finance makes them expenses."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from alliance.tests.factories import staff_of
from finance import services
from finance.models import Expense
from projects import services as project_services
from projects.models import Application
from projects.tests.factories import ProjectFactory, community_application, county_application, organiser_of, subject

pytestmark = pytest.mark.django_db
MARCH, APRIL = datetime.date(2026, 3, 1), datetime.date(2026, 4, 30)


@pytest.fixture
def project_with_hours():
    project = ProjectFactory(rate_per_class_hour=Decimal("120.50"))
    staff = staff_of(project.alliance)
    organiser = organiser_of(project)
    county = county_application(project, organiser, status="submitted")
    community = community_application(project, organiser, status="submitted")
    Application.objects.filter(pk__in=[county.pk, community.pk]).update(status="final")
    county.refresh_from_db()
    community.refresh_from_db()
    pairing = project_services.pairing_create(actor=staff, community=community, county=county,
                                              subject=subject(project), grade=3)
    leader = community.team.first()
    for day, hours in [(datetime.date(2026, 3, 2), "2"), (datetime.date(2026, 3, 9), "1.5"),
                       (datetime.date(2026, 4, 1), "1")]:
        project_services.activity_record(actor=staff, pairing=pairing, kind="remote_class", date=day,
                                         class_hours=Decimal(hours), teaching_points="色仲教学点",
                                         teachers=[(leader.name, Decimal(hours), leader)])
    return project, staff, leader


def test_class_hours_become_subsidy_expenses_at_the_projects_rate(project_with_hours):
    project, staff, leader = project_with_hours
    created = services.subsidies_record(actor=staff, project=project, start=MARCH, end=APRIL,
                                        paid_on=datetime.date(2026, 5, 10))
    assert [(e.payee, e.amount, e.category) for e in created] == [
        (leader.name, Decimal("421.75"), "subsidies"),  # 3.5 课时 × 120.50 元
        (leader.name, Decimal("120.50"), "subsidies"),
    ]
    assert "3.5 课时 × 120.50 元" in created[0].purpose


def test_recording_subsidies_twice_pays_each_teacher_month_once(project_with_hours):
    project, staff, _ = project_with_hours
    services.subsidies_record(actor=staff, project=project, start=MARCH, end=APRIL, paid_on=datetime.date(2026, 5, 10))
    again = services.subsidies_record(actor=staff, project=project, start=MARCH, end=APRIL,
                                      paid_on=datetime.date(2026, 5, 11))
    assert again == [] and Expense.objects.count() == 2


def test_subsidies_need_a_rate_on_the_project(project_with_hours):
    project, staff, _ = project_with_hours
    project.rate_per_class_hour = Decimal("0")
    with pytest.raises(ValidationError):
        services.subsidies_record(actor=staff, project=project, start=MARCH, end=APRIL,
                                  paid_on=datetime.date(2026, 5, 10))


def test_another_alliances_staff_cannot_record_a_projects_subsidies(project_with_hours):
    from django.core.exceptions import PermissionDenied

    from alliance.tests.factories import AllianceFactory

    project, _, _ = project_with_hours
    with pytest.raises(PermissionDenied):
        services.subsidies_record(actor=staff_of(AllianceFactory()), project=project, start=MARCH, end=APRIL,
                                  paid_on=datetime.date(2026, 5, 10))


def test_staff_generate_subsidies_from_the_admin(client, project_with_hours):
    from django.urls import reverse

    project, staff, _ = project_with_hours
    client.force_login(staff)
    url = reverse("admin:finance_expense_subsidies")
    assert list(client.get(url).context["form"].fields["project"].queryset) == [project]
    response = client.post(url, {"project": project.pk, "start": "2026-03-01", "end": "2026-04-30",
                                 "paid_on": "2026-05-10"})
    assert response.status_code == 302
    assert Expense.objects.filter(category="subsidies").count() == 2
