"""Staff work on the call, assignments, 公示, pairings and activities here; every row is scoped to their alliances."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from alliance.admin import AllianceScopedAdmin
from alliance.permissions import scope_to_managed

from . import services
from .models import (
    Activity, ActivityTeacher, Application, AppointmentLetter, Assignment, Award, Pairing, Project, ProjectExpert,
    ProvincialContact, ProvincialOrganiser, ReviewCriterion, School, SelectionNotice, SubjectGrade, TeamMember,
    Textbook,
)

# How each related model reaches its alliance, so FK choices in every form stay inside the staff's alliances.
PATHS = {
    Project: "alliance",
    SubjectGrade: "project__alliance",
    Application: "project__alliance",
    Pairing: "project__alliance",
    Activity: "pairing__project__alliance",
    TeamMember: "application__project__alliance",
    ReviewCriterion: "project__alliance",
}


class ScopedChoicesMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = PATHS.get(db_field.related_model)
        if path:
            qs = kwargs.get("queryset", db_field.related_model._default_manager.all())
            kwargs["queryset"] = scope_to_managed(qs, request.user, path=path)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProjectAdminBase(ScopedChoicesMixin, AllianceScopedAdmin):
    alliance_path = "project__alliance"


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    extra = 0


class SubjectGradeInline(ScopedInline):
    model = SubjectGrade


class CriterionInline(ScopedInline):
    model = ReviewCriterion


class OrganiserInline(ScopedInline):
    model = ProvincialOrganiser
    raw_id_fields = ["user"]


class ExpertInline(ScopedInline):
    model = ProjectExpert
    raw_id_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(ScopedChoicesMixin, AllianceScopedAdmin):
    alliance_path = "alliance"
    list_display = ["title", "alliance", "deadline", "starts_on", "ends_on", "rate_per_class_hour"]
    list_select_related = ["alliance"]
    search_fields = ["title", "notice_title"]
    inlines = [SubjectGradeInline, CriterionInline, OrganiserInline, ExpertInline]
    fieldsets = [
        (None, {"fields": ["alliance", "title", "slug", "notice_title", "notice_date", "summary", "contact_text",
                           "is_published"]}),
        ("日期", {"fields": ["starts_on", "ends_on", "deadline"]}),
        ("遴选规则", {"fields": ["counties_min_per_province", "counties_max_per_province",
                             "county_team_min_per_subject", "community_team_min", "community_team_max"]}),
        ("补贴", {"fields": ["rate_per_class_hour"]}),
    ]


class SchoolInline(ScopedInline):
    model = School


class TextbookInline(ScopedInline):
    model = Textbook


class TeamInline(ScopedInline):
    model = TeamMember
    fields = ["subject", "name", "gender", "employer", "title", "phone", "email", "role", "duty", "order"]


class AwardInline(ScopedInline):
    model = Award


class AssignmentInline(ScopedInline):
    model = Assignment
    fields = ["expert", "assigned_by", "scored_at", "comment"]
    readonly_fields = ["assigned_by", "scored_at", "comment"]
    raw_id_fields = ["expert"]


@admin.register(Application)
class ApplicationAdmin(ProjectAdminBase):
    list_display = ["__str__", "kind", "province", "is_sanqu_sanzhou", "status", "submitted_at", "project"]
    list_filter = ["kind", "status", "is_sanqu_sanzhou", "province", "project"]
    list_select_related = ["project", "subject"]
    search_fields = ["applicant_unit", "county", "organising_unit", "leader_name"]
    readonly_fields = ["status", "submitted_at", "created_by", "scan_link", "pdf_version"]
    inlines = [SchoolInline, TextbookInline, TeamInline, AwardInline, AssignmentInline]
    # Private files are never linked from MEDIA_URL; they open through the permission-checked views.
    exclude = ["opinion_scan", "pdf_file"]

    @admin.display(description="盖章意见扫描件 / 打印版")
    def scan_link(self, obj):
        if not obj.pk:
            return "-"
        links = [format_html('<a href="{}">打印版 PDF</a>', reverse("projects:application_pdf", args=[obj.pk]))]
        if obj.opinion_scan:
            links.append(format_html('<a href="{}">{}</a>', reverse("projects:application_scan", args=[obj.pk]),
                                     obj.opinion_scan_name or "扫描件"))
        return format_html_join(" · ", "{}", ((link,) for link in links))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            return super().save_formset(request, form, formset, change)
        # New assignments go through the service (expert must be on the project; drafts are refused).
        for obj in formset.save(commit=False):
            if obj.pk:
                continue
            try:
                services.assignment_create(actor=request.user, application=form.instance, expert=obj.expert)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Assignment)
class AssignmentAdmin(ProjectAdminBase):
    alliance_path = "application__project__alliance"
    list_display = ["application", "expert", "assigned_at", "scored_at"]
    list_select_related = ["application__project", "application__subject", "expert"]
    list_filter = ["application__kind", "scored_at"]
    raw_id_fields = ["expert"]
    readonly_fields = ["assigned_by", "scored_at", "comment"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "application":
            kwargs["queryset"] = scope_to_managed(
                Application.objects.exclude(status="draft").select_related("project", "subject"), request.user,
                path="project__alliance")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            created = services.assignment_create(actor=request.user, application=obj.application, expert=obj.expert)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            created = None
        if created:
            obj.pk = created.pk


@admin.register(ProvincialContact)
class ContactAdmin(ProjectAdminBase):
    list_display = ["province", "project", "status", "head_name", "contact_name", "contact_mobile", "submitted_at"]
    list_select_related = ["project"]
    list_filter = ["status", "project"]


@admin.register(SelectionNotice)
class NoticeAdmin(ProjectAdminBase):
    list_display = ["title", "project", "starts_on", "ends_on", "published_at", "finalised_at"]
    list_select_related = ["project"]
    readonly_fields = ["published_at", "finalised_at"]
    filter_horizontal = ["applications"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "applications":
            kwargs["queryset"] = scope_to_managed(Application.objects.select_related("subject"), request.user,
                                                  path="project__alliance")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(AppointmentLetter)
class LetterAdmin(ProjectAdminBase):
    alliance_path = "application__project__alliance"
    list_display = ["number", "application", "issued_on", "status"]
    list_select_related = ["application__project", "application__subject"]
    readonly_fields = ["application", "number", "issued_on", "status", "pdf_link", "attempts", "last_error"]
    exclude = ["file", "claimed_at"]

    @admin.display(description="PDF")
    def pdf_link(self, obj):
        if not obj.file:
            return "-"
        return format_html('<a href="{}">{}.pdf</a>', reverse("projects:letter_pdf", args=[obj.pk]), obj.number)

    def has_add_permission(self, request):
        return False


class ActivityInline(ScopedInline):
    model = Activity
    fields = ["kind", "date", "class_hours", "topic", "teaching_points", "rural_schools"]
    show_change_link = True


@admin.register(Pairing)
class PairingAdmin(ProjectAdminBase):
    list_display = ["__str__", "subject", "grade", "starts_on"]
    list_select_related = ["community__subject", "county", "subject"]
    list_filter = ["project", "subject"]
    inlines = [ActivityInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("community", "county"):
            kind = "community" if db_field.name == "community" else "county"
            kwargs["queryset"] = scope_to_managed(
                Application.objects.filter(kind=kind, status="final").select_related("subject"), request.user,
                path="project__alliance")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ActivityTeacherInline(ScopedInline):
    model = ActivityTeacher
    raw_id_fields = ["member"]


@admin.register(Activity)
class ActivityAdmin(ProjectAdminBase):
    alliance_path = "pairing__project__alliance"
    list_display = ["date", "kind", "class_hours", "pairing"]
    list_select_related = ["pairing__community__subject", "pairing__county", "pairing__subject"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    inlines = [ActivityTeacherInline]
