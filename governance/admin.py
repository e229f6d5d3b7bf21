from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from alliance.admin import AllianceScopedAdmin
from alliance.permissions import alliances_managed_by

from . import services
from .models import (
    Attendance, Body, Briefing, BriefingArticle, Candidate, CouncilReminder, Meeting, Motion, Result, Seat,
)


def _managed_bodies(request):
    return Body.objects.filter(alliance__in=alliances_managed_by(request.user))


class SeatForm(forms.ModelForm):
    """Checks the officer rules (000 arts. 14–16) through the service whenever a seat is added or changed."""

    class Meta:
        model = Seat
        fields = "__all__"

    def clean(self):
        data = super().clean()
        body = data.get("body") or getattr(self.instance, "body", None)
        if not self.has_changed() or body is None or not data.get("role") or not data.get("start_date"):
            return data
        try:
            term_number, end_date, exception = services.seat_eligibility(
                body=body, role=data["role"], start_date=data["start_date"], end_date=data.get("end_date"),
                birth_date=data.get("birth_date"), user=data.get("user"), person_name=data.get("person_name", ""),
                unit_name=data.get("unit_name", ""), exception_motion=data.get("exception_motion"),
                exclude_pk=self.instance.pk,
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        self.instance.term_number = term_number
        data["end_date"], data["exception_motion"] = end_date, exception
        return data


class SeatInline(admin.TabularInline):
    model = Seat
    form = SeatForm
    extra = 0
    fields = ["role", "person_name", "unit_name", "title", "user", "start_date", "end_date", "birth_date",
              "term_number", "exception_motion", "order"]
    readonly_fields = ["term_number"]
    raw_id_fields = ["user", "exception_motion"]


@admin.register(Body)
class BodyAdmin(AllianceScopedAdmin):
    list_display = ["name", "kind", "alliance"]
    list_filter = ["kind", "alliance"]
    search_fields = ["name"]
    list_select_related = ["alliance"]
    inlines = [SeatInline]


@admin.register(Seat)
class SeatAdmin(AllianceScopedAdmin):
    alliance_path = "body__alliance"
    form = SeatForm
    readonly_fields = ["term_number"]
    list_display = ["holder_name", "role", "body", "start_date", "end_date", "term_number"]
    list_filter = ["role", "body__kind", "body__alliance"]
    search_fields = ["person_name", "unit_name", "title"]
    list_select_related = ["body__alliance"]
    raw_id_fields = ["user", "exception_motion", "elected_by"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = _managed_bodies(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["seat", "checked_in_at", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "seat":
            kwargs["queryset"] = Seat.objects.filter(body__in=_managed_bodies(request)).select_related("body")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return field

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["checked_in_at"].initial = timezone.now
        if obj is not None:
            formset.form.base_fields["seat"].queryset = Seat.objects.in_office(on=obj.date).filter(body=obj.body)
        return formset


class MotionInline(admin.TabularInline):
    model = Motion
    extra = 0
    fields = ["order", "kind", "title", "status_link"]
    readonly_fields = ["status_link"]
    show_change_link = True

    @admin.display(description="状态")
    def status_link(self, obj):
        return obj.get_status_display() if obj.pk else "—"

    def has_delete_permission(self, request, obj=None):
        return False


def _run(modeladmin, request, motions, service, verb):
    done = 0
    for motion in motions:
        try:
            service(actor=request.user, motion=motion)
            done += 1
        except ValidationError as exc:
            modeladmin.message_user(request, f"{motion.title}：{'；'.join(exc.messages)}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"已{verb} {done} 项议案的表决。", messages.SUCCESS)


@admin.register(Meeting)
class MeetingAdmin(AllianceScopedAdmin):
    alliance_path = "body__alliance"
    list_display = ["title", "body", "date", "form", "status"]
    list_filter = ["form", "status", "body__alliance"]
    search_fields = ["title", "place"]
    list_select_related = ["body__alliance"]
    date_hierarchy = "date"
    inlines = [AttendanceInline, MotionInline]
    actions = ["open_votes", "close_votes"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = _managed_bodies(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in instances:
            if isinstance(obj, Attendance) and not obj.recorded_by_id:
                obj.recorded_by = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    @admin.action(description="开始表决（所选会议的全部待表决议案）")
    def open_votes(self, request, queryset):
        motions = Motion.objects.filter(meeting__in=queryset, status=Motion.Status.DRAFT).order_by("pk")
        _run(self, request, motions, services.vote_open, "开始")

    @admin.action(description="结束表决并计票（所选会议的全部表决中议案）")
    def close_votes(self, request, queryset):
        motions = Motion.objects.filter(meeting__in=queryset, status=Motion.Status.OPEN).order_by("pk")
        _run(self, request, motions, services.vote_close, "结束")


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ["order", "person_name", "unit_name", "role", "birth_date", "user"]
    raw_id_fields = ["user"]


@admin.register(Motion)
class MotionAdmin(AllianceScopedAdmin):
    alliance_path = "meeting__body__alliance"
    list_display = ["title", "kind", "meeting", "status", "voting_opened_at", "voting_closed_at"]
    list_filter = ["status", "kind", "meeting__body__alliance"]
    search_fields = ["title", "text"]
    list_select_related = ["meeting__body__alliance"]
    inlines = [CandidateInline]
    actions = ["open_votes", "close_votes"]
    raw_id_fields = ["officer_user"]
    readonly_fields = ["status", "voting_opened_at", "voting_closed_at", "effect_note", "result_summary"]
    fieldsets = [
        (None, {"fields": ["meeting", "order", "kind", "title", "text", ("subject_type", "subject_id")]}),
        ("负责人选举、聘任与例外", {"fields": [
            "officer_role", "officer_name", "officer_unit", "officer_user", "officer_birth_date",
            "officer_start_date", "seats_to_fill",
        ]}),
        ("表决", {"fields": ["status", "voting_opened_at", "voting_closed_at", "result_summary", "effect_note"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = Meeting.objects.filter(body__in=_managed_bodies(request)).select_related("body__alliance")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != Motion.Status.DRAFT:
            # After the vote opens the motion is what the directors voted on.
            fields += [f for f in ("meeting", "kind", "title", "text", "subject_type", "subject_id",
                                   "officer_role", "officer_name", "officer_unit", "officer_user",
                                   "officer_birth_date", "officer_start_date", "seats_to_fill")]
        return fields

    @admin.display(description="表决结果")
    def result_summary(self, obj):
        result = getattr(obj, "result", None) if obj.pk and obj.is_closed else None
        if result is None:
            return "—"
        return format_html(
            "<strong>{}</strong>：在任 {}，出席 {}（法定人数 {}，{}）；赞成 {}，反对 {}，弃权 {}，出席未投票 {}；"
            "表决基数 {}，通过须赞成 {} 票以上。<br>{}；{}；{}{}",
            "通过" if result.passed else "未通过", result.in_office, result.present, result.quorum_threshold,
            "达到" if result.quorum_met else "未达到", result.votes_for, result.votes_against, result.abstentions,
            result.not_voting, result.base, result.pass_threshold, result.quorum_rule, result.pass_rule,
            result.base_rule,
            format_html_join("", "<br>{}. {} {} 票{}", ((r["rank"], r["name"], r["votes"], "（当选）" if r["elected"] else "")
                                                       for r in result.tally)),
        )

    @admin.action(description="开始表决")
    def open_votes(self, request, queryset):
        _run(self, request, queryset.filter(status=Motion.Status.DRAFT).order_by("pk"), services.vote_open, "开始")

    @admin.action(description="结束表决并计票")
    def close_votes(self, request, queryset):
        _run(self, request, queryset.filter(status=Motion.Status.OPEN).order_by("pk"), services.vote_close, "结束")


@admin.register(Result)
class ResultAdmin(AllianceScopedAdmin):
    alliance_path = "motion__meeting__body__alliance"
    list_display = ["motion", "passed", "present", "in_office", "votes_for", "base", "computed_at", "documents"]
    list_filter = ["passed", "motion__meeting__body__alliance"]
    list_select_related = ["motion__meeting__body__alliance"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Result._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="文件")
    def documents(self, obj):
        if not obj.resolution_pdf:
            return "生成中"
        return format_html('<a href="{}">决议</a> · <a href="{}">表决记录</a>',
                           reverse("governance:result_pdf", args=[obj.motion_id, "resolution"]),
                           reverse("governance:result_pdf", args=[obj.motion_id, "minutes"]))


class BriefingArticleInline(admin.StackedInline):
    model = BriefingArticle
    extra = 1
    fields = ["order", "level", "heading", "text"]


@admin.register(Briefing)
class BriefingAdmin(AllianceScopedAdmin):
    list_display = ["__str__", "issued_on", "status", "published_at", "has_pdf"]
    list_filter = ["status", "alliance"]
    search_fields = ["title", "articles__heading"]
    list_select_related = ["alliance"]
    readonly_fields = ["year", "number", "status", "published_at", "pdf"]
    fields = ["alliance", "title", "year", "number", "issued_on", "issuers", "reported_to", "distributed_to",
              "contact", "status", "published_at", "pdf"]
    filter_horizontal = ["issuers"]
    inlines = [BriefingArticleInline]
    actions = ["publish"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "issuers":
            kwargs["queryset"] = _managed_bodies(request).select_related("alliance")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="PDF", boolean=True)
    def has_pdf(self, obj):
        return bool(obj.pdf)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            # 2026年第1期, 第2期 … per alliance and year; a briefing moved to another year takes that year's next.
            if not change or obj.issued_on.year != obj.year:
                services.briefing_number_assign(briefing=obj)
            super().save_model(request, obj, form, change)

    @admin.action(description="发布所选简报（生成 PDF）")
    def publish(self, request, queryset):
        for briefing in queryset:
            try:
                services.briefing_publish(actor=request.user, briefing=briefing)
            except ValidationError as exc:
                self.message_user(request, f"{briefing}：{'；'.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{briefing} 已发布，PDF 正在生成。", messages.SUCCESS)


@admin.register(CouncilReminder)
class CouncilReminderAdmin(AllianceScopedAdmin):
    alliance_path = "body__alliance"
    list_display = ["body", "flagged_on", "last_meeting_on", "resolved_on"]
    list_filter = ["resolved_on", "body__alliance"]
    list_select_related = ["body__alliance"]

    def get_readonly_fields(self, request, obj=None):
        return ["body", "flagged_on", "last_meeting_on", "resolved_on"]

    def has_add_permission(self, request):
        return False
