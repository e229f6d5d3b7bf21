import datetime

from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from alliance.admin import (
    AddOnlyMixin, AllianceScopedAdmin, ViewOnlyInline, ViewOnlyMixin, admin_page, became, form_page,
    managed_alliance_pks,
)
from alliance.models import Alliance
from alliance.permissions import scope_to_managed

from . import selectors, services
from .exports import accounts_workbook
from .forms import AccountsForm, IssueInvoicesForm, PaymentForm, SubsidiesForm, WaiveForm
from .models import (
    Distribution, DuesSchedule, Expense, HostedActivity, Income, Invoice, Payment, Receipt, SubsidyPayment,
)


@admin.register(DuesSchedule)
class DuesScheduleAdmin(AllianceScopedAdmin):
    """Dues schedules are set through ``dues_schedule_set``; the schedule's keys stay as they were created."""

    list_display = ["alliance", "year", "member_kind", "amount", "due_date"]
    list_filter = ["year", "member_kind", "alliance"]
    list_select_related = ["alliance"]

    def get_readonly_fields(self, request, obj=None):
        return ["alliance", "member_kind", "year"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        schedule = self.call_service(
            services.dues_schedule_set, actor=request.user, alliance=obj.alliance, member_kind=obj.member_kind,
            year=obj.year, amount=obj.amount, due_date=obj.due_date)
        became(obj, schedule)


class RecordedByAdmin(AddOnlyMixin, AllianceScopedAdmin):
    """Income and expenses: recorded through their service (the recording staff member kept), then read only."""

    readonly_fields = ["recorded_by", "recorded_at"]
    list_select_related = ["alliance"]
    record_fields = []

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in self.record_fields}
        record = self.call_service(self.record_service, actor=request.user, alliance=obj.alliance, **data)
        became(obj, record)


@admin.register(Income)
class IncomeAdmin(RecordedByAdmin):
    record_service = staticmethod(services.income_record)
    record_fields = ["source", "amount", "received_on", "payer", "purpose", "reference", "member"]
    list_display = ["received_on", "source", "amount", "payer", "purpose", "alliance"]
    raw_id_fields = ["member"]
    list_filter = ["source", "alliance", "received_on"]
    search_fields = ["payer", "purpose", "reference"]
    date_hierarchy = "received_on"


class SubsidyPaymentInline(ViewOnlyInline):
    """A subsidy expense's teacher, hours and rate, and the class hours it paid (004 二（二）)."""

    model = SubsidyPayment
    fields = ["name", "hours", "rate", "up_to", "covered_hours"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("所付课时"))
    def covered_hours(self, payment):
        covered = payment.covered.select_related("class_hours__activity").order_by("class_hours__activity__date")
        return _("；").join(_("%(date_format)s %(hours)s 课时") % {"date_format": date_format(c.class_hours.activity.date, 'DATE_FORMAT'), "hours": c.class_hours.hours}
                        for c in covered)


@admin.register(Expense)
class ExpenseAdmin(RecordedByAdmin):
    record_service = staticmethod(services.expense_record)
    record_fields = ["category", "amount", "paid_on", "payee", "purpose", "reference"]
    list_display = ["paid_on", "category", "amount", "payee", "purpose", "alliance"]
    list_filter = ["category", "alliance", "paid_on"]
    search_fields = ["payee", "purpose", "reference"]
    date_hierarchy = "paid_on"
    change_list_template = "admin/finance/expense/change_list.html"

    def get_inlines(self, request, obj):
        return [SubsidyPaymentInline] if obj is not None and hasattr(obj, "subsidy_payment") else []

    def get_urls(self):
        return [
            path("subsidies/", self.admin_site.admin_view(self.subsidies_view), name="finance_expense_subsidies"),
        ] + super().get_urls()

    def subsidies_view(self, request):
        """Pay a project's confirmed, unpaid class hours as subsidy expenses (004 二（二）)."""
        if not self.has_add_permission(request):
            raise admin.sites.PermissionDenied
        return form_page(
            self, request, SubsidiesForm(request.POST or None, user=request.user), _("按课时支付劳务补贴"), _("支付"),
            act=lambda data: services.subsidies_pay(actor=request.user, **data),
            done=lambda paid: (ngettext("已支付 %(n)s 位教师的课时劳务补贴（已支付的课时不重复支付）。", "已支付 %(n)s 位教师的课时劳务补贴（已支付的课时不重复支付）。", len(paid)) % {"n": len(paid)},
                               "admin:finance_expense_changelist"),
        )


@admin.register(Distribution)
class DistributionAdmin(RecordedByAdmin):
    """Shares paid to member units where the charter grants 收益分配权; refused by the service elsewhere."""

    record_service = staticmethod(services.distribution_record)
    record_fields = ["member", "amount", "paid_on", "basis", "reference"]
    list_display = ["paid_on", "member", "amount", "basis", "alliance"]
    list_filter = ["alliance", "paid_on"]
    list_select_related = ["alliance", "member"]
    search_fields = ["member__name", "basis", "reference"]


class ArrearsFilter(admin.SimpleListFilter):
    title = gettext_lazy("欠费")
    parameter_name = "arrears"

    def lookups(self, request, model_admin):
        return [("yes", _("已逾期未缴清"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status__in=[Invoice.Status.OPEN, Invoice.Status.PARTLY_PAID],
                                   due_date__lt=timezone.localdate())
        return queryset


class InvoiceYearFilter(admin.SimpleListFilter):
    """The years that have a dues schedule (invoices are issued only against one): read from the few schedules,
    not from a DISTINCT over every invoice. Same query string as Django's field filter."""

    title = gettext_lazy("年度")
    parameter_name = "year__exact"

    def lookups(self, request, model_admin):
        schedules = scope_to_managed(DuesSchedule.objects.all(), request.user, managed=managed_alliance_pks(request))
        years = schedules.order_by("year").values_list("year", flat=True).distinct()
        return [(str(year), f"{year}年") for year in years]

    def queryset(self, request, queryset):
        return queryset.filter(year=self.value()) if self.value() else queryset


class PaymentInline(ViewOnlyInline):
    model = Payment
    fields = ["paid_on", "amount", "method", "reference", "recorded_by", "receipt_link"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("收据"))
    def receipt_link(self, payment):
        receipt = getattr(payment, "receipt", None)
        if receipt is None:
            return "—"
        if not receipt.file:
            return _("%(number)s（生成中）") % {"number": receipt.number}
        return format_html('<a href="{}">{}</a>', reverse("finance:receipt_download", args=[receipt.pk]),
                           receipt.number)


@admin.register(Invoice)
class InvoiceAdmin(ViewOnlyMixin, AllianceScopedAdmin):
    """Dues invoices: issued in bulk, paid or waived through the services, never edited by hand.

    The change form only shows the invoice; the issue, pay and waive pages are open to the staff who manage
    the invoice's alliance (``may_act``).
    """

    list_display = ["member", "year", "amount", "paid_total", "outstanding_display", "status", "due_date",
                    "days_overdue", "actions_column"]
    list_filter = [ArrearsFilter, "status", InvoiceYearFilter, "alliance"]
    # By year, then by member in the order they joined: one index (alliance, -year, member) serves it, where the
    # model's order by member number would sort every invoice of the filter on each page.
    ordering = ["-year", "member_id"]
    search_fields = ["member__name", "member__number"]
    list_select_related = ["alliance", "member"]
    readonly_fields = ["alliance", "member", "year", "amount", "paid_total", "due_date", "status", "waived_reason",
                       "issued_at"]
    inlines = [PaymentInline]
    change_list_template = "admin/finance/invoice/change_list.html"

    def may_act(self, request, invoice=None):
        return AllianceScopedAdmin.has_change_permission(self, request, invoice)

    @admin.display(description=gettext_lazy("未缴（元）"))
    def outstanding_display(self, invoice):
        return invoice.outstanding

    @admin.display(description=gettext_lazy("逾期天数"))
    def days_overdue(self, invoice):
        if invoice.status in (Invoice.Status.PAID, Invoice.Status.WAIVED):
            return "—"
        days = (timezone.localdate() - invoice.due_date).days
        return days if days > 0 else "—"

    @admin.display(description=gettext_lazy("操作"))
    def actions_column(self, invoice):
        if invoice.status in (Invoice.Status.PAID, Invoice.Status.WAIVED):
            return "—"
        return format_html(_('<a href="{}">登记缴费</a> · <a href="{}">减免</a>'),
                           reverse("admin:finance_invoice_pay", args=[invoice.pk]),
                           reverse("admin:finance_invoice_waive", args=[invoice.pk]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("issue/", view(self.issue_view), name="finance_invoice_issue"),
            path("accounts/", view(self.accounts_view), name="finance_invoice_accounts"),
            path("<int:pk>/pay/", view(self.pay_view), name="finance_invoice_pay"),
            path("<int:pk>/waive/", view(self.waive_view), name="finance_invoice_waive"),
        ] + super().get_urls()

    def _invoice_or_404(self, request, pk):
        invoice = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.may_act(request, invoice):
            raise admin.sites.PermissionDenied
        return invoice

    def issue_view(self, request):
        if not self.may_act(request):
            raise admin.sites.PermissionDenied
        return form_page(
            self, request, IssueInvoicesForm(request.POST or None, user=request.user), _("批量开具会费账单"), _("开具"),
            act=lambda data: services.invoices_issue(actor=request.user, **data),
            done=lambda created: (ngettext("已开具 %(n)s 张账单（已有账单的成员不重复开具）。", "已开具 %(n)s 张账单（已有账单的成员不重复开具）。", created) % {"n": created},
                                  "admin:finance_invoice_changelist"),
        )

    def pay_view(self, request, pk):
        invoice = self._invoice_or_404(request, pk)
        form = PaymentForm(request.POST or None, initial={"amount": invoice.outstanding,
                                                          "paid_on": timezone.localdate()})
        return form_page(
            self, request, form, _("登记缴费：%(invoice)s") % {"invoice": invoice}, _("登记"), invoice=invoice, template="admin/finance/form.html",
            act=lambda data: services.payment_record(actor=request.user, invoice=invoice, **data),
            done=lambda _payment: (_("缴费已登记，收据正在生成。"), reverse("admin:finance_invoice_change", args=[invoice.pk])),
        )

    def waive_view(self, request, pk):
        invoice = self._invoice_or_404(request, pk)
        return form_page(
            self, request, WaiveForm(request.POST or None), _("减免：%(invoice)s") % {"invoice": invoice}, _("减免"), invoice=invoice,
            template="admin/finance/form.html",
            act=lambda data: services.invoice_waive(actor=request.user, invoice=invoice, reason=data["reason"]),
            done=lambda _invoice: (_("账单已减免。"), reverse("admin:finance_invoice_change", args=[invoice.pk])),
        )

    def accounts_view(self, request):
        if not self.has_view_permission(request):
            raise admin.sites.PermissionDenied
        form = AccountsForm(request.GET or None, user=request.user)
        accounts = None
        if form.is_valid():
            accounts = selectors.accounts_for_year(**form.cleaned_data)
            if request.GET.get("export") == "xlsx":
                response = HttpResponse(
                    accounts_workbook(accounts),
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
                name = f"accounts-{accounts.alliance.code}-{accounts.year}.xlsx"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
        return admin_page(self, request, "admin/finance/accounts.html", _("年度账目"), form=form, accounts=accounts,
                          today=datetime.date.today())


@admin.register(Receipt)
class ReceiptAdmin(ViewOnlyMixin, AllianceScopedAdmin):
    list_display = ["number", "payment", "status", "created_at"]
    list_filter = ["status", "alliance"]
    search_fields = ["number", "payment__invoice__member__name"]
    list_select_related = ["alliance", "payment__invoice__member"]
    readonly_fields = ["number", "payment", "alliance", "status", "file", "attempts", "last_error", "retry_at",
                       "created_at"]


@admin.register(HostedActivity)
class HostedActivityAdmin(AllianceScopedAdmin):
    """001 art. 23: activities hosted by the member units in turn. Added with its host (left empty, the next in the
    rotation: hosted_activity_create), then settled once held (hosted_activity_settle): the shortfall is the host's
    cost contribution."""

    list_display = ["held_on", "title", "host", "budget", "contributed", "shortfall_col", "alliance"]
    list_filter = ["alliance", "held_on"]
    list_select_related = ["alliance", "host", "shortfall"]
    search_fields = ["title", "host__name"]
    raw_id_fields = ["host"]

    @admin.display(description=gettext_lazy("承办单位补助"))
    def shortfall_col(self, obj):
        return obj.shortfall.amount if obj.shortfall_id else ("—" if obj.settled_at else "")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["alliance", "title", "held_on", "budget", "host"]
        return ["alliance", "title", "held_on", "host", "budget", "contributed", "shortfall", "settled_at",
                "recorded_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        settled = ["contributed"] if obj.settled_at else []
        return ["alliance", "title", "held_on", "host", "budget", "shortfall", "settled_at", "recorded_by", *settled]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None and "host" in form.base_fields:  # the factory's own field: changing it leaks nowhere
            lines = []
            for alliance in Alliance.objects.filter(pk__in=managed_alliance_pks(request)).order_by("pk"):
                units = services.host_rotation(alliance=alliance)
                if units:
                    lines.append(_("%(display_short_name)s：") % {"display_short_name": alliance.display_short_name} + " → ".join(unit.name for unit in units))
            form.base_fields["host"].required = False
            form.base_fields["host"].help_text = (
                _("留空则由轮流顺序中的下一家成员单位承办（尚未承办的按入会先后）。轮流顺序：") + (_("；").join(lines) or "—"))
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            self.call_service(services.hosted_activity_settle, actor=request.user, activity=obj,
                              contributed=data.get("contributed"))
        else:
            became(obj, self.call_service(
                services.hosted_activity_create, actor=request.user, alliance=data["alliance"], title=data["title"],
                held_on=data["held_on"], budget=data["budget"], host=data.get("host")))
