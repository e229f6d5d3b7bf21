"""Reads for finance: the yearly accounts of an alliance."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from alliance.permissions import can_manage_alliance

from .models import Expense, ExpenseCategory, Income, IncomeSource, Invoice, Payment, Receipt

ZERO = Decimal("0.00")


@dataclass
class YearAccounts:
    alliance: object
    year: int
    income_by_source: list = field(default_factory=list)  # [(label, amount)]
    expenses_by_category: list = field(default_factory=list)
    income_total: Decimal = ZERO
    expense_total: Decimal = ZERO
    dues: dict = field(default_factory=dict)

    @property
    def balance(self):
        return self.income_total - self.expense_total


def _sums(queryset, group_field, choices):
    totals = dict(queryset.values_list(group_field).annotate(total=Sum("amount")).order_by())
    return [(label, totals.get(value, ZERO)) for value, label in choices.choices]


def accounts_for_year(*, alliance, year):
    """Income by source (dues as paid that year first), expenses by category, and the year's dues totals."""
    dues_collected = Payment.objects.filter(invoice__alliance=alliance, paid_on__year=year).aggregate(
        total=Sum("amount"))["total"] or ZERO
    # 000 art. 19 lists dues first among the sources of funds.
    incomes = [(_("会费"), dues_collected)] + _sums(
        Income.objects.filter(alliance=alliance, received_on__year=year), "source", IncomeSource
    )
    expenses = _sums(Expense.objects.filter(alliance=alliance, paid_on__year=year), "category", ExpenseCategory)
    return YearAccounts(
        alliance=alliance,
        year=year,
        income_by_source=incomes,
        expenses_by_category=expenses,
        income_total=sum((amount for _source, amount in incomes), ZERO),
        expense_total=sum((amount for _source, amount in expenses), ZERO),
        dues=dues_totals(alliance=alliance, year=year),
    )


def _member_viewer_allowed(user, member):
    return member.user_id == user.pk or can_manage_alliance(user, member.alliance)


def invoice_list_for_user(*, user):
    """The invoices of the memberships this person holds, with their payments and receipts."""
    return (
        Invoice.objects.filter(member__user=user)
        .select_related("alliance", "member")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.select_related("receipt").order_by("paid_on")))
        .order_by("-year", "alliance__pk")
    )


def receipt_get_for_user(*, user, pk):
    receipt = Receipt.objects.select_related("payment__invoice__member__alliance").filter(pk=pk).first()
    if receipt is None or not receipt.file:
        raise Http404
    if not _member_viewer_allowed(user, receipt.payment.invoice.member):
        raise PermissionDenied(_("您无权下载该收据。"))
    return receipt


def arrears_for_alliances(alliances, *, today):
    """Unpaid invoices past their due date, oldest first, with days overdue."""
    return (
        Invoice.objects.filter(alliance__in=alliances, status__in=[Invoice.Status.OPEN, Invoice.Status.PARTLY_PAID],
                               due_date__lt=today)
        .select_related("alliance", "member")
        .order_by("due_date", "pk")
    )


def dues_totals(*, alliance, year):
    """Dues invoiced, waived, collected and outstanding for a year; the collection rate in per cent.

    The rate is collected ÷ (invoiced − waived), a Decimal to one place; None when nothing is billable.
    """
    row = Invoice.objects.filter(alliance=alliance, year=year).aggregate(
        invoiced=Sum("amount"),
        collected=Sum("paid_total"),
        waived=Sum(F("amount") - F("paid_total"), filter=Q(status=Invoice.Status.WAIVED)),
    )
    invoiced, collected, waived = (row[key] or ZERO for key in ("invoiced", "collected", "waived"))
    billable = invoiced - waived
    rate = (collected * 100 / billable).quantize(Decimal("0.1")) if billable else None
    return {"invoiced": invoiced, "waived": waived, "collected": collected, "outstanding": billable - collected,
            "rate": rate}


def dues_this_year(alliance_ids, today):
    """The workbench's chart (alliance/workbench.py): this year's dues invoiced, paid and overdue, in yuan."""
    unpaid = Q(status__in=[Invoice.Status.OPEN, Invoice.Status.PARTLY_PAID])
    row = Invoice.objects.filter(alliance__in=alliance_ids, year=today.year).aggregate(
        invoiced=Sum("amount"), paid=Sum("paid_total"),
        overdue=Sum(F("amount") - F("paid_total"), filter=unpaid & Q(due_date__lt=today)),
    )
    return [(label, (row[key] or ZERO,)) for label, key in ((_("应缴"), "invoiced"), (_("已缴"), "paid"), (_("逾期未缴"), "overdue"))]


def cost_contributions_for_user(*, user):
    """The cost contributions recorded for the user's memberships (001 art. 23: a host's shortfall)."""
    if not user.is_authenticated:
        return Income.objects.none()
    return (Income.objects.filter(member__user=user, source=IncomeSource.COST_CONTRIBUTION)
            .select_related("alliance", "member").order_by("-received_on", "-pk"))
