import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from alliance.tests.factories import AllianceFactory, staff_of
from finance import services
from finance.models import Expense, ExpenseCategory, Income
from finance.selectors import accounts_for_year

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 5, 1)


@pytest.fixture
def alliance():
    alliance = AllianceFactory()
    alliance.rules.dues_apply = True
    alliance.rules.save()
    return alliance


def expense(actor, alliance, category="activities", amount="100.00"):
    return services.expense_record(actor=actor, alliance=alliance, category=category, amount=Decimal(amount),
                                   paid_on=DAY, payee="某会议中心", purpose="年会场地")


def test_no_expense_category_shares_funds_out_to_members():
    assert not any("分配" in label or "member" in value for value, label in ExpenseCategory.choices)


def test_an_expense_sharing_funds_out_to_members_is_refused(alliance):
    with pytest.raises(ValidationError) as exc:
        expense(staff_of(alliance), alliance, category="member_distribution")
    assert "不得在成员中分配" in str(exc.value)
    assert not Expense.objects.exists()


def test_the_database_refuses_an_unknown_expense_category_too(alliance):
    staff = staff_of(alliance)
    record = expense(staff, alliance)
    with pytest.raises(IntegrityError):
        Expense.objects.filter(pk=record.pk).update(category="member_distribution")


def test_amounts_must_be_positive(alliance):
    with pytest.raises(ValidationError):
        expense(staff_of(alliance), alliance, amount="0")


def test_staff_of_another_alliance_cannot_record_income(alliance):
    other_staff = staff_of(AllianceFactory())
    with pytest.raises(PermissionDenied):
        services.income_record(actor=other_staff, alliance=alliance, source="donation", amount=Decimal("10"),
                               received_on=DAY, payer="某基金会", purpose="捐赠")
    assert not Income.objects.exists()


def test_recording_income_keeps_the_actor_in_history(alliance):
    staff = staff_of(alliance)
    income = services.income_record(actor=staff, alliance=alliance, source="cost_contribution",
                                    amount=Decimal("500000"), received_on=DAY, payer="北京师范大学",
                                    purpose="公共服务平台一期建设和运营经费")
    assert income.history.latest().history_user == staff


def test_dues_schedule_is_refused_where_the_charter_has_no_dues():
    alliance = AllianceFactory()  # dues_apply is off by default
    with pytest.raises(ValidationError) as exc:
        services.dues_schedule_set(actor=staff_of(alliance), alliance=alliance, member_kind="unit", year=2026,
                                   amount=Decimal("2000"), due_date=datetime.date(2026, 3, 31))
    assert "未规定收取会费" in str(exc.value)


def test_setting_a_dues_schedule_twice_updates_it(alliance):
    staff = staff_of(alliance)
    for amount in ("2000", "2500"):
        schedule = services.dues_schedule_set(actor=staff, alliance=alliance, member_kind="unit", year=2026,
                                              amount=Decimal(amount), due_date=datetime.date(2026, 3, 31))
    assert schedule.amount == Decimal("2500.00")
    assert alliance.dues_schedules.count() == 1


def test_year_accounts_sum_income_by_source_and_expenses_by_category(alliance, django_assert_num_queries):
    staff = staff_of(alliance)
    for payer in ("北京师范大学", "华东师范大学"):
        services.income_record(actor=staff, alliance=alliance, source="cost_contribution", amount=Decimal("1000.50"),
                               received_on=DAY, payer=payer, purpose="建设和运营经费")
    services.income_record(actor=staff, alliance=alliance, source="donation", amount=Decimal("200"),
                           received_on=datetime.date(2025, 12, 31), payer="去年", purpose="不计入")
    expense(staff, alliance, amount="300.25")
    with django_assert_num_queries(4):  # dues paid, other income, expenses, dues totals
        accounts = accounts_for_year(alliance=alliance, year=2026)
    assert dict(accounts.income_by_source)["成员分担经费"] == Decimal("2001.00")
    assert dict(accounts.income_by_source)["会费"] == Decimal("0.00")
    assert dict(accounts.income_by_source)["捐赠"] == Decimal("0.00")
    assert accounts.expense_total == Decimal("300.25")
    assert accounts.balance == Decimal("1700.75")
