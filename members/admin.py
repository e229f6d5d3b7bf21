"""Review in the admin: scoped to the staff's alliances; every action goes through a service.

Applications and members are read only here (their data is the applicant's, their states the services'); staff
change them through the actions, each a service call. A unit's liaison is named on the member's page
(``liaison_set``); certificates are issued and re-issued by the services.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Func, OuterRef, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from alliance.admin import AllianceScopedAdmin, ViewOnlyInline

from . import services
from .exports import export_response
from .forms import ApproveForm, DecisionForm, MemberDecisionForm, PaperWithdrawalForm
from .models import Application, ApplicationEvent, Attachment, Certificate, Liaison, Member, MemberEvent


class AttachmentInline(ViewOnlyInline):
    model = Attachment
    fields = ["view_link", "content_type", "size", "created_at"]
    readonly_fields = fields

    @admin.display(description="附件")
    def view_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), obj.original_name
        )


class ApplicationEventInline(ViewOnlyInline):
    model = ApplicationEvent
    fields = ["created_at", "from_status", "to_status", "actor", "reason", "reference"]
    readonly_fields = fields


def _run_each(modeladmin, request, queryset, call, done):
    ok = 0
    for obj in queryset:
        try:
            call(obj)
            ok += 1
        except (ValidationError, PermissionDenied) as exc:
            text = "；".join(getattr(exc, "messages", None) or [str(exc)])
            modeladmin.message_user(request, f"{obj}：{text}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, f"{done} {ok} 项。", messages.SUCCESS)


def _intermediate(modeladmin, request, queryset, *, form, title, action, button):
    opts = modeladmin.model._meta
    context = {
        "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        **modeladmin.admin_site.each_context(request),
        "title": title, "objects": queryset, "form": form, "action": action, "button": button,
        "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "members/admin/decision.html", context)


@admin.register(Application)
class ApplicationAdmin(AllianceScopedAdmin):
    list_display = ["display_name_col", "kind", "alliance", "status", "region_col", "contact_col", "submitted_at",
                    "attachment_count"]
    list_filter = ["status", "kind", "province", ("submitted_at", admin.DateFieldListFilter), "alliance"]
    search_fields = ["unit_name", "person_name", "contact_name", "head_name", "contact_mobile", "contact_office_phone",
                     "head_phone", "mobile", "office_phone", "email", "contact_email"]
    # No date hierarchy: the submission-date filter above needs no query, the hierarchy two per page.
    list_select_related = ["alliance"]
    inlines = [AttachmentInline, ApplicationEventInline]
    actions = ["approve", "reject", "return_for_changes", "export_excel"]
    readonly_fields = ["alliance", "applicant", "kind", "status", "submitted_at", "decided_at", "review_note",
                       "decision_reference"]
    fieldsets = [
        ("申请", {"fields": ["alliance", "applicant", "kind", "status", "submitted_at", "decided_at", "review_note",
                           "decision_reference"]}),
        ("单位", {"classes": ["collapse"], "fields": [
            "unit_name", "unit_type", "credit_code", ("province", "city", "county"), "head_name", "head_title",
            "head_phone", "head_email", "contact_name", "contact_title", "contact_office_phone", "contact_mobile",
            "contact_email", "contact_im", "description"]}),
        ("个人", {"classes": ["collapse"], "fields": [
            "person_name", "gender", "birth_date", "ethnicity", "employer", "professional_title", "position",
            "office_phone", "mobile", "email", "achievements"]}),
        ("共同", {"fields": ["address", "postcode", "field_of_work", "consent_charter", "consent_voluntary"]}),
    ]

    def get_queryset(self, request):
        # A count per row shown, not a join and GROUP BY over all the applications in every query of the page.
        attachments = Attachment.objects.filter(application=OuterRef("pk")).order_by()
        return super().get_queryset(request).annotate(
            n_attachments=Subquery(attachments.values(n=Func("pk", function="COUNT")))
        )

    def has_add_permission(self, request):
        return False  # applications come from the public form

    def has_change_permission(self, request, obj=None):
        # Staff decide through the actions; the applicant's text is theirs to change.
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="名称", ordering="unit_name")
    def display_name_col(self, obj):
        return obj.display_name or "（未填写）"

    @admin.display(description="地区")
    def region_col(self, obj):
        return obj.region

    @admin.display(description="联系人/电话")
    def contact_col(self, obj):
        if obj.kind == "unit":
            return f"{obj.contact_name} {obj.contact_mobile or obj.contact_office_phone}".strip()
        return obj.mobile or obj.office_phone

    @admin.display(description="附件数", ordering="n_attachments")
    def attachment_count(self, obj):
        return obj.n_attachments

    @admin.action(description="批准所选申请（可批量）")
    def approve(self, request, queryset):
        if "confirm" in request.POST:
            form = ApproveForm(request.POST)
            if form.is_valid():
                reference = form.cleaned_data["reference"]
                pending = []

                def approve_one(application):
                    member = services.application_approve(
                        actor=request.user, application=application, reference=reference
                    )
                    if member is None:
                        pending.append(application)

                _run_each(self, request, queryset, approve_one, "已处理")
                if pending:
                    self.message_user(
                        request, f"{len(pending)} 项须经决策机构表决，已提交表决，议案通过后自动入会。", messages.WARNING
                    )
                return None
        else:
            form = ApproveForm()
        return _intermediate(self, request, queryset, form=form, title="批准入会申请", action="approve",
                             button="确认批准")

    @admin.action(description="不予批准所选申请（须说明理由）")
    def reject(self, request, queryset):
        return self._with_reason(request, queryset, "reject", "不予批准", services.application_reject, "已不予批准")

    @admin.action(description="退回修改（须说明理由）")
    def return_for_changes(self, request, queryset):
        return self._with_reason(request, queryset, "return_for_changes", "退回修改", services.application_return,
                                 "已退回")

    def _with_reason(self, request, queryset, action, title, service, done):
        if "confirm" in request.POST:
            form = DecisionForm(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                _run_each(self, request, queryset,
                          lambda a: service(actor=request.user, application=a, reason=reason), done)
                return None
        else:
            form = DecisionForm()
        return _intermediate(self, request, queryset, form=form, title=title, action=action, button=f"确认{title}")

    @admin.action(description="导出所选申请（Excel）")
    def export_excel(self, request, queryset):
        return export_response("applications", queryset.select_related("alliance"))


class LiaisonInline(ViewOnlyInline):
    model = Liaison
    fields = ["name", "title", "phone", "email"]
    readonly_fields = fields


class CertificateInline(ViewOnlyInline):
    model = Certificate
    fields = ["download", "status", "attempts", "last_error", "issued_on", "valid_until", "revoked_at",
              "revoked_reason", "verify"]
    readonly_fields = fields

    @admin.display(description="证书")
    def download(self, obj):
        if not obj.file:
            return obj.get_status_display()
        return format_html('<a href="{}">下载</a>', reverse("members:certificate_download", args=[obj.pk]))

    @admin.display(description="验证页")
    def verify(self, obj):
        return format_html('<a href="{}" target="_blank">打开</a>', obj.get_verify_url())


class CertificateStatusFilter(admin.ChoicesFieldListFilter):
    """Members by their certificates' PDF status, to find those whose certificate could not be made."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "证书状态"


class MemberEventInline(ViewOnlyInline):
    model = MemberEvent
    fields = ["created_at", "from_status", "to_status", "actor", "reason", "reference"]
    readonly_fields = fields


@admin.register(Member)
class MemberAdmin(AllianceScopedAdmin):
    list_display = ["number", "name", "kind", "alliance", "status", "admitted_on", "term_ends_on", "liaison_col"]
    list_filter = ["status", "kind", ("certificates__status", CertificateStatusFilter), "alliance"]
    search_fields = ["number", "name", "liaison__name", "liaison__phone"]
    list_select_related = ["alliance", "liaison"]
    inlines = [LiaisonInline, CertificateInline, MemberEventInline]
    actions = ["reissue_certificate", "renew", "record_withdrawal", "withdraw", "suspend", "expel", "lapse", "export_excel"]
    readonly_fields = ["alliance", "application", "user", "kind", "name", "number", "status", "admitted_on",
                       "term_ends_on", "admission_reference", "withdrawal_requested_on", "withdrawal_effective_on",
                       "decision_reference", "suspended_rights", "status_reason", "ended_on"]

    def has_add_permission(self, request):
        return False  # members are admitted through applications

    def has_change_permission(self, request, obj=None):
        # Staff act through the actions (renew, withdraw, suspend, expel...); the page itself is read only.
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="联络员")
    def liaison_col(self, obj):
        liaison = getattr(obj, "liaison", None)
        return f"{liaison.name} {liaison.phone}" if liaison else "—"

    @admin.action(description="换发证书（原证书作废）")
    def reissue_certificate(self, request, queryset):
        _run_each(self, request, queryset,
                  lambda m: services.certificate_reissue(actor=request.user, member=m), "已换发证书")

    @admin.action(description="续期（按章程任期）")
    def renew(self, request, queryset):
        _run_each(self, request, queryset, lambda m: services.member_renew(actor=request.user, member=m), "已续期")

    def _decision(self, request, queryset, action, title, call, done, form_class=MemberDecisionForm):
        if "confirm" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                _run_each(self, request, queryset, lambda m: call(m, **form.cleaned_data), done)
                return None
        else:
            form = form_class()
        return _intermediate(self, request, queryset, form=form, title=title, action=action, button=f"确认{title}")

    @admin.action(description="登记书面退出通知（纸质）")
    def record_withdrawal(self, request, queryset):
        return self._decision(request, queryset, "record_withdrawal", "登记书面退出通知",
                              lambda m, notice_date, note: services.member_withdrawal_record(
                                  actor=request.user, member=m, notice_date=notice_date, note=note),
                              "已登记退出通知", form_class=PaperWithdrawalForm)

    @admin.action(description="办理退出（通知期满或经批准）")
    def withdraw(self, request, queryset):
        return self._decision(request, queryset, "withdraw", "办理退出",
                              lambda m, reference, rights: services.member_withdraw(
                                  actor=request.user, member=m, reference=reference), "已办理退出")

    @admin.action(description="取消部分权利（须有决议）")
    def suspend(self, request, queryset):
        return self._decision(request, queryset, "suspend", "取消部分权利",
                              lambda m, reference, rights: services.member_suspend(
                                  actor=request.user, member=m, rights=rights, reference=reference), "已取消权利")

    @admin.action(description="除名（须有决议）")
    def expel(self, request, queryset):
        return self._decision(request, queryset, "expel", "除名",
                              lambda m, reference, rights: services.member_expel(
                                  actor=request.user, member=m, reference=reference), "已除名")

    @admin.action(description="标记为期满未续")
    def lapse(self, request, queryset):
        _run_each(self, request, queryset, lambda m: services.member_lapse(actor=request.user, member=m),
                  "已标记期满未续")

    @admin.action(description="导出所选成员（Excel）")
    def export_excel(self, request, queryset):
        return export_response("members", queryset.select_related("alliance", "liaison"))
