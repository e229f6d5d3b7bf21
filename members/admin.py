"""Review in the admin: scoped to the staff's alliances; every action goes through a service.

Applications and members are read only here (their data is the applicant's, their states the services'); staff
change them through the actions, each a service call. A unit's liaison is named on the member's page
(``liaison_set``); certificates are issued and re-issued by the services.
"""

from django.utils.translation import gettext, gettext_lazy
import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Func, OuterRef, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from alliance.admin import AllianceScopedAdmin, ViewOnlyInline
from alliance.forms import errors_onto_form

from .exports import export_response
from governance import effects
from governance.models import Meeting, MemberReferral

from . import divisions, selectors, services
from .admin_assessments import MemberAssessmentInline
from .admin_roster import roster_urls
from .forms import ApplicationDecisionForm, ConsentForm, DecisionForm, PaperWithdrawalForm, RatificationForm, StepsForm
from .models import Application, ApplicationEvent, Attachment, Certificate, Kind, Liaison, Member, MemberEvent
from .services.common import Route

# The states a decision is taken in on the application's page (the services say which decision each allows).
DECIDABLE = (Application.Status.SUBMITTED, Application.Status.PENDING_DECISION)


class AttachmentInline(ViewOnlyInline):
    model = Attachment
    fields = ["view_link", "content_type", "size", "created_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("附件"))
    def view_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), obj.original_name
        )


class DecisionsColumn:
    @admin.display(description=gettext_lazy("决定议案"))
    def decisions_col(self, obj):
        return "；".join(motion.title for motion in obj.decisions.all()) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("decisions")


class ApplicationEventInline(DecisionsColumn, ViewOnlyInline):
    model = ApplicationEvent
    fields = ["created_at", "from_status", "to_status", "step", "actor", "reason", "decisions_col"]
    readonly_fields = fields


def _names(records):
    return "、".join(getattr(obj, "display_name", None) or str(obj) for obj in records)


def done_message(done, records, unit):
    """What was done, to how many and to whom: "已批准 3 份申请：甲、乙、丙"."""
    return gettext("%(done)s %(n)s %(unit)s：%(names)s。") % {"done": done, "n": len(records), "unit": unit, "names": _names(records)}


def _refusal_text(exc):
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


def _run_each(modeladmin, request, queryset, call, done):
    succeeded = []
    for obj in queryset:
        try:
            call(obj)
            succeeded.append(obj)
        except (ValidationError, PermissionDenied) as exc:
            modeladmin.message_user(request, gettext("%(record)s：%(refusal)s") % {"record": obj, "refusal": _refusal_text(exc)}, messages.ERROR)
    if succeeded and done:
        modeladmin.message_user(request, done_message(done, succeeded, modeladmin.record_unit), messages.SUCCESS)


def _intermediate(modeladmin, request, queryset, *, form, title, action, button, consequence=""):
    opts = modeladmin.model._meta
    context = {
        "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        **modeladmin.admin_site.each_context(request),
        "title": title, "objects": queryset, "form": form, "action": action, "button": button,
        "consequence": consequence,
        "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "members/admin/decision.html", context)


class ProvinceFilter(admin.SimpleListFilter):
    """The provincial-level divisions of the form's list (members/divisions.py), not a DISTINCT over every
    application."""

    title = gettext_lazy("所在省（自治区、直辖市）")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return [(province, province) for province in divisions.provinces()]

    def queryset(self, request, queryset):
        return queryset.filter(province=self.value()) if self.value() else queryset


@admin.register(Application)
class ApplicationAdmin(AllianceScopedAdmin):
    list_display = ["display_name_col", "kind", "alliance", "status", "region_col", "contact_col", "submitted_at",
                    "attachment_count"]
    list_filter = ["status", "kind", ProvinceFilter, ("submitted_at", admin.DateFieldListFilter), "alliance"]
    search_fields = ["unit_name", "person_name", "contact_name", "head_name", "contact_mobile", "contact_office_phone",
                     "head_phone", "mobile", "office_phone", "email", "contact_email"]
    # No date hierarchy: the submission-date filter above needs no query, the hierarchy two per page.
    list_select_related = ["alliance"]
    inlines = [AttachmentInline, ApplicationEventInline]
    actions = ["approve", "gather_for_council", "reject", "return_for_changes", "export_excel"]
    readonly_fields = ["alliance", "applicant", "kind", "status", "submitted_at", "decided_at", "review_note"]
    record_unit = gettext_lazy("份申请")
    # The applicant's data is what staff decide on: shown open, only the part of the kind applied for.
    fieldsets_by_kind = {
        Kind.UNIT: (gettext_lazy("单位"), [
            "unit_name", "unit_type", "credit_code", ("province", "city", "county"), "head_name", "head_title",
            "head_phone", "head_email", "contact_name", "contact_title", "contact_office_phone", "contact_mobile",
            "contact_email", "contact_im", "description"]),
        Kind.INDIVIDUAL: (gettext_lazy("个人"), [
            "person_name", "gender", "birth_date", "ethnicity", "employer", "professional_title", "position",
            "office_phone", "mobile", "email", "achievements"]),
    }
    # The decisions taken on the change page: the button's name -> its label.
    page_decisions = {"_approve": gettext_lazy("批准"), "_return": gettext_lazy("退回修改"), "_reject": gettext_lazy("不予批准")}

    def get_fieldsets(self, request, obj=None):
        kinds = [obj.kind] if obj is not None else list(self.fieldsets_by_kind)
        return [
            (gettext("申请"), {"fields": self.readonly_fields}),
            *((title, {"fields": fields}) for title, fields in map(self.fieldsets_by_kind.get, kinds)),
            (gettext("共同"), {"fields": ["address", "postcode", "field_of_work", "consent_charter", "consent_voluntary"]}),
        ]

    def get_queryset(self, request):
        # A count per row shown, not a join and GROUP BY over all the applications in every query of the page.
        # A draft is the applicant's until they submit it: staff neither list nor open it.
        attachments = Attachment.objects.filter(application=OuterRef("pk")).order_by()
        return super().get_queryset(request).exclude(status=Application.Status.DRAFT).annotate(
            n_attachments=Subquery(attachments.values(n=Func("pk", function="COUNT")))
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The page staff decide on: the buttons 批准 / 退回修改 / 不予批准 post here with the reason typed on the
        page, to the same services as the actions; a refusal shows the page again with the reason kept."""
        application = self.get_object(request, unquote(object_id))
        if application is None or application.status not in DECIDABLE:
            return super().change_view(request, object_id, form_url, extra_context)
        button = next((name for name in self.page_decisions if name in request.POST), None)
        form = ApplicationDecisionForm(request.POST if button else None, decisions=self._decisions([application]),
                                       needs_decision=application.alliance.rules.admission_route == Route.BODY_CONSENT)
        if button and form.is_valid():
            try:
                message = self._decide(request, application, button, **form.cleaned_data)
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:members_application_changelist")
        if button:  # the page again, read only, with the refusal and what was typed
            request = copy.copy(request)
            request.method = "GET"
        context = {**(extra_context or {}), "decision_form": form, "decision_buttons": self.page_decisions}
        return super().change_view(request, object_id, form_url, context)

    def _decide(self, request, application, button, *, reason, decision=None):
        name = application.display_name
        if button == "_approve":
            member = services.application_approve(actor=request.user, application=application, decision=decision)
            return gettext("已批准申请：%(name)s，已入会。") % {"name": name} if member else gettext("已审查通过申请：%(name)s，已提交表决，议案通过后自动入会。") % {"name": name}
        service = services.application_return if button == "_return" else services.application_reject
        service(actor=request.user, application=application, reason=reason)
        return gettext("已%(decisions)s申请：%(name)s。") % {"decisions": self.page_decisions[button], "name": name}

    def _decisions(self, applications):
        rules = [a.alliance.rules for a in applications]
        return selectors.decision_choices(
            alliances={r.alliance_id for r in rules}, body_kinds={r.admission_body_kind for r in rules},
            kinds=services.CONSENT_KINDS, subjects=Application.objects.filter(pk__in=[a.pk for a in applications]),
        )

    def has_add_permission(self, request):
        return False  # applications come from the public form

    def has_change_permission(self, request, obj=None):
        # Staff decide through the actions; the applicant's text is theirs to change.
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("名称"), ordering="unit_name")
    def display_name_col(self, obj):
        return obj.display_name or gettext("（未填写）")

    @admin.display(description=gettext_lazy("地区"))
    def region_col(self, obj):
        return obj.region

    @admin.display(description=gettext_lazy("联系人/电话"))
    def contact_col(self, obj):
        if obj.kind == "unit":
            return f"{obj.contact_name} {obj.contact_mobile or obj.contact_office_phone}".strip()
        return obj.mobile or obj.office_phone

    @admin.display(description=gettext_lazy("附件数"), ordering="n_attachments")
    def attachment_count(self, obj):
        return obj.n_attachments

    @admin.action(description=gettext_lazy("批准所选申请（可批量）"))
    def approve(self, request, queryset):
        decisions = self._decisions(queryset.select_related("alliance__rules"))
        form = ConsentForm(request.POST if "confirm" in request.POST else None, decisions=decisions)
        if form.is_valid():
            admitted, pending = [], []

            def approve_one(application):
                member = services.application_approve(
                    actor=request.user, application=application, decision=form.cleaned_data["decision"]
                )
                (admitted if member else pending).append(application)

            _run_each(self, request, queryset, approve_one, done=None)
            if admitted:
                self.message_user(request, done_message(gettext("已批准"), admitted, self.record_unit), messages.SUCCESS)
            if pending:
                self.message_user(request, done_message(gettext("已审查通过并提交决策机构表决"), pending, self.record_unit)
                                  + gettext("议案通过后自动入会。"), messages.WARNING)
            return None
        return _intermediate(self, request, queryset, form=form, title=gettext("批准入会申请"), action="approve",
                             button=gettext("确认批准"))

    @admin.action(description=gettext_lazy("列入理事会审议议案（一并表决）"))
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
                self.message_user(request, _refusal_text(exc), messages.ERROR)
            else:
                self.message_user(request, gettext("已提出议案“%(title)s”，共 %(len)s 项申请。") % {"title": motion.title, "len": len(motion.subject_ids)},
                                  messages.SUCCESS)
            return None
        return _intermediate(self, request, queryset, form=form, title=gettext("列入理事会审议议案"),
                             action="gather_for_council", button=gettext("确认提出议案"))

    @admin.action(description=gettext_lazy("不予批准所选申请（须说明理由）"))
    def reject(self, request, queryset):
        return self._with_reason(request, queryset, "reject", gettext("不予批准"), services.application_reject, gettext("已不予批准"))

    @admin.action(description=gettext_lazy("退回修改（须说明理由）"))
    def return_for_changes(self, request, queryset):
        return self._with_reason(request, queryset, "return_for_changes", gettext("退回修改"), services.application_return,
                                 gettext("已退回"))

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
        return _intermediate(self, request, queryset, form=form, title=title, action=action, button=gettext("确认%(title)s") % {"title": title})

    @admin.action(description=gettext_lazy("导出所选申请（Excel）"))
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

    @admin.display(description=gettext_lazy("证书"))
    def download(self, obj):
        if not obj.file:
            return obj.get_status_display()
        return format_html(gettext('<a href="{}">下载</a>'), reverse("members:certificate_download", args=[obj.pk]))

    @admin.display(description=gettext_lazy("验证页"))
    def verify(self, obj):
        return format_html(gettext('<a href="{}" target="_blank">打开</a>'), obj.get_verify_url())


class CertificateStatusFilter(admin.ChoicesFieldListFilter):
    """Members by their certificates' PDF status, to find those whose certificate could not be made."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext("证书状态")


class MemberEventInline(DecisionsColumn, ViewOnlyInline):
    model = MemberEvent
    fields = ["created_at", "from_status", "to_status", "actor", "step_col", "reason", "reference", "decisions_col"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("事项"))
    def step_col(self, event):
        return event.step_text


class MemberReferralInline(ViewOnlyInline):
    """001 art. 22 (一): the member's violations reported to the authorities (recorded in 组织治理 › 向有关部门反映)."""

    model = MemberReferral
    fields = ["referred_on", "addressee", "summary", "decision", "recorded_by"]
    readonly_fields = fields


@admin.register(Member)
class MemberAdmin(AllianceScopedAdmin):
    list_display = ["number", "name", "kind", "alliance", "status", "admitted_on", "term_ends_on", "liaison_col"]
    list_filter = ["status", "kind", ("certificates__status", CertificateStatusFilter), "alliance"]
    search_fields = ["number", "name", "liaison__name", "liaison__phone"]
    list_select_related = ["alliance", "liaison"]
    inlines = [LiaisonInline, CertificateInline, MemberEventInline, MemberAssessmentInline, MemberReferralInline]
    actions = ["reissue_certificate", "renew", "record_withdrawal", "withdraw", "suspend", "lift_sanction", "expel",
               "lapse", "export_excel"]
    record_unit = gettext_lazy("个成员")
    readonly_fields = ["alliance", "application", "user", "kind", "name", "credit_code", "number", "status",
                       "admitted_on", "term_ends_on", "admission_reference", "withdrawal_requested_on", "withdrawal_effective_on",
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

    @admin.display(description=gettext_lazy("已取消的权利"))
    def suspended_rights_display(self, obj):
        return obj.suspended_rights_display or "—"

    @admin.display(description=gettext_lazy("联络员"))
    def liaison_col(self, obj):
        liaison = getattr(obj, "liaison", None)
        return f"{liaison.name} {liaison.phone}" if liaison else "—"

    @admin.action(description=gettext_lazy("换发证书（原证书作废）"))
    def reissue_certificate(self, request, queryset):
        issued = []
        response = self._confirmed(
            request, queryset, action="reissue_certificate", title=gettext("换发证书"), done=gettext("已换发证书"),
            consequence=gettext("每个成员的现有证书将被作废（验证页显示已作废，不可恢复），并生成新证书。"),
            call=lambda m: issued.append(services.certificate_reissue(actor=request.user, member=m).pk),
        )
        if response is None and issued:
            # The workers render the new certificates; the progress page follows them.
            return redirect(f"{reverse('admin:members_member_certificates_progress')}?ids={','.join(map(str, issued))}")
        return response

    @admin.action(description=gettext_lazy("续期（按章程任期）"))
    def renew(self, request, queryset):
        return self._confirmed(
            request, queryset, action="renew", title=gettext("续期"), done=gettext("已续期"),
            consequence=gettext("每个成员的任期将按章程规定的任期年限延长。"),
            call=lambda m: services.member_renew(actor=request.user, member=m),
        )

    def _confirmed(self, request, queryset, **action_args):
        """An action without input, done once its intermediate page is confirmed (a GET or the first POST asks)."""
        form = forms.Form(request.POST if "confirm" in request.POST else None)
        return self._form_action(request, queryset, form=form, **action_args)

    def _form_action(self, request, queryset, *, action, title, done, call, form, consequence=""):
        """An action with an intermediate page: the form, then ``call`` on each row with its cleaned data."""
        if form.is_valid():
            _run_each(self, request, queryset, lambda m: call(m, **form.cleaned_data), done)
            return None
        return _intermediate(self, request, queryset, form=form, title=title, action=action, button=gettext("确认%(title)s") % {"title": title},
                             consequence=consequence)

    def _decision(self, request, queryset, *, form_class, kinds, bodies, **form_kwargs):
        """The intermediate page of a decision: a picker of the passed motions that may ground it, by title."""
        rules = [m.alliance.rules for m in queryset.select_related("alliance__rules")]
        decisions = selectors.decision_choices(
            alliances={r.alliance_id for r in rules}, body_kinds={kind for r in rules for kind in bodies(r)},
            kinds=kinds, subjects=queryset,
        )
        action_args = {name: form_kwargs.pop(name) for name in ("action", "title", "done", "call", "consequence")}
        form = form_class(request.POST if "confirm" in request.POST else None, decisions=decisions, **form_kwargs)
        return self._form_action(request, queryset, form=form, **action_args)

    @admin.action(description=gettext_lazy("登记书面退出通知（纸质）"))
    def record_withdrawal(self, request, queryset):
        return self._form_action(
            request, queryset, action="record_withdrawal", title=gettext("登记书面退出通知"), done=gettext("已登记退出通知"),
            consequence=gettext("将登记书面退出通知；退出自通知日期起按章程规定的通知期生效。"),
            form=PaperWithdrawalForm(request.POST if "confirm" in request.POST else None),
            call=lambda m, notice_date, note: services.member_withdrawal_record(
                actor=request.user, member=m, notice_date=notice_date, note=note),
        )

    @admin.action(description=gettext_lazy("办理退出（通知期满或经批准）"))
    def withdraw(self, request, queryset):
        return self._decision(
            request, queryset, action="withdraw", title=gettext("办理退出"), done=gettext("已办理退出"), form_class=ConsentForm,
            consequence=gettext("所选成员将退出联盟，成员资格终止，不可撤销。"),
            kinds=services.WITHDRAWAL_KINDS, bodies=lambda r: [r.admission_body_kind],
            call=lambda m, decision: services.member_withdraw(actor=request.user, member=m, decision=decision),
        )

    @admin.action(description=gettext_lazy("取消部分权利（依决议）"))
    def suspend(self, request, queryset):
        return self._decision(
            request, queryset, action="suspend", title=gettext("取消部分权利"), done=gettext("已取消权利"), form_class=StepsForm,
            consequence=gettext("所选成员将被取消所勾选的权利（其代表不能表决或被选举，视所取消的权利而定），直至依决议恢复。"),
            rights=True, kinds=[effects.SANCTION_MEMBER], bodies=lambda r: r.sanction_body_list,
            call=lambda m, decisions, rights: services.member_suspend(
                actor=request.user, member=m, rights=rights, decisions=decisions),
        )

    @admin.action(description=gettext_lazy("恢复被取消的权利（依决议）"))
    def lift_sanction(self, request, queryset):
        return self._decision(
            request, queryset, action="lift_sanction", title=gettext("恢复权利"), done=gettext("已恢复权利"), form_class=StepsForm,
            consequence=gettext("所选成员被取消的权利将全部恢复。"),
            kinds=[effects.SANCTION_MEMBER], bodies=lambda r: r.sanction_body_list,
            call=lambda m, decisions: services.member_sanction_lift(actor=request.user, member=m, decisions=decisions),
        )

    @admin.action(description=gettext_lazy("除名（依决议）"))
    def expel(self, request, queryset):
        return self._decision(
            request, queryset, action="expel", title=gettext("除名"), done=gettext("已除名"), form_class=StepsForm,
            consequence=gettext("所选成员将被除名，成员资格终止，不可撤销。"),
            kinds=[effects.EXPEL_MEMBER], bodies=lambda r: r.sanction_body_list,
            call=lambda m, decisions: services.member_expel(actor=request.user, member=m, decisions=decisions),
        )

    @admin.action(description=gettext_lazy("标记为期满未续"))
    def lapse(self, request, queryset):
        return self._confirmed(
            request, queryset, action="lapse", title=gettext("标记为期满未续"), done=gettext("已标记期满未续"),
            consequence=gettext("每个成员将标记为期满未续，不再是本联盟的在册成员。"),
            call=lambda m: services.member_lapse(actor=request.user, member=m),
        )

    @admin.action(description=gettext_lazy("导出所选成员（Excel）"))
    def export_excel(self, request, queryset):
        return export_response("members", queryset.select_related("alliance", "liaison", "decision"))
