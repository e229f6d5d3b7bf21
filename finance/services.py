"""Writes on finance records. Every service records the acting staff member in history."""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliance import documents, numbering
from alliance.documents import File, Kind
from alliance.models import CharterRules, Notice
from alliance.permissions import require_manage_alliance
from alliance.queueing import enqueue_on_commit
from alliance.services import checked_and_saved, notify, site_language, with_history
from members.models import Kind as MemberKind
from members.models import Member
from members.services import member_people

from .models import (
    Distribution,
    DuesReminder,
    DuesSchedule,
    Expense,
    ExpenseCategory,
    HostedActivity,
    Income,
    IncomeSource,
    Invoice,
    Payment,
    Receipt,
    SubsidyHours,
    SubsidyPayment,
)
from .money import amount_in_capitals, format_yuan, to_yuan

logger = logging.getLogger(__name__)

# Members who owe dues for a year: everyone whose membership has not ended.
BILLABLE_STATUSES = [Member.Status.ACTIVE, Member.Status.SUSPENDED, Member.Status.WITHDRAWAL_REQUESTED]
DUE_SOON_DAYS = 14
OVERDUE_LONG_DAYS = 30


@transaction.atomic
def dues_schedule_set(*, actor, alliance, member_kind, year, amount, due_date):
    require_manage_alliance(actor, alliance)
    schedule = DuesSchedule.objects.filter(alliance=alliance, member_kind=member_kind, year=year).first()
    schedule = schedule or DuesSchedule(alliance=alliance, member_kind=member_kind, year=year)
    schedule.amount, schedule.due_date = to_yuan(amount), due_date
    checked_and_saved(schedule, actor=actor, reason="设置会费标准")
    return schedule


@transaction.atomic
def income_record(*, actor, alliance, source, amount, received_on, payer, purpose, reference="", member=None):
    """``member``: the member a cost contribution came from, who then sees it with its dues."""
    require_manage_alliance(actor, alliance)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("收款日期不能晚于今天。")})
    income = Income(alliance=alliance, source=source, amount=to_yuan(amount), received_on=received_on, payer=payer,
                    purpose=purpose, reference=reference, recorded_by=actor, member=member)
    checked_and_saved(income, actor=actor, reason="登记收入")
    return income


@transaction.atomic
def expense_record(*, actor, alliance, category, amount, paid_on, payee, purpose, reference="", source_key=""):
    """Record an expense. A category outside ExpenseCategory (such as a share-out to members) is refused."""
    require_manage_alliance(actor, alliance)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("支付日期不能晚于今天。")})
    if category not in ExpenseCategory.values:
        # 000 art. 21: 联盟经费必须用于本章程规定的业务范围和事业的发展，不得在成员中分配。
        raise ValidationError({"category": _("联盟经费只能用于章程规定的业务范围，不得在成员中分配（第二十一条）。")})
    expense = Expense(alliance=alliance, category=category, amount=to_yuan(amount), paid_on=paid_on, payee=payee,
                      purpose=purpose, reference=reference, source_key=source_key, recorded_by=actor)
    checked_and_saved(expense, actor=actor, reason="登记支出")
    return expense


@transaction.atomic
def distribution_record(*, actor, alliance, member, amount, paid_on, basis, reference=""):
    """Record a share of the proceeds paid to a member unit, only where the charter allows it
    (CharterRules.distribution_allowed; seed 003 grants the six universities one, 000 art. 21 forbids it)."""
    require_manage_alliance(actor, alliance)
    # Locked so that a charter amendment forbidding distributions cannot commit between this check and the row.
    alliance.rules = CharterRules.objects.select_for_update().get(alliance=alliance)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("支付日期不能晚于今天。")})
    distribution = Distribution(alliance=alliance, member=member, amount=to_yuan(amount), paid_on=paid_on,
                                basis=basis, reference=reference, recorded_by=actor)
    checked_and_saved(distribution, actor=actor, reason="登记收益分配")
    return distribution


@transaction.atomic
def invoices_issue(*, actor, alliance, year):
    """Issue one dues invoice per billable member for the year; a second run creates nothing.

    Returns the number of invoices created. Members whose kind has no schedule for the year are skipped.
    """
    require_manage_alliance(actor, alliance)
    if not alliance.rules.dues_apply:
        raise ValidationError(_("该联盟章程未规定收取会费。"))
    schedules = {s.member_kind: s for s in DuesSchedule.objects.filter(alliance=alliance, year=year)}
    if not schedules:
        raise ValidationError(_("请先设置%(year)s年的会费标准。") % {"year": year})
    members = (
        Member.objects.filter(alliance=alliance, status__in=BILLABLE_STATUSES, kind__in=schedules)
        .exclude(invoices__year=year)
        .order_by("pk")
    )
    created = 0
    for member in members:
        schedule = schedules[member.kind]
        try:
            # The savepoint lets a concurrent run's row win without aborting this transaction.
            with transaction.atomic():
                invoice = Invoice(alliance=alliance, member=member, year=year, amount=schedule.amount,
                                  due_date=schedule.due_date)
                with_history(invoice, actor=actor, reason=f"开具{year}年会费账单").save()
        except IntegrityError:
            continue
        with site_language():
            _member_notify(invoice, subject=_("%(display_short_name)s：%(year)s年度会费缴费通知") % {"display_short_name": alliance.display_short_name, "year": year},
                           template="finance/email/invoice_issued.txt", amount=format_yuan(invoice.amount))
        created += 1
    return created


def _member_notify(invoice, *, subject, template, **context):
    notify(to=member_people(invoice.member), kind=Notice.MONEY, alliance=invoice.alliance, subject=subject,
           template=template, context={"invoice": invoice, "site_url": settings.SITE_URL, **context})


def _lock_invoice(invoice):
    return Invoice.objects.select_for_update(of=("self",)).select_related("alliance", "member").get(pk=invoice.pk)


def _next_receipt_number(alliance, year):
    seq = numbering.number_next(kind=numbering.Kind.RECEIPT, alliance=alliance, year=year)
    return f"{alliance.code}-SJ-{year}-{seq:04d}"


@transaction.atomic
def payment_record(*, actor, invoice, amount, paid_on, method, reference=""):
    """Record a (possibly partial) payment and number its receipt. Paying more than is owed is refused."""
    invoice = _lock_invoice(invoice)
    require_manage_alliance(actor, invoice.alliance)
    amount = to_yuan(amount)
    if invoice.status in (Invoice.Status.PAID, Invoice.Status.WAIVED):
        raise ValidationError(_("该账单%(status)s，不能再登记缴费。") % {"status": invoice.get_status_display()})
    if amount <= 0:
        raise ValidationError({"amount": _("缴费金额须大于零。")})
    if amount > invoice.outstanding:
        raise ValidationError({"amount": _("缴费金额超过未缴金额（未缴 %(format_yuan)s）。") % {"format_yuan": format_yuan(invoice.outstanding)}})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("缴费日期不能晚于今天。")})
    payment = Payment(invoice=invoice, amount=amount, paid_on=paid_on, method=method, reference=reference,
                      recorded_by=actor)
    checked_and_saved(payment, actor=actor, reason="登记缴费")
    invoice.paid_total += amount
    invoice.status = Invoice.Status.PAID if invoice.paid_total == invoice.amount else Invoice.Status.PARTLY_PAID
    with_history(invoice, actor=actor, reason=f"缴费 {format_yuan(amount)}").save(
        update_fields=["paid_total", "status"]
    )
    receipt = Receipt.objects.create(payment=payment, alliance=invoice.alliance,
                                     number=_next_receipt_number(invoice.alliance, paid_on.year))
    enqueue_on_commit("finance.tasks.receipt_render", receipt.pk)
    with site_language():
        _member_notify(invoice, subject=_("%(display_short_name)s：已收到您的%(year)s年度会费") % {"display_short_name": invoice.alliance.display_short_name, "year": invoice.year},
                       template="finance/email/payment_recorded.txt", payment=payment, receipt=receipt,
                       amount=format_yuan(amount), outstanding=format_yuan(invoice.outstanding))
    return payment


@transaction.atomic
def invoice_waive(*, actor, invoice, reason):
    invoice = _lock_invoice(invoice)
    require_manage_alliance(actor, invoice.alliance)
    if not reason.strip():
        raise ValidationError({"waived_reason": _("减免须填写理由。")})
    if invoice.status in (Invoice.Status.PAID, Invoice.Status.WAIVED):
        raise ValidationError(_("该账单%(status)s，不能减免。") % {"status": invoice.get_status_display()})
    invoice.status = Invoice.Status.WAIVED
    invoice.waived_reason = reason.strip()
    with_history(invoice, actor=actor, reason=f"减免：{invoice.waived_reason}").save(
        update_fields=["status", "waived_reason"]
    )
    return invoice


def _receipt_files(receipt):
    payment = receipt.payment
    # A deterministic name: a retry overwrites its own file instead of leaving a second one.
    return [File("file", f"{receipt.alliance.code}/{receipt.number}.pdf", "finance/pdf/receipt.html", {
        "receipt": receipt, "payment": payment, "invoice": payment.invoice, "alliance": receipt.alliance,
        "capitals": amount_in_capitals(payment.amount),
    })]


RECEIPT = Kind(model=Receipt, task="finance.tasks.receipt_render", files=_receipt_files,
               select_related=("alliance", "payment__invoice__member", "payment__recorded_by"))


def receipt_render(*, receipt_id):
    """Render a receipt's PDF once (alliance/documents.py); a second call, or a call racing the first, does nothing."""
    return documents.render(RECEIPT, receipt_id)


def _reminder_kind(invoice, today):
    if today > invoice.due_date + datetime.timedelta(days=OVERDUE_LONG_DAYS - 1):
        return DuesReminder.Kind.OVERDUE_LONG
    if today > invoice.due_date:
        return DuesReminder.Kind.OVERDUE
    if today >= invoice.due_date - datetime.timedelta(days=DUE_SOON_DAYS):
        return DuesReminder.Kind.DUE_SOON
    return None


def dues_reminders_run(*, today=None):
    """Send each unpaid invoice's reminders (before the due date, when overdue, 30 days overdue) at most once.

    The unique (invoice, kind) row is written in the same transaction as the e-mail's outbox row, so two runs,
    even concurrent ones, send each reminder once.
    """
    today = today or timezone.localdate()
    sent = 0
    unpaid = (
        Invoice.objects.filter(status__in=[Invoice.Status.OPEN, Invoice.Status.PARTLY_PAID],
                               due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .select_related("alliance", "member__liaison", "member__application", "member__user")
        .order_by("pk")
    )
    for invoice in unpaid:
        kind = _reminder_kind(invoice, today)
        if kind is None or not any(member_people(invoice.member)):
            continue
        try:
            with transaction.atomic():
                DuesReminder.objects.create(invoice=invoice, kind=kind)
                with site_language():
                    _member_notify(
                        invoice,
                        subject=_("%(display_short_name)s：%(year)s年会费%(label)s") % {"display_short_name": invoice.alliance.display_short_name, "year": invoice.year, "label": DuesReminder.Kind(kind).label},
                        template="finance/email/dues_reminder.txt", kind=kind, today=today,
                        outstanding=format_yuan(invoice.outstanding),
                    )
        except IntegrityError:
            continue
        sent += 1
    return sent


def _teacher_key(row):
    return row.member_id or row.name


@transaction.atomic
def subsidies_pay(*, actor, project, up_to, paid_on):
    """Pay every confirmed class hour of the project dated up to ``up_to`` not yet paid (004 二（二）): one
    subsidy expense per teacher, hours × the project's rate, recording the hours it covers.

    Each hours row is paid by exactly one payment, whatever the dates of the runs; a second run, or one running at
    the same time, pays nothing twice. Returns the payments made.
    """
    from projects.selectors import class_hours_confirmed

    require_manage_alliance(actor, project.alliance)
    rate = project.rate_per_class_hour
    if rate <= 0:
        raise ValidationError(_("请先在项目中设置每课时劳务补贴标准。"))
    if up_to > paid_on:
        raise ValidationError({"up_to": _("课时截至日期不能晚于支付日期。")})
    unpaid = class_hours_confirmed(project=project, up_to=up_to).filter(subsidy_paid__isnull=True)
    # Lock the rows, then read them again: a run that held them first has committed its payments by the time
    # the locks are ours, and only this second statement sees them (PostgreSQL, read committed).
    locked = list(unpaid.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    by_teacher = {}
    for row in unpaid.filter(pk__in=locked).select_related("activity").order_by("activity__date", "pk"):
        by_teacher.setdefault(_teacher_key(row), []).append(row)
    payments = []
    for rows in by_teacher.values():
        hours = sum((row.hours for row in rows), Decimal("0"))
        amount = (hours * rate).quantize(Decimal("0.01"))
        expense = expense_record(
            actor=actor, alliance=project.alliance, category=ExpenseCategory.SUBSIDIES, amount=amount,
            paid_on=paid_on, payee=rows[0].name,
            purpose=f"{project.title} 课时劳务补贴（截至{date_format(up_to, 'DATE_FORMAT')}）{hours} 课时 × {rate} 元",
        )
        payment = SubsidyPayment(project=project, expense=expense, member_id=rows[0].member_id, name=rows[0].name,
                                 hours=hours, rate=rate, up_to=up_to)
        checked_and_saved(payment, actor=actor, reason="支付课时劳务补贴")
        SubsidyHours.objects.bulk_create([SubsidyHours(payment=payment, class_hours=row) for row in rows])
        payments.append(payment)
    return payments


# ---- activities hosted in turn (001 art. 23: 联盟成员轮流承办相关活动，经费不足部分由主持活动的成员单位补助) ----------

def host_rotation(*, alliance):
    """The member units in the order they host next: those that have not hosted yet in join order, then the
    others from the one whose last activity is the longest ago."""
    units = list(
        Member.objects.filter(alliance=alliance, kind=MemberKind.UNIT,
                              status__in=Member.CURRENT_STATUSES)
        .annotate(last_hosted=Max("hosted_activities__held_on")).order_by("admitted_on", "number", "pk")
    )
    return sorted(units, key=lambda unit: (unit.last_hosted is not None, unit.last_hosted or datetime.date.min))


def host_rotation_next(*, alliance):
    rotation = host_rotation(alliance=alliance)
    if not rotation:
        raise ValidationError({"host": _("本联盟暂无可承办活动的成员单位。")})
    return rotation[0]


@transaction.atomic
def hosted_activity_create(*, actor, alliance, title, held_on, budget, host=None):
    """An activity of the alliance and the member unit hosting it: by default the next in the rotation."""
    require_manage_alliance(actor, alliance)
    host = host or host_rotation_next(alliance=alliance)
    if host.status not in Member.CURRENT_STATUSES:
        raise ValidationError({"host": _("承办单位须为本联盟的现有成员。")})
    activity = HostedActivity(alliance=alliance, title=title, held_on=held_on, host=host, budget=to_yuan(budget),
                              recorded_by=actor)
    return checked_and_saved(activity, actor=actor, reason=f"登记轮流承办活动：{host.name}")


@transaction.atomic
def hosted_activity_settle(*, actor, activity, contributed):
    """Settle a held activity: what was raised otherwise, and the shortfall the host covers, recorded as the host's
    cost contribution (an income of the alliance the member sees with its dues)."""
    activity = HostedActivity.objects.select_for_update().select_related("host", "alliance").get(pk=activity.pk)
    require_manage_alliance(actor, activity.alliance)
    if activity.settled_at is not None:
        raise ValidationError({"contributed": _("该活动已结算。")})
    if activity.held_on > timezone.localdate():
        raise ValidationError({"contributed": _("活动举办后才能结算。")})
    if contributed is None:
        raise ValidationError({"contributed": _("请填写其他渠道筹措的金额，没有则填 0。")})
    activity.contributed = to_yuan(contributed)
    if activity.contributed < 0:
        raise ValidationError({"contributed": _("筹措金额不能为负数。")})
    shortfall = activity.shortfall_amount
    if shortfall > 0:
        activity.shortfall = income_record(
            actor=actor, alliance=activity.alliance, source=IncomeSource.COST_CONTRIBUTION, amount=shortfall,
            received_on=activity.held_on, payer=activity.host.name, member=activity.host,
            purpose=f"承办“{activity.title}”经费不足部分补助（第二十三条）"[:200],
        )
    activity.settled_at = timezone.now()
    return checked_and_saved(activity, actor=actor, reason=f"结算活动经费，承办单位补助 {format_yuan(shortfall)}")
