"""Reads for finance: the yearly accounts of an alliance."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from .models import Expense, ExpenseCategory, Income, IncomeSource

ZERO = Decimal("0.00")


@dataclass
class YearAccounts:
    alliance: object
    year: int
    income_by_source: list = field(default_factory=list)  # [(label, amount)]
    expenses_by_category: list = field(default_factory=list)
    income_total: Decimal = ZERO
    expense_total: Decimal = ZERO

    @property
    def balance(self):
        return self.income_total - self.expense_total


def _sums(queryset, group_field, choices):
    totals = dict(queryset.values_list(group_field).annotate(total=Sum("amount")).order_by())
    return [(label, totals.get(value, ZERO)) for value, label in choices.choices]


def accounts_for_year(*, alliance, year):
    """Income by source and expenses by category for one alliance and calendar year (one query each)."""
    incomes = _sums(Income.objects.filter(alliance=alliance, received_on__year=year), "source", IncomeSource)
    expenses = _sums(Expense.objects.filter(alliance=alliance, paid_on__year=year), "category", ExpenseCategory)
    return YearAccounts(
        alliance=alliance,
        year=year,
        income_by_source=incomes,
        expenses_by_category=expenses,
        income_total=sum((amount for _, amount in incomes), ZERO),
        expense_total=sum((amount for _, amount in expenses), ZERO),
    )
