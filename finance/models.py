"""Dues schedules, other income and expenses (seed 000 arts. 19–21).

Amounts are Decimal yuan with two places, positive, never floats.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from alliance.documents import DocumentJob, DocumentStatus, status_field
from alliance.models import Alliance
from members.models import Kind as MemberKind
from members.models import Member

MONEY = {"max_digits": 12, "decimal_places": 2}


class IncomeSource(models.TextChoices):
    DONATION = "donation", gettext_lazy("捐赠")
    SERVICE = "service", gettext_lazy("业务范围内活动或服务收入")
    COST_CONTRIBUTION = "cost_contribution", gettext_lazy("成员分担经费")
    OTHER = "other", gettext_lazy("其他合法收入")


# 000 art. 21: funds serve only the charter's business and are never distributed among members. There is
# deliberately no category for a share-out to members, and the database refuses any category not listed.
class ExpenseCategory(models.TextChoices):
    ACTIVITIES = "activities", gettext_lazy("业务活动")
    MEETINGS = "meetings", gettext_lazy("会议与培训")
    SUBSIDIES = "subsidies", gettext_lazy("课时劳务补贴")
    PLATFORM = "platform", gettext_lazy("平台建设与运维")
    PUBLISHING = "publishing", gettext_lazy("出版与宣传")
    OFFICE = "office", gettext_lazy("办公与人员")
    OTHER = "other", gettext_lazy("其他业务支出")


class DuesSchedule(models.Model):
    """The dues a kind of member pays an alliance for a year (000 art. 20: 按照国家有关规定收取成员会费)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="dues_schedules", verbose_name=gettext_lazy("联盟"))
    member_kind = models.CharField(gettext_lazy("成员类型"), max_length=12, choices=MemberKind.choices)
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    amount = models.DecimalField(gettext_lazy("会费金额（元）"), **MONEY)
    due_date = models.DateField(gettext_lazy("缴费截止日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("会费标准")
        verbose_name_plural = gettext_lazy("会费标准")
        ordering = ["alliance", "-year", "member_kind"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "member_kind", "year"], name="dues_schedule_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_schedule_amount_positive"),
        ]

    def __str__(self):
        return _("%(display_short_name)s %(year)s年 %(member_kind)s %(amount)s 元") % {"display_short_name": self.alliance.display_short_name, "year": self.year, "member_kind": self.get_member_kind_display(), "amount": self.amount}

    def clean(self):
        if self.alliance_id and not self.alliance.rules.dues_apply:
            raise ValidationError(_("该联盟章程未规定收取会费，不能设置会费标准。"))
        if self.due_date and self.year and self.due_date.year != self.year:
            raise ValidationError({"due_date": _("缴费截止日期须在该年度内。")})


class Income(models.Model):
    """Income other than dues; dues are collected through invoices and payments (000 art. 19)."""

    Source = IncomeSource

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="incomes", verbose_name=gettext_lazy("联盟"))
    source = models.CharField(gettext_lazy("收入来源"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(gettext_lazy("金额（元）"), **MONEY)
    received_on = models.DateField(gettext_lazy("收款日期"))
    payer = models.CharField(gettext_lazy("付款方"), max_length=100)
    purpose = models.CharField(gettext_lazy("用途/事由"), max_length=200)
    reference = models.CharField(gettext_lazy("凭证号"), max_length=60, blank=True)
    # The member a cost contribution came from, who sees it among its finance records (001 art. 23).
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="incomes",
                               verbose_name=gettext_lazy("出资成员"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("登记人")
    )
    recorded_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("其他收入")
        verbose_name_plural = gettext_lazy("其他收入")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="income_amount_positive"),
            models.CheckConstraint(
                condition=Q(source__in=IncomeSource.values), name="income_source_known"
            ),
        ]

    def __str__(self):
        return _("%(source)s %(amount)s 元（%(payer)s）") % {"source": self.get_source_display(), "amount": self.amount, "payer": self.payer}

    def clean(self):
        if self.member_id and self.alliance_id and self.member.alliance_id != self.alliance_id:
            raise ValidationError({"member": _("出资成员须为本联盟的成员。")})


class Expense(models.Model):
    """An expense of the alliance's business, in one of ExpenseCategory (000 art. 21)."""

    Category = ExpenseCategory

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="expenses", verbose_name=gettext_lazy("联盟"))
    category = models.CharField(gettext_lazy("支出类别"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(gettext_lazy("金额（元）"), **MONEY)
    paid_on = models.DateField(gettext_lazy("支付日期"))
    payee = models.CharField(gettext_lazy("收款方"), max_length=100)
    purpose = models.CharField(gettext_lazy("用途"), max_length=200)
    reference = models.CharField(gettext_lazy("凭证号"), max_length=60, blank=True)
    # What generated the expense, e.g. one teacher's subsidy for one month of a project; unique per alliance,
    # so generating the same subsidies twice records them once.
    source_key = models.CharField(gettext_lazy("来源标识"), max_length=120, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("登记人")
    )
    recorded_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("支出")
        verbose_name_plural = gettext_lazy("支出")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.UniqueConstraint(fields=["alliance", "source_key"], condition=~Q(source_key=""),
                                    name="expense_source_once"),
            models.CheckConstraint(
                condition=Q(category__in=ExpenseCategory.values),
                name="expense_category_known",
            ),
        ]

    def __str__(self):
        return _("%(category)s %(amount)s 元（%(payee)s）") % {"category": self.get_category_display(), "amount": self.amount, "payee": self.payee}


class Distribution(models.Model):
    """A share of the alliance's proceeds paid to a member unit, where the charter or agreement grants one
    (seed 003: 六校共同享有…收益分配权). Where it does not (000 art. 21: 不得在成员中分配) none is recorded.

    The rule is the alliance's (CharterRules.distribution_allowed), on another table: a CHECK constraint
    cannot read it, and a composite foreign key to it would forbid amending the charter once a share was paid.
    So the service checks it with the rules row locked (a concurrent amendment waits), and clean() gives the
    message; an expense can never be a share-out in any alliance (ExpenseCategory, checked by the database).
    """

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="distributions", verbose_name=gettext_lazy("联盟"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="distributions", verbose_name=gettext_lazy("成员单位"))
    amount = models.DecimalField(gettext_lazy("金额（元）"), **MONEY)
    paid_on = models.DateField(gettext_lazy("支付日期"))
    basis = models.CharField(gettext_lazy("分配依据"), max_length=200, help_text=gettext_lazy("决议、协议条款或分配方案的文号。"))
    reference = models.CharField(gettext_lazy("凭证号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("登记人")
    )
    recorded_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("收益分配")
        verbose_name_plural = gettext_lazy("收益分配")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="distribution_amount_positive"),
        ]

    def __str__(self):
        return _("收益分配 %(amount)s 元（%(member)s）") % {"amount": self.amount, "member": self.member}

    def clean(self):
        if self.alliance_id is None:
            return
        rules = self.alliance.rules
        if not rules.distribution_allowed:
            article = _("（%(distribution_article)s）") % {"distribution_article": rules.distribution_article} if rules.distribution_article else ""
            raise ValidationError(_("本联盟章程不允许向成员分配经费或收益%(article)s，不能登记收益分配。") % {"article": article})
        if self.member_id is not None and self.member.alliance_id != self.alliance_id:
            raise ValidationError({"member": _("该成员不属于本联盟。")})


class Invoice(models.Model):
    """The dues one member owes for one year. Issued once per (member, year)."""

    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("待缴")
        PARTLY_PAID = "partly_paid", gettext_lazy("部分缴纳")
        PAID = "paid", gettext_lazy("已缴清")
        WAIVED = "waived", gettext_lazy("已减免")

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="invoices", verbose_name=gettext_lazy("联盟"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="invoices", verbose_name=gettext_lazy("成员"))
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    amount = models.DecimalField(gettext_lazy("应缴金额（元）"), **MONEY)
    paid_total = models.DecimalField(gettext_lazy("已缴金额（元）"), default=0, **MONEY)
    due_date = models.DateField(gettext_lazy("缴费截止日期"))
    status = models.CharField(gettext_lazy("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    waived_reason = models.CharField(gettext_lazy("减免理由"), max_length=200, blank=True)
    issued_at = models.DateTimeField(gettext_lazy("开具时间"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("会费账单")
        verbose_name_plural = gettext_lazy("会费账单")
        ordering = ["-year", "member__number"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="invoice_one_per_member_and_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_amount_positive"),
            # Overpayment is refused by the database as well as by the service.
            models.CheckConstraint(condition=Q(paid_total__gte=0, paid_total__lte=F("amount")),
                                   name="invoice_paid_within_amount"),
            models.CheckConstraint(condition=~Q(status="waived") | ~Q(waived_reason=""),
                                   name="invoice_waiver_has_reason"),
        ]
        indexes = [
            models.Index(fields=["alliance", "status", "due_date"]),
            # The admin's list by year and member (finance/admin.py), and the workbench's sums of a year read from
            # the index alone.
            models.Index(fields=["alliance", "-year", "member"], include=["amount", "paid_total", "status", "due_date"],
                         name="invoice_year_member"),
        ]

    def __str__(self):
        return _("%(name)s %(year)s年会费") % {"name": self.member.name, "year": self.year}

    @property
    def outstanding(self):
        return Decimal("0.00") if self.status == self.Status.WAIVED else self.amount - self.paid_total


class Payment(models.Model):
    """A payment recorded by staff against one invoice; each gets a receipt (收据)."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", gettext_lazy("银行转账")
        CASH = "cash", gettext_lazy("现金")
        OTHER = "other", gettext_lazy("其他")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=gettext_lazy("账单"))
    amount = models.DecimalField(gettext_lazy("金额（元）"), **MONEY)
    paid_on = models.DateField(gettext_lazy("缴费日期"))
    method = models.CharField(gettext_lazy("方式"), max_length=16, choices=Method.choices)
    reference = models.CharField(gettext_lazy("流水号/凭证号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("登记人")
    )
    recorded_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("缴费记录")
        verbose_name_plural = gettext_lazy("缴费记录")
        ordering = ["-paid_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return _("%(name)s %(amount)s 元（%(paid_on)s）") % {"name": self.invoice.member.name, "amount": self.amount, "paid_on": self.paid_on}


class Receipt(DocumentJob):
    """收据: numbered when the payment is recorded, rendered to PDF by a worker (alliance/documents.py)."""

    Status = DocumentStatus

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt", verbose_name=gettext_lazy("缴费记录"))
    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="receipts", verbose_name=gettext_lazy("联盟"))
    number = models.CharField(gettext_lazy("收据编号"), max_length=40)
    status = status_field()
    file = models.FileField(gettext_lazy("收据文件"), upload_to="finance/receipts/", blank=True, max_length=200)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("收据")
        verbose_name_plural = gettext_lazy("收据")
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["alliance", "number"], name="receipt_number_unique")]
        # The workbench's count of receipts not yet made (alliance/workbench.py), for every alliance at once.
        indexes = [models.Index(fields=["status"], name="receipt_status")]

    def __str__(self):
        return self.number


class DuesReminder(models.Model):
    """One row per reminder sent: the unique constraint makes a second run of the job send nothing."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", gettext_lazy("到期前提醒")
        OVERDUE = "overdue", gettext_lazy("逾期提醒")
        OVERDUE_LONG = "overdue_long", gettext_lazy("逾期三十日提醒")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invoice", "kind"], name="dues_reminder_once")]


class SubsidyPayment(models.Model):
    """One teacher's class-hour subsidy paid by one run (004 二（二）按课时支付劳务补贴), booked as an expense."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="subsidy_payments", verbose_name=gettext_lazy("项目")
    )
    expense = models.OneToOneField(
        Expense, on_delete=models.PROTECT, related_name="subsidy_payment", verbose_name=gettext_lazy("支出")
    )
    member = models.ForeignKey(
        "projects.TeamMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("共同体成员"),
    )
    name = models.CharField(gettext_lazy("教师姓名"), max_length=30)
    hours = models.DecimalField(gettext_lazy("课时"), max_digits=7, decimal_places=1)
    rate = models.DecimalField(gettext_lazy("每课时补贴（元）"), max_digits=8, decimal_places=2)
    up_to = models.DateField(gettext_lazy("课时截至"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("课时劳务补贴")
        verbose_name_plural = gettext_lazy("课时劳务补贴")
        ordering = ["-up_to", "name", "pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0, rate__gt=0), name="subsidy_payment_positive")]

    def __str__(self):
        return _("%(name)s %(hours)s 课时（截至 %(up_to)s）") % {"name": self.name, "hours": self.hours, "up_to": self.up_to}


class SubsidyHours(models.Model):
    """The class hours a subsidy payment covers: a confirmed hours row is paid by exactly one payment."""

    payment = models.ForeignKey(SubsidyPayment, on_delete=models.PROTECT, related_name="covered", verbose_name=gettext_lazy("补贴"))
    class_hours = models.OneToOneField(
        "projects.ActivityTeacher", on_delete=models.PROTECT, related_name="subsidy_paid", verbose_name=gettext_lazy("课时")
    )

    class Meta:
        verbose_name = gettext_lazy("已支付课时")
        verbose_name_plural = gettext_lazy("已支付课时")


class HostedActivity(models.Model):
    """An alliance activity hosted by a member unit in turn, the host covering what the budget lacks
    (001 art. 23: 联盟成员轮流承办相关活动，经费不足部分由主持活动的成员单位补助)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="hosted_activities",
                                 verbose_name=gettext_lazy("联盟"))
    title = models.CharField(gettext_lazy("活动名称"), max_length=100)
    held_on = models.DateField(gettext_lazy("举办日期"))
    host = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="hosted_activities",
                             verbose_name=gettext_lazy("承办成员单位"))
    budget = models.DecimalField(gettext_lazy("活动预算（元）"), **MONEY)
    contributed = models.DecimalField(gettext_lazy("其他渠道筹措（元）"), null=True, blank=True, **MONEY)
    shortfall = models.OneToOneField(Income, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=gettext_lazy("承办单位补助"))
    settled_at = models.DateTimeField(gettext_lazy("结算时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=gettext_lazy("登记人"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("轮流承办活动")
        verbose_name_plural = gettext_lazy("轮流承办活动")
        ordering = ["alliance", "-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="hosted_activity_budget_positive"),
            models.CheckConstraint(condition=Q(contributed__isnull=True) | Q(contributed__gte=0),
                                   name="hosted_activity_contributed_not_negative"),
        ]

    def __str__(self):
        return _("%(title)s（%(name)s承办）") % {"title": self.title, "name": self.host.name}

    @property
    def shortfall_amount(self):
        """What the host covers: the budget less what was raised otherwise, never below nothing."""
        if self.contributed is None:
            return None
        return max(self.budget - self.contributed, Decimal("0.00"))

    def clean(self):
        if self.host_id and self.alliance_id and self.host.alliance_id != self.alliance_id:
            raise ValidationError({"host": _("承办单位须为本联盟的成员。")})
        if self.host_id and self.host.kind != MemberKind.UNIT:
            raise ValidationError({"host": _("活动由成员单位轮流承办，请选择单位成员。")})
