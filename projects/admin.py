"""Staff work on the call, assignments, 公示, pairings and activities here; every row is scoped to their alliances.

Every write goes through projects/services.py: the call's settings and its tables through the project form,
assignments, 公示, pairings and activities through their add forms. What a service owns and has no form for
(applications, contact forms, letters, and a published 公示, pairing or activity) is shown read only.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from alliance.admin import (
    AddOnlyMixin, AllianceScopedAdmin, ViewOnlyInline, ViewOnlyMixin, became, formset_written,
)
from alliance.permissions import scope_to_managed

from . import selectors, services
from .models import (
    Activity, ActivityTeacher, Application, AppointmentLetter, Assignment, Award, Pairing, Project, ProjectExpert,
    ProvincialContact, ProvincialOrganiser, ReviewCriterion, School, SelectionCorrection, SelectionNotice,
    SubjectGrade, TeamMember, Textbook,
)

class ProjectAdminBase(AllianceScopedAdmin):
    alliance_path = "project__alliance"


class AddOnlyAdmin(AddOnlyMixin, ProjectAdminBase):
    """Added through a service by its add form; afterwards a record, read only (fields plus ``shown_fields``)."""

    shown_fields = []

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*self.shown_fields, *fields] if obj else fields


class ScopedInline(admin.TabularInline):
    """An inline of a project admin (its choices are scoped by AllianceScopedAdmin's pickers)."""

    extra = 0


# ---- the call ----------------------------------------------------------------------------------------------------

class SubjectGradeInline(ScopedInline):
    model = SubjectGrade


class CriterionInline(ScopedInline):
    model = ReviewCriterion


class AccountForm(forms.ModelForm):
    email = forms.EmailField(label=_("账号（电子邮箱）"), help_text=_("对方注册时使用的电子邮箱"))


class AccountRoleInline(ScopedInline):
    """An account's role in the project, named by e-mail: added and removed through the service (the account is
    found by its exact address, so no list of accounts is shown), never edited (remove it and add it again)."""

    form = AccountForm

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("账号（电子邮箱）"))
    def email(self, row):
        return str(row.user)


class OrganiserInline(AccountRoleInline):
    model = ProvincialOrganiser
    fields = ["email", "province", "unit_name"]


class ExpertInline(AccountRoleInline):
    model = ProjectExpert
    fields = ["email", "title"]


@admin.register(Project)
class ProjectAdmin(AllianceScopedAdmin):
    alliance_path = "alliance"
    list_display = ["title", "alliance", "deadline", "starts_on", "ends_on", "rate_per_class_hour"]
    list_select_related = ["alliance"]
    search_fields = ["title", "notice_title"]
    inlines = [SubjectGradeInline, CriterionInline, OrganiserInline, ExpertInline]
    fieldsets = [
        (None, {"fields": ["alliance", "title", "slug", "notice_title", "notice_date", "summary", "contact_text",
                           "is_published"]}),
        (_("日期"), {"fields": ["starts_on", "ends_on", "deadline"]}),
        (_("遴选规则"), {"fields": ["counties_min_per_province", "counties_max_per_province",
                             "county_team_min_per_group", "community_team_min", "community_team_max",
                             "sanqu_priority", "notice_min_days"]}),
        (_("补贴"), {"fields": ["rate_per_class_hour"]}),
    ]
    TABLES = {SubjectGrade: services.subjects_save, ReviewCriterion: services.criteria_save}
    # model: (add service, remove service, the remove service's keyword, the inline's fields)
    ROLES = {
        ProvincialOrganiser: (services.organiser_add, services.organiser_remove, "organiser",
                              OrganiserInline.fields),
        ProjectExpert: (services.expert_add, services.expert_remove, "expert", ExpertInline.fields),
    }

    def get_readonly_fields(self, request, obj=None):
        return ["alliance"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        self.call_service(services.project_save, actor=request.user, project=obj)

    def save_formset(self, request, form, formset, change):
        project, actor = form.instance, request.user
        if formset.model in self.TABLES:
            saved = formset.save(commit=False)
            if saved or formset.deleted_objects:
                self.call_service(self.TABLES[formset.model], actor=actor, project=project, saved=saved,
                                  deleted=formset.deleted_objects)
            return
        add, remove, key, names = self.ROLES[formset.model]
        removing = formset.deleted_forms
        removed = [f.instance for f in formset.initial_forms if f in removing]
        for row in removed:
            self.call_service(remove, actor=actor, **{key: row})
        added = [self.call_service(add, actor=actor, project=project, **{name: f.cleaned_data[name] for name in names})
                 for f in formset.extra_forms if f.has_changed() and f not in removing]
        formset_written(formset, new=added, deleted=removed)


# ---- applications (filed on the site; read here) -------------------------------------------------------------------

class SchoolInline(ViewOnlyInline):
    model = School


class TextbookInline(ViewOnlyInline):
    model = Textbook


class TeamInline(ViewOnlyInline):
    model = TeamMember
    fields = ["subject", "grade", "name", "gender", "employer", "title", "phone", "email", "role", "duty", "order"]


class AwardInline(ViewOnlyInline):
    model = Award
    fields = ["title", "year", "evidence_link", "order"]
    readonly_fields = ["evidence_link"]

    @admin.display(description=_("证明材料图片"))
    def evidence_link(self, award):
        # A private file: opened through the permission-checked view, never from MEDIA_URL.
        if not award.evidence:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("projects:award_evidence", args=[award.pk]), _("查看"))


class AssignmentInline(ViewOnlyInline):
    model = Assignment
    fields = ["expert", "assigned_by", "assigned_at", "scored_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ViewOnlyMixin, ProjectAdminBase):
    """Read only: organisers file and submit on the site, staff select and publish through the services."""

    list_display = ["__str__", "kind", "province", "is_sanqu_sanzhou", "status", "submitted_at", "project"]
    list_filter = ["kind", "status", "is_sanqu_sanzhou", "province", "pdf_status", "project"]
    list_select_related = ["project", "subject"]
    search_fields = ["applicant_unit", "county", "organising_unit", "leader_name"]
    readonly_fields = ["status", "submitted_at", "created_by", "scan_link", "pdf_version", "pdf_status", "attempts",
                       "last_error", "assign_link"]
    inlines = [SchoolInline, TextbookInline, TeamInline, AwardInline, AssignmentInline]
    # Private files are never linked from MEDIA_URL; they open through the permission-checked views.
    exclude = ["applicant_scan", "organiser_opinion_scan", "opinion_scan", "pdf_file", "claimed_at", "retry_at"]

    @admin.display(description=_("盖章扫描件 / 打印版"))
    def scan_link(self, obj):
        if not obj.pk:
            return "-"
        links = [format_html(_('<a href="{}">打印版 PDF</a>'), reverse("projects:application_pdf", args=[obj.pk]))]
        for field, block, scan, name in obj.scans():
            if scan:
                links.append(format_html(_('<a href="{}">{}：{}</a>'), reverse("projects:application_scan",
                                                                         args=[obj.pk, field]), block, name or _("扫描件")))
        return format_html_join(" · ", "{}", ((link,) for link in links))

    @admin.display(description=_("评审分配"))
    def assign_link(self, obj):
        if not obj.pk or obj.status == Application.Status.DRAFT:
            return "-"
        return format_html('<a href="{}?application={}">{}</a>', reverse("admin:projects_assignment_add"), obj.pk,
                           _("分配评审专家"))


@admin.register(Assignment)
class AssignmentAdmin(ProjectAdminBase):
    """Assignments are made, given to another expert and withdrawn through the services, until scored."""

    alliance_path = "application__project__alliance"
    list_display = ["application", "expert", "assigned_at", "scored_at"]
    list_select_related = ["application__project", "application__subject", "expert"]
    list_filter = ["application__kind", "scored_at"]
    fields = ["application", "expert", "assigned_by", "scored_at", "comment"]
    readonly_fields = ["assigned_by", "scored_at", "comment"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "application"] if obj else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.scored_at)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.scored_at)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, so each refusal is shown
        return actions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "application":
            kwargs["queryset"] = scope_to_managed(
                Application.objects.exclude(status="draft").select_related("project", "subject"), request.user,
                path="project__alliance")
        elif db_field.name == "expert":
            kwargs["queryset"] = selectors.expert_choices_for(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            saved = self.call_service(services.assignment_change, actor=request.user, assignment=obj,
                                      expert=obj.expert)
        else:
            saved = self.call_service(services.assignment_create, actor=request.user, application=obj.application,
                                      expert=obj.expert)
        became(obj, saved)

    def delete_model(self, request, obj):
        self.call_service(services.assignment_remove, actor=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            self.delete_model(request, assignment)


@admin.register(ProvincialContact)
class ContactAdmin(ViewOnlyMixin, ProjectAdminBase):
    """Filed and submitted by the provincial organiser on the site."""

    list_display = ["province", "project", "status", "head_name", "contact_name", "contact_mobile", "submitted_at"]
    list_select_related = ["project"]
    list_filter = ["status", "project"]
    # The private scan opens through the permission-checked view, never from MEDIA_URL.
    exclude = ["scan"]
    readonly_fields = ["scan_link"]

    @admin.display(description=_("盖章扫描件"))
    def scan_link(self, obj):
        if not obj.scan:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("projects:contact_scan_province",
                                                          args=[obj.project_id, obj.province]), obj.scan_name or _("扫描件"))


@admin.register(SelectionNotice)
class NoticeAdmin(AddOnlyAdmin):
    """公示: published through the service with every selected application; made final on the selection page."""

    list_display = ["title", "project", "starts_on", "ends_on", "published_at", "finalised_at"]
    list_select_related = ["project"]
    fields = ["project", "title", "body", "starts_on", "ends_on", "contact"]
    shown_fields = ["applications", "published_at", "finalised_at"]

    def save_model(self, request, obj, form, change):
        notice = self.call_service(services.notice_publish, actor=request.user, project=obj.project,
                                   title=obj.title, body=obj.body, starts_on=obj.starts_on, ends_on=obj.ends_on,
                                   contact=obj.contact)
        became(obj, notice)


@admin.register(SelectionCorrection)
class CorrectionAdmin(ViewOnlyMixin, ProjectAdminBase):
    """Corrections of a confirmed final list, recorded on the selection page with their reasons."""

    list_display = ["application", "selected", "reason", "decided_by", "decided_at", "project"]
    list_select_related = ["application__project", "application__subject", "decided_by", "project"]
    list_filter = ["selected", "project"]


@admin.register(AppointmentLetter)
class LetterAdmin(ViewOnlyMixin, ProjectAdminBase):
    alliance_path = "application__project__alliance"
    list_display = ["number", "application", "issued_on", "revoked_on", "status"]
    list_filter = ["status"]
    list_select_related = ["application__project", "application__subject"]
    readonly_fields = ["application", "number", "issued_on", "revoked_on", "status", "pdf_link", "attempts",
                       "last_error", "retry_at"]
    exclude = ["file", "claimed_at"]

    @admin.display(description="PDF")
    def pdf_link(self, obj):
        if not obj.file:
            return "-"
        return format_html('<a href="{}">{}.pdf</a>', reverse("projects:letter_pdf", args=[obj.pk]), obj.number)


# ---- pairing and tracking ----------------------------------------------------------------------------------------

class ActivityInline(ViewOnlyInline):
    model = Activity
    fields = ["kind", "date", "class_hours", "topic", "teaching_points", "rural_schools"]
    show_change_link = True


class PairingForm(forms.ModelForm):
    leader_email = forms.EmailField(
        label=_("名师教研共同体负责人账号（电子邮箱）"), required=False,
        help_text=_("负责人在网站上记录本结对的活动；须已注册"))


@admin.register(Pairing)
class PairingAdmin(AddOnlyAdmin):
    list_display = ["__str__", "subject", "grade", "starts_on"]
    list_select_related = ["community__subject", "county", "subject"]
    list_filter = ["project", "subject"]
    form = PairingForm
    fields = ["community", "county", "subject", "grade", "starts_on", "notes", "leader_email"]
    shown_fields = ["project", "leader"]
    inlines = [ActivityInline]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [name for name in fields if name != "leader_email"] if obj else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("community", "county"):
            kind = "community" if db_field.name == "community" else "county"
            kwargs["queryset"] = scope_to_managed(
                Application.objects.filter(kind=kind, status="final").select_related("subject"), request.user,
                path="project__alliance")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        pairing = self.call_service(services.pairing_create, actor=request.user, community=obj.community,
                                    county=obj.county, subject=obj.subject, grade=obj.grade,
                                    starts_on=obj.starts_on, notes=obj.notes,
                                    leader_email=form.cleaned_data.get("leader_email", ""))
        became(obj, pairing)


class ActivityTeacherForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].required = True


class ActivityTeacherInline(ScopedInline):
    """The teachers' class hours, entered with the activity and recorded with it by the service."""

    model = ActivityTeacher
    form = ActivityTeacherForm
    fields = ["member", "hours", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]
    extra = 3
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return obj is None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(AddOnlyAdmin):
    alliance_path = "pairing__project__alliance"
    list_display = ["date", "kind", "class_hours", "pairing", "unconfirmed"]
    list_select_related = ["pairing__community__subject", "pairing__county", "pairing__subject"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    fields = ["pairing", "kind", "date", "class_hours", "topic", "teaching_points", "rural_schools", "notes"]
    inlines = [ActivityTeacherInline]
    actions = ["confirm_hours"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            unconfirmed_count=Count("teachers", filter=Q(teachers__confirmed_at__isnull=True)))

    @admin.display(description=_("待确认课时"), ordering="unconfirmed_count")
    def unconfirmed(self, activity):
        return activity.unconfirmed_count or "—"

    @admin.action(description=_("确认所选活动的课时"))
    def confirm_hours(self, request, queryset):
        confirmed, activities = 0, []
        for activity in queryset.select_related("pairing__project__alliance").order_by("pk"):
            try:
                rows = services.activity_confirm(actor=request.user, activity=activity)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, _("%(activity)s：%(join)s") % {"activity": activity, "join": _("；").join(exc.messages)}, messages.ERROR)
            else:
                confirmed += len(rows)
                activities += [str(activity)] if rows else []
        self.message_user(request, _("已确认 %(n)d 条课时记录：%(activities)s。")
                          % {"n": confirmed, "activities": _("、").join(activities) or _("无待确认课时")}, messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        """Nothing yet: the activity is recorded with its teachers' hours in save_related."""

    def save_related(self, request, form, formsets, change):
        activity, rows = form.instance, []
        for formset in formsets:
            rows += [f.cleaned_data for f in formset.extra_forms if f.has_changed()]
        recorded = self.call_service(
            services.activity_record, actor=request.user, pairing=activity.pairing, kind=activity.kind,
            date=activity.date, class_hours=activity.class_hours, topic=activity.topic,
            teaching_points=activity.teaching_points, rural_schools=activity.rural_schools, notes=activity.notes,
            teachers=[(row["member"], row["hours"]) for row in rows])
        became(activity, recorded)
        for formset in formsets:
            formset_written(formset, new=recorded.teachers.all())
