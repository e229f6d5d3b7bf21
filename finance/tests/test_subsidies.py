"""Per-class-hour subsidies (004 二（二）按课时支付劳务补贴): every confirmed hour is paid once, whatever the runs."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, staff_of
from finance import services
from finance.models import Expense, SubsidyHours, SubsidyPayment
from projects import services as project_services
from projects.tests.factories import ProjectFactory, community_application, county_application, organiser_of, subject

pytestmark = pytest.mark.django_db
D = datetime.date


def record(pairing, actor, day, teachers, *, confirm=True):
    activity = project_services.activity_record(
        actor=actor, pairing=pairing, kind="remote_class", date=day, class_hours=Decimal("1"),
        teachers=[(member, Decimal(hours)) for member, hours in teachers])
    if confirm:
        project_services.activity_confirm(actor=actor, activity=activity)
    return activity


def paid(teacher):
    return sum((p.expense.amount for p in SubsidyPayment.objects.filter(member=teacher)), Decimal("0.00"))


@pytest.fixture
def pairing():
    project = ProjectFactory(rate_per_class_hour=Decimal("150.00"))
    staff = staff_of(project.alliance)
    organiser = organiser_of(project)
    county = county_application(project, organiser, status="final")
    community = community_application(project, organiser, status="final")
    return project_services.pairing_create(actor=staff, community=community, county=county,
                                           subject=subject(project), grade=3), staff


def test_three_hours_in_a_month_are_paid_450_across_two_runs_on_odd_dates(pairing):
    pairing, staff = pairing
    teacher = pairing.community.team.first()
    for day in (D(2026, 3, 3), D(2026, 3, 17), D(2026, 3, 28)):
        record(pairing, staff, day, [(teacher, "1")])
    first = services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 20), paid_on=D(2026, 3, 21))
    second = services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 4, 7), paid_on=D(2026, 4, 9))
    assert [p.expense.amount for p in first + second] == [Decimal("300.00"), Decimal("150.00")]
    assert paid(teacher) == Decimal("450.00")
    assert first[0].expense.category == "subsidies" and "2.0 课时 × 150.00 元" in first[0].expense.purpose


def test_hours_recorded_after_a_run_are_paid_by_the_next_run(pairing):
    pairing, staff = pairing
    teacher = pairing.community.team.first()
    record(pairing, staff, D(2026, 3, 3), [(teacher, "2")])
    services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 20), paid_on=D(2026, 3, 21))
    late = record(pairing, staff, D(2026, 3, 5), [(teacher, "1.5")])
    (payment,) = services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 4, 7),
                                        paid_on=D(2026, 4, 9))
    assert payment.expense.amount == Decimal("225.00")
    assert [h.class_hours.activity for h in payment.covered.all()] == [late]


def test_a_run_pays_each_teacher_their_own_hours_and_records_which_it_covers(pairing):
    pairing, staff = pairing
    zhao, liu = pairing.community.team.all()[:2]
    record(pairing, staff, D(2026, 3, 3), [(zhao, "2"), (liu, "1")])
    record(pairing, staff, D(2026, 3, 10), [(liu, "0.5")])
    payments = services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 31),
                                      paid_on=D(2026, 4, 1))
    assert {(p.name, p.hours, p.expense.amount, p.expense.payee) for p in payments} == {
        (zhao.name, Decimal("2.0"), Decimal("300.00"), zhao.name),
        (liu.name, Decimal("1.5"), Decimal("225.00"), liu.name),
    }
    assert SubsidyHours.objects.filter(payment__member=liu).count() == 2


def test_a_second_run_pays_nothing(pairing):
    pairing, staff = pairing
    record(pairing, staff, D(2026, 3, 3), [(pairing.community.team.first(), "2")])
    services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 31), paid_on=D(2026, 4, 1))
    again = services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 5, 31),
                                   paid_on=D(2026, 6, 1))
    assert again == [] and Expense.objects.count() == 1


def test_unconfirmed_hours_are_not_paid_until_staff_confirm_them(pairing):
    pairing, staff = pairing
    teacher = pairing.community.team.first()
    activity = record(pairing, staff, D(2026, 3, 3), [(teacher, "2")], confirm=False)
    assert services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 31),
                                  paid_on=D(2026, 4, 1)) == []
    project_services.activity_confirm(actor=staff, activity=activity)
    (payment,) = services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 31),
                                        paid_on=D(2026, 4, 2))
    assert payment.expense.amount == Decimal("300.00")


def test_hours_dated_after_the_run_wait_for_a_later_run(pairing):
    pairing, staff = pairing
    record(pairing, staff, D(2026, 4, 2), [(pairing.community.team.first(), "2")])
    assert services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 31),
                                  paid_on=D(2026, 4, 3)) == []


def test_a_run_paying_hours_dated_after_its_payment_is_refused(pairing):
    pairing, staff = pairing
    with pytest.raises(ValidationError) as exc:
        services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 4, 30), paid_on=D(2026, 4, 1))
    assert "up_to" in exc.value.message_dict


def test_subsidies_need_a_rate_on_the_project(pairing):
    pairing, staff = pairing
    pairing.project.rate_per_class_hour = Decimal("0")
    with pytest.raises(ValidationError):
        services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 31), paid_on=D(2026, 4, 1))


def test_another_alliances_staff_cannot_pay_a_projects_subsidies(pairing):
    pairing, _ = pairing
    with pytest.raises(PermissionDenied):
        services.subsidies_pay(actor=staff_of(AllianceFactory()), project=pairing.project, up_to=D(2026, 3, 31),
                               paid_on=D(2026, 4, 1))


def test_staff_pay_subsidies_from_the_admin(client, pairing):
    pairing, staff = pairing
    record(pairing, staff, D(2026, 3, 3), [(pairing.community.team.first(), "2")])
    client.force_login(staff)
    url = reverse("admin:finance_expense_subsidies")
    assert list(client.get(url).context["form"].fields["project"].queryset) == [pairing.project]
    response = client.post(url, {"project": pairing.project.pk, "up_to": "2026-03-31", "paid_on": "2026-04-01"})
    assert response.status_code == 302
    assert Expense.objects.get(category="subsidies").amount == Decimal("300.00")


def test_a_subsidy_expense_shows_the_hours_it_paid_in_the_admin(client, pairing):
    pairing, staff = pairing
    teacher = pairing.community.team.first()
    record(pairing, staff, D(2026, 3, 3), [(teacher, "2")])
    record(pairing, staff, D(2026, 3, 17), [(teacher, "1")])
    (payment,) = services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 20),
                                        paid_on=D(2026, 3, 21))
    assert "（截至2026年3月20日）3.0 课时 × 150.00 元" in payment.expense.purpose
    client.force_login(staff)
    page = client.get(reverse("admin:finance_expense_change", args=[payment.expense.pk])).content.decode()
    assert "2026年3月3日 2.0 课时；2026年3月17日 1.0 课时" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_runs_at_once_pay_each_hour_once(pairing):
    pairing, staff = pairing
    zhao, liu = pairing.community.team.all()[:2]
    for day in (D(2026, 3, 3), D(2026, 3, 17)):
        record(pairing, staff, day, [(zhao, "1"), (liu, "2")])
    barrier = threading.Barrier(2)
    errors = []

    def run(paid_on):
        try:
            barrier.wait()
            services.subsidies_pay(actor=staff, project=pairing.project, up_to=D(2026, 3, 31), paid_on=paid_on)
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(D(2026, 4, day),)) for day in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert (paid(zhao), paid(liu)) == (Decimal("300.00"), Decimal("600.00"))
    assert SubsidyHours.objects.count() == 4
