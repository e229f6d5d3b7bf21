"""The admin of the secretariat's records of decisions and of what the members undertook together: follow-ups of
resolutions, annual work reports (002 art. 7), shared targets (002 art. 8 (二)), lead tasks and agreements (003).

Every add and change goes through governance.services; nothing here is deleted.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from alliance.admin import AddOnlyMixin, AllianceScopedAdmin, ViewOnlyInline, became

from . import services
from .admin import ServiceWrittenAdmin, _passed_motions
from .models import Agreement, AnnualReport, LeadTask, ResolutionFollowUp, Target, TargetProgress
from .services.cooperation import AGREEMENT_FIELDS, AGREEMENT_FILE, TARGET_FIELDS, TASK_FIELDS
from .services.reports import FOLLOW_UP_FIELDS, REPORT_FIELDS


@admin.register(ResolutionFollowUp)
class ResolutionFollowUpAdmin(ServiceWrittenAdmin):
    """002 art. 7: the secretariat carries out the resolutions of the assembly and the council."""

    alliance_path = "motion__meeting__body__alliance"
    list_display = ["motion", "acted_on", "is_done", "recorded_by"]
    list_filter = ["is_done", "motion__meeting__body__kind", "motion__meeting__body__alliance"]
    search_fields = ["motion__title", "action"]
    list_select_related = ["motion", "recorded_by", "motion__meeting__body__alliance"]
    fields = ["motion", *FOLLOW_UP_FIELDS, "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    parent_field, written_fields, row_argument = "motion", FOLLOW_UP_FIELDS, "follow_up"
    create_service, update_service = staticmethod(services.follow_up_record), staticmethod(services.follow_up_update)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "motion":
            kwargs["queryset"] = _passed_motions(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AnnualReport)
class AnnualReportAdmin(ServiceWrittenAdmin):
    """The secretariat drafts; an approve-report motion of the council naming the report approves it (the motion's
    own page), and a worker files it as a PDF sent to the supervising authority."""

    list_display = ["title", "alliance", "year", "status", "approved_on", "pdf_status"]
    list_filter = ["status", "pdf_status", "alliance"]
    search_fields = ["title", "text"]
    list_select_related = ["alliance"]
    fields = ["alliance", *REPORT_FIELDS, "status", "approved_by_motion", "approved_on", "pdf_link", "pdf_status",
              "attempts", "last_error"]
    readonly_fields = ["status", "approved_by_motion", "approved_on", "pdf_link", "pdf_status", "attempts",
                       "last_error"]
    written_fields, row_argument = REPORT_FIELDS, "report"
    create_service = staticmethod(services.annual_report_create)
    update_service = staticmethod(services.annual_report_update)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status != AnnualReport.Status.DRAFT:
            return [*fields, *REPORT_FIELDS]
        return fields

    @admin.display(description=gettext_lazy("报告 PDF"))
    def pdf_link(self, obj):
        if not obj.pdf:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("governance:annual_report_pdf", args=[obj.pk]), obj.title)


class TargetProgressInline(ViewOnlyInline):
    model = TargetProgress
    fields = ["recorded_on", "value", "note", "recorded_by"]
    readonly_fields = fields


@admin.register(Target)
class TargetAdmin(ServiceWrittenAdmin):
    list_display = ["title", "alliance", "threshold", "unit", "start_date", "end_date"]
    list_filter = ["alliance"]
    search_fields = ["title", "measure"]
    list_select_related = ["alliance"]
    fields = ["alliance", *TARGET_FIELDS]
    inlines = [TargetProgressInline]
    written_fields, row_argument = TARGET_FIELDS, "target"
    create_service, update_service = staticmethod(services.target_create), staticmethod(services.target_update)


@admin.register(TargetProgress)
class TargetProgressAdmin(AddOnlyMixin, AllianceScopedAdmin):
    """A value recorded again for the same date corrects it (target_progress_record); history keeps both."""

    alliance_path = "target__alliance"
    list_display = ["target", "recorded_on", "value", "recorded_by"]
    list_filter = ["target__alliance"]
    list_select_related = ["target__alliance", "recorded_by"]
    fields = ["target", "recorded_on", "value", "note"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        became(obj, self.call_service(services.target_progress_record, actor=request.user, target=data["target"],
                                       recorded_on=data["recorded_on"], value=data["value"], note=data["note"]))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class ProgressForm(form_class):
            def validate_unique(self):
                pass  # a second entry for a date corrects the first (the service)

        return ProgressForm


@admin.register(LeadTask)
class LeadTaskAdmin(ServiceWrittenAdmin):
    list_display = ["title", "lead_member", "alliance", "order"]
    list_filter = ["alliance"]
    search_fields = ["title", "lead_member__name"]
    list_select_related = ["alliance", "lead_member"]
    fields = ["alliance", *TASK_FIELDS]
    written_fields, row_argument = TASK_FIELDS, "task"
    create_service, update_service = staticmethod(services.lead_task_create), staticmethod(services.lead_task_update)


@admin.register(Agreement)
class AgreementAdmin(ServiceWrittenAdmin):
    list_display = ["title", "alliance", "signed_on", "signing"]
    list_filter = ["signing", "alliance"]
    search_fields = ["title", "parties"]
    list_select_related = ["alliance"]
    fields = ["alliance", *AGREEMENT_FIELDS, "file"]
    written_fields, row_argument = AGREEMENT_FIELDS, "agreement"
    create_service, update_service = staticmethod(services.agreement_create), staticmethod(services.agreement_update)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "file":
            field.help_text = AGREEMENT_FILE.help_text
        return field

    def service_values(self, form):
        upload = form.cleaned_data.get("file") if "file" in form.changed_data else None
        return {**super().service_values(form), "file": upload or None}
