"""Writes on finance records. Every service records the acting staff member in history."""

from django.core.exceptions import ValidationError
from django.db import transaction

from alliance.permissions import require_manage_alliance
from alliance.services import with_history

from .models import DuesSchedule, Expense, ExpenseCategory, Income
from .money import to_yuan


@transaction.atomic
def dues_schedule_set(*, actor, alliance, member_kind, year, amount, due_date):
    require_manage_alliance(actor, alliance)
    schedule = DuesSchedule.objects.filter(alliance=alliance, member_kind=member_kind, year=year).first()
    schedule = schedule or DuesSchedule(alliance=alliance, member_kind=member_kind, year=year)
    schedule.amount, schedule.due_date = to_yuan(amount), due_date
    schedule.full_clean()
    with_history(schedule, actor=actor, reason="设置会费标准").save()
    return schedule


@transaction.atomic
def income_record(*, actor, alliance, source, amount, received_on, payer, purpose, reference=""):
    require_manage_alliance(actor, alliance)
    income = Income(alliance=alliance, source=source, amount=to_yuan(amount), received_on=received_on, payer=payer,
                    purpose=purpose, reference=reference, recorded_by=actor)
    income.full_clean()
    with_history(income, actor=actor, reason="登记收入").save()
    return income


@transaction.atomic
def expense_record(*, actor, alliance, category, amount, paid_on, payee, purpose, reference=""):
    """Record an expense. A category outside ExpenseCategory (such as a share-out to members) is refused."""
    require_manage_alliance(actor, alliance)
    if category not in ExpenseCategory.values:
        # 000 art. 21: 联盟经费必须用于本章程规定的业务范围和事业的发展，不得在成员中分配。
        raise ValidationError({"category": "联盟经费只能用于章程规定的业务范围，不得在成员中分配（第二十一条）。"})
    expense = Expense(alliance=alliance, category=category, amount=to_yuan(amount), paid_on=paid_on, payee=payee,
                      purpose=purpose, reference=reference, recorded_by=actor)
    expense.full_clean()
    with_history(expense, actor=actor, reason="登记支出").save()
    return expense
