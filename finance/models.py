"""Dues schedules, other income and expenses (seed 000 arts. 19–21).

Amounts are Decimal yuan with two places, positive, never floats.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from alliance.models import Alliance

MONEY = {"max_digits": 12, "decimal_places": 2}


class MemberKind(models.TextChoices):
    UNIT = "unit", "单位成员"
    INDIVIDUAL = "individual", "个人成员"


class IncomeSource(models.TextChoices):
    DONATION = "donation", "捐赠"
    SERVICE = "service", "业务范围内活动或服务收入"
    COST_CONTRIBUTION = "cost_contribution", "成员分担经费"
    OTHER = "other", "其他合法收入"


# 000 art. 21: funds serve only the charter's business and are never distributed among members. There is
# deliberately no category for a share-out to members, and the database refuses any category not listed.
class ExpenseCategory(models.TextChoices):
    ACTIVITIES = "activities", "业务活动"
    MEETINGS = "meetings", "会议与培训"
    SUBSIDIES = "subsidies", "课时劳务补贴"
    PLATFORM = "platform", "平台建设与运维"
    PUBLISHING = "publishing", "出版与宣传"
    OFFICE = "office", "办公与人员"
    OTHER = "other", "其他业务支出"


class DuesSchedule(models.Model):
    """The dues a kind of member pays an alliance for a year (000 art. 20: 按照国家有关规定收取成员会费)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="dues_schedules", verbose_name="联盟")
    member_kind = models.CharField("成员类型", max_length=12, choices=MemberKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("会费金额（元）", **MONEY)
    due_date = models.DateField("缴费截止日期")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "会费标准"
        verbose_name_plural = "会费标准"
        ordering = ["alliance", "-year", "member_kind"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "member_kind", "year"], name="dues_schedule_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_schedule_amount_positive"),
        ]

    def __str__(self):
        return f"{self.alliance.display_short_name} {self.year}年 {self.get_member_kind_display()} {self.amount} 元"

    def clean(self):
        if self.alliance_id and not self.alliance.rules.dues_apply:
            raise ValidationError("该联盟章程未规定收取会费，不能设置会费标准。")
        if self.due_date and self.year and self.due_date.year != self.year:
            raise ValidationError({"due_date": "缴费截止日期须在该年度内。"})


class Income(models.Model):
    """Income other than dues; dues are collected through invoices and payments (000 art. 19)."""

    Source = IncomeSource

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="incomes", verbose_name="联盟")
    source = models.CharField("收入来源", max_length=20, choices=Source.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    received_on = models.DateField("收款日期")
    payer = models.CharField("付款方", max_length=100)
    purpose = models.CharField("用途/事由", max_length=200)
    reference = models.CharField("凭证号", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "其他收入"
        verbose_name_plural = "其他收入"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="income_amount_positive"),
            models.CheckConstraint(
                condition=Q(source__in=IncomeSource.values), name="income_source_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.amount} 元（{self.payer}）"


class Expense(models.Model):
    """An expense of the alliance's business, in one of ExpenseCategory (000 art. 21)."""

    Category = ExpenseCategory

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="expenses", verbose_name="联盟")
    category = models.CharField("支出类别", max_length=20, choices=Category.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    paid_on = models.DateField("支付日期")
    payee = models.CharField("收款方", max_length=100)
    purpose = models.CharField("用途", max_length=200)
    reference = models.CharField("凭证号", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "支出"
        verbose_name_plural = "支出"
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(
                condition=Q(category__in=ExpenseCategory.values),
                name="expense_category_known",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.amount} 元（{self.payee}）"
