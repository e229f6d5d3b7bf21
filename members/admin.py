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

from .exports import export_response
from governance import effects
from governance.models import Meeting

from . import selectors, services
from .admin_roster import roster_urls
from .forms import ConsentForm, DecisionForm, PaperWithdrawalForm, RatificationForm, StepsForm
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


class DecisionsColumn:
    @admin.display(description="决定议案")
    def decisions_col(self, obj):
        return "；".join(motion.title for motion in obj.decisions.all()) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("decisions")


class ApplicationEventInline(DecisionsColumn, ViewOnlyInline):
    model = ApplicationEvent
    fields = ["created_at", "from_status", "to_status", "actor", "reason", "decisions_col"]
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
    actions = ["approve", "gather_for_council", "reject", "return_for_changes", "export_excel"]
    readonly_fields = ["alliance", "applicant", "kind", "status", "submitted_at", "decided_at", "review_note"]
    fieldsets = [
        ("申请", {"fields": ["alliance", "applicant", "kind", "status", "submitted_at", "decided_at", "review_note"]}),
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
        rules = [a.alliance.rules for a in queryset.select_related("alliance__rules")]
        decisions = selectors.decision_choices(
            alliances={r.alliance_id for r in rules}, body_kinds={r.admission_body_kind for r in rules},
            kinds=services.CONSENT_KINDS, subjects=queryset,
        )
        form = ConsentForm(request.POST if "confirm" in request.POST else None, decisions=decisions)
        if form.is_valid():
            pending = []

            def approve_one(application):
                member = services.application_approve(
                    actor=request.user, application=application, decision=form.cleaned_data["decision"]
                )
                if member is None:
                    pending.append(application)

            _run_each(self, request, queryset, approve_one, "已处理")
            if pending:
                self.message_user(
                    request, f"{len(pending)} 项须经决策机构表决，已提交表决，议案通过后自动入会。", messages.WARNING
                )
            return None
        return _intermediate(self, request, queryset, form=form, title="批准入会申请", action="approve",
                             button="确认批准")

    @admin.action(description="列入理事会审议议案（一并表决）")
    def gather_for_council(self, request, queryset):
        """000 art. 11 (二): the reviewed applications, listed in one admission motion of the chosen meeting."""
        alliances = {a.alliance for a in queryset.select_related("alliance__rules")}
        meetings = Meeting.objects.filter(
            body__alliance__in=alliances, body__kind__in={a.rules.admission_body_kind for a in alliances},
        ).exclude(status=Meeting.Status.CANCELLED).select_related("body__alliance")
        form = RatificationForm(request.POST if "confirm" in request.POST else None, meetings=meetings)
        if form.is_valid():
            meeting = form.cleaned_data["meeting"]
            try:
                motion = services.applications_ratification_motion_create(
                    actor=request.user, meeting=meeting, applications=queryset.filter(alliance=meeting.body.alliance)
                )
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, "；".join(getattr(exc, "messages", None) or [str(exc)]), messages.ERROR)
            else:
                self.message_user(request, f"已提出议案“{motion.title}”，共 {len(motion.subject_ids)} 项申请。",
                                  messages.SUCCESS)
            return None
        return _intermediate(self, request, queryset, form=form, title="列入理事会审议议案",
                             action="gather_for_council", button="确认提出议案")

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


class MemberEventInline(DecisionsColumn, ViewOnlyInline):
    model = MemberEvent
    fields = ["created_at", "from_status", "to_status", "actor", "reason", "reference", "decisions_col"]
    readonly_fields = fields


@admin.register(Member)
class MemberAdmin(AllianceScopedAdmin):
    list_display = ["number", "name", "kind", "alliance", "status", "admitted_on", "term_ends_on", "liaison_col"]
    list_filter = ["status", "kind", ("certificates__status", CertificateStatusFilter), "alliance"]
    search_fields = ["number", "name", "liaison__name", "liaison__phone"]
    list_select_related = ["alliance", "liaison"]
    inlines = [LiaisonInline, CertificateInline, MemberEventInline]
    actions = ["reissue_certificate", "renew", "record_withdrawal", "withdraw", "suspend", "lift_sanction", "expel",
               "lapse", "export_excel"]
    readonly_fields = ["alliance", "application", "user", "kind", "name", "number", "status", "admitted_on",
                       "term_ends_on", "admission_reference", "withdrawal_requested_on", "withdrawal_effective_on",
                       "decision", "suspended_rights_display", "status_reason", "ended_on"]

    def get_urls(self):
        return roster_urls(self) + super().get_urls()

    def has_add_permission(self, request):
        return False  # members are admitted through applications

    def has_change_permission(self, request, obj=None):
        # Staff act through the actions (renew, withdraw, suspend, expel...); the page itself is read only.
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="已取消的权利")
    def suspended_rights_display(self, obj):
        return obj.suspended_rights_display or "—"

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

    def _form_action(self, request, queryset, *, action, title, done, call, form):
        """An action with an intermediate page: the form, then ``call`` on each row with its cleaned data."""
        if form.is_valid():
            _run_each(self, request, queryset, lambda m: call(m, **form.cleaned_data), done)
            return None
        return _intermediate(self, request, queryset, form=form, title=title, action=action, button=f"确认{title}")

    def _decision(self, request, queryset, *, form_class, kinds, bodies, **form_kwargs):
        """The intermediate page of a decision: a picker of the passed motions that may ground it, by title."""
        rules = [m.alliance.rules for m in queryset.select_related("alliance__rules")]
        decisions = selectors.decision_choices(
            alliances={r.alliance_id for r in rules}, body_kinds={kind for r in rules for kind in bodies(r)},
            kinds=kinds, subjects=queryset,
        )
        action_args = {name: form_kwargs.pop(name) for name in ("action", "title", "done", "call")}
        form = form_class(request.POST if "confirm" in request.POST else None, decisions=decisions, **form_kwargs)
        return self._form_action(request, queryset, form=form, **action_args)

    @admin.action(description="登记书面退出通知（纸质）")
    def record_withdrawal(self, request, queryset):
        return self._form_action(
            request, queryset, action="record_withdrawal", title="登记书面退出通知", done="已登记退出通知",
            form=PaperWithdrawalForm(request.POST if "confirm" in request.POST else None),
            call=lambda m, notice_date, note: services.member_withdrawal_record(
                actor=request.user, member=m, notice_date=notice_date, note=note),
        )

    @admin.action(description="办理退出（通知期满或经批准）")
    def withdraw(self, request, queryset):
        return self._decision(
            request, queryset, action="withdraw", title="办理退出", done="已办理退出", form_class=ConsentForm,
            kinds=services.WITHDRAWAL_KINDS, bodies=lambda r: [r.admission_body_kind],
            call=lambda m, decision: services.member_withdraw(actor=request.user, member=m, decision=decision),
        )

    @admin.action(description="取消部分权利（依决议）")
    def suspend(self, request, queryset):
        return self._decision(
            request, queryset, action="suspend", title="取消部分权利", done="已取消权利", form_class=StepsForm,
            rights=True, kinds=[effects.SANCTION_MEMBER], bodies=lambda r: r.sanction_body_list,
            call=lambda m, decisions, rights: services.member_suspend(
                actor=request.user, member=m, rights=rights, decisions=decisions),
        )

    @admin.action(description="恢复被取消的权利（依决议）")
    def lift_sanction(self, request, queryset):
        return self._decision(
            request, queryset, action="lift_sanction", title="恢复权利", done="已恢复权利", form_class=StepsForm,
            kinds=[effects.SANCTION_MEMBER], bodies=lambda r: r.sanction_body_list,
            call=lambda m, decisions: services.member_sanction_lift(actor=request.user, member=m, decisions=decisions),
        )

    @admin.action(description="除名（依决议）")
    def expel(self, request, queryset):
        return self._decision(
            request, queryset, action="expel", title="除名", done="已除名", form_class=StepsForm,
            kinds=[effects.EXPEL_MEMBER], bodies=lambda r: r.sanction_body_list,
            call=lambda m, decisions: services.member_expel(actor=request.user, member=m, decisions=decisions),
        )

    @admin.action(description="标记为期满未续")
    def lapse(self, request, queryset):
        _run_each(self, request, queryset, lambda m: services.member_lapse(actor=request.user, member=m),
                  "已标记期满未续")

    @admin.action(description="导出所选成员（Excel）")
    def export_excel(self, request, queryset):
        return export_response("members", queryset.select_related("alliance", "liaison", "decision"))
