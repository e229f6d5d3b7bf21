"""The governance admin: every add and change goes through governance.services; results and reminders are read.

Bodies, seats, meetings, motions and briefings are written by their services (``save_model``/``save_formset``
call them through ``call_service``); seats are shown in their body, and motions in their meeting, read-only
with a link to their own page, so an inline never edits what its own admin keeps read-only. Nothing here is
deleted but a seat entered by mistake (``seat_delete``). While a vote is open, staff record on the motion's page
what happened in the room: each director's ballot (``ballot_record``) or the totals of a show of hands
(``show_of_hands_record``).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from alliance.admin import (
    AllianceScopedAdmin, ViewOnlyInline, ViewOnlyMixin, admin_page, became, form_page, formset_written,
    managed_alliance_pks,
)
from alliance.dates import cn_date
from alliance.documents import DocumentStatus
from alliance.permissions import alliances_managed_by

from . import effects, selectors, services
from .models import (
    Attendance, Ballot, Body, Briefing, BriefingArticle, Candidate, CouncilReminder, Meeting, Motion, OfficerCondition,
    Result, Seat, SeatAttestation,
)
from .services.briefings import BRIEFING_FIELDS
from .services.meetings import BODY_FIELDS, MEETING_FIELDS
from .services.seats import SEAT_FIELDS
from .services.votes import MOTION_FIELDS


def _managed_bodies(request):
    return Body.objects.filter(alliance__in=alliances_managed_by(request.user))


def _values(form, names):
    """What the form holds of the service's fields (read-only fields are not in cleaned_data)."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class ReadOnlyInline(ViewOnlyInline):
    """Rows shown in their parent, changed only on their own admin page (through its service)."""

    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class NoDeleteMixin:
    """The row is part of the record: nothing deletes it from the admin."""

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceWrittenAdmin(NoDeleteMixin, AllianceScopedAdmin):
    """A row of its parent (an alliance, a body, a motion) that one service creates and another updates, and
    nothing deletes: the parent is chosen on the add form and fixed once the row is saved.

    ``parent_field`` names the parent, ``written_fields`` the fields handed to both services and ``row_argument``
    the keyword the update service takes the row by.
    """

    parent_field = "alliance"
    written_fields = ()
    row_argument = None
    create_service = update_service = None  # staticmethod(services.<entity>_create), …_update

    def get_readonly_fields(self, request, obj=None):
        fixed = [self.parent_field] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]

    def service_values(self, form):
        return _values(form, self.written_fields)

    def save_model(self, request, obj, form, change):
        values = self.service_values(form)
        if change:
            self.call_service(self.update_service, actor=request.user, **{self.row_argument: obj}, **values)
        else:
            became(obj, self.call_service(self.create_service, actor=request.user,
                                           **{self.parent_field: form.cleaned_data[self.parent_field]}, **values))


def _passed_motions(request, **filters):
    """The passed motions of the staff's alliances, chosen by title where a record follows a decision."""
    return Motion.objects.filter(meeting__body__alliance__in=managed_alliance_pks(request),
                                 status=Motion.Status.PASSED, **filters).select_related("meeting__body__alliance")


class SeatInline(ReadOnlyInline):
    model = Seat
    fields = ["role", "person_name", "unit_name", "title", "user", "start_date", "end_date", "term_number",
              "exception_motion", "order"]


@admin.register(Body)
class BodyAdmin(ServiceWrittenAdmin):
    list_display = ["name", "kind", "alliance"]
    list_filter = ["kind", "alliance"]
    search_fields = ["name"]
    list_select_related = ["alliance"]
    fields = ["alliance", *BODY_FIELDS]
    inlines = [SeatInline]
    written_fields, row_argument = BODY_FIELDS, "body"
    create_service, update_service = staticmethod(services.body_create), staticmethod(services.body_update)


class SeatForm(forms.ModelForm):
    term_extension = forms.BooleanField(
        label=gettext_lazy("秘书处批准延长任期"), required=False,
        help_text=gettext_lazy("任期超过章程规定的年限或届数时勾选，由您代表秘书处批准同意（第十六条）。"),
    )
    # 000 art. 14 (一)(二)(四)(五)(六): conditions people attest; each ticked one is recorded with who and when.
    conditions_confirmed = forms.ModelMultipleChoiceField(
        label=gettext_lazy("任职条件确认"), queryset=OfficerCondition.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("理事长、副理事长、秘书长任职时，逐项确认该人选具备章程规定的条件（第十四条）；已确认的条件见下方记录。"),
    )


@admin.register(Seat)
class SeatAdmin(AllianceScopedAdmin):
    alliance_path = "body__alliance"
    form = SeatForm
    fields = ["body", *SEAT_FIELDS[:-2], "term_number", "exception_motion", "term_extension",
              "extension_approved_by", "extension_approved_at", "conditions_confirmed", "attestations_col",
              "elected_by", "order"]
    readonly_fields = ["term_number", "extension_approved_by", "extension_approved_at", "attestations_col",
                       "elected_by"]
    list_display = ["holder_name", "role", "body", "start_date", "end_date", "term_number"]

    @admin.display(description=gettext_lazy("已确认的任职条件"))
    def attestations_col(self, obj):
        rows = SeatAttestation.objects.filter(seat=obj).select_related("condition", "confirmed_by") if obj.pk else []
        return format_html_join(
            "", _("<div>{} {}：{} 于 {} 确认</div>"),
            ((a.condition.article, a.condition.text, a.confirmed_by.get_short_name(),
              cn_date(timezone.localtime(a.confirmed_at).date())) for a in rows),
        ) or "—"
    list_filter = ["role", "body__kind", "body__alliance"]
    search_fields = ["person_name", "unit_name", "title"]
    list_select_related = ["body__alliance"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, *(["body"] if obj is not None else [])]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one seat at a time, from its page: seat_delete may refuse
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        conditions = OfficerCondition.objects.filter(alliance__in=managed_alliance_pks(request)).select_related(
            "alliance")

        class ScopedConditions(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "conditions_confirmed" in self.fields:
                    self.fields["conditions_confirmed"].queryset = conditions

        return ScopedConditions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = _managed_bodies(request)
        if db_field.name == "member":
            # The member units of the staff's own alliances, whose representative the seat holder is.
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                alliance__in=alliances_managed_by(request.user))
        if db_field.name == "exception_motion":
            # 000 art. 15: an exception of the staff's own alliances, passed and approved by the secretariat.
            kwargs["queryset"] = Motion.objects.filter(
                meeting__body__in=_managed_bodies(request), kind=Motion.Kind.OFFICER_EXCEPTION,
                status=Motion.Status.PASSED, approved_at__isnull=False,
            ).select_related("meeting__body__alliance")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        values = _values(form, SEAT_FIELDS)
        # Ticked, the staff approve the term now; unticked on a change, an approval given before stands.
        extension = form.cleaned_data.get("term_extension") or (None if change else False)
        confirmed = form.cleaned_data.get("conditions_confirmed") or ()
        if change:
            self.call_service(services.seat_update, actor=request.user, seat=obj, term_extension=extension,
                              conditions_confirmed=confirmed, **values)
        else:
            became(obj, self.call_service(services.seat_fill, actor=request.user, body=form.cleaned_data["body"],
                                           term_extension=extension, conditions_confirmed=confirmed, **values))

    def delete_model(self, request, obj):
        self.call_service(services.seat_delete, actor=request.user, seat=obj)

    def delete_queryset(self, request, queryset):
        for seat in queryset:
            self.delete_model(request, seat)


class AttendanceInline(admin.TabularInline):
    """Staff record a check-in (attendance_check_in), the sign-in sheet of the meeting's day; a recorded one is
    not changed or removed."""

    model = Attendance
    extra = 0
    can_delete = False
    fields = ["seat", "checked_in_at", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "seat":
            kwargs["queryset"] = Seat.objects.filter(body__in=_managed_bodies(request)).select_related("body")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "checked_in_at" in formset.form.base_fields:
            formset.form.base_fields["checked_in_at"].initial = timezone.now
        if obj is not None and "seat" in formset.form.base_fields:
            formset.form.base_fields["seat"].queryset = Seat.objects.in_office(on=obj.date).filter(body=obj.body)
        return formset


class MotionInline(ReadOnlyInline):
    """The meeting's agenda; each motion is written on its own page (before its vote opens only)."""

    model = Motion
    fields = ["order", "kind", "title", "status"]


def _run(modeladmin, request, motions, service, *, closing):
    done = []
    for motion in motions:
        try:
            service(actor=request.user, motion=motion)
            done.append(motion.title)
        except ValidationError as exc:
            modeladmin.message_user(request, _("%(title)s：%(join)s") % {"title": motion.title, "join": _("；").join(exc.messages)}, messages.ERROR)
    if done:
        titles = {"n": len(done), "titles": _("、").join(done)}
        if closing:
            text = ngettext("已结束 %(n)s 项议案的表决：%(titles)s。", "已结束 %(n)s 项议案的表决：%(titles)s。", len(done))
        else:
            text = ngettext("已开始 %(n)s 项议案的表决：%(titles)s。", "已开始 %(n)s 项议案的表决：%(titles)s。", len(done))
        modeladmin.message_user(request, text % titles, messages.SUCCESS)


def _close_votes(modeladmin, request, queryset, motions, *, action):
    """结束表决并计票 cannot be undone: the first POST shows each open motion with its warnings (deadline not
    reached, ballots missing) and what it does if it passes; only the confirming POST closes."""
    motions = list(motions.select_related("meeting__body__alliance__rules"))
    if not motions:
        modeladmin.message_user(request, _("所选记录中没有表决中的议案。"), messages.WARNING)
        return None
    if "confirm" in request.POST:
        _run(modeladmin, request, motions, services.vote_close, closing=True)
        return None
    return admin_page(
        modeladmin, request, "governance/admin/close_votes.html", _("结束表决并计票"),
        previews=[services.vote_close_preview(motion=motion) for motion in motions], selected=queryset,
        action=action, action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
    )


@admin.register(Meeting)
class MeetingAdmin(ServiceWrittenAdmin):
    alliance_path = "body__alliance"
    list_display = ["title", "body", "date", "form", "status"]
    list_filter = ["form", "status", "body__alliance"]
    search_fields = ["title", "place"]
    list_select_related = ["body__alliance"]
    date_hierarchy = "date"
    fields = ["body", *MEETING_FIELDS]
    inlines = [AttendanceInline, MotionInline]
    actions = ["open_votes", "close_votes"]
    parent_field, written_fields, row_argument = "body", MEETING_FIELDS, "meeting"
    create_service, update_service = staticmethod(services.meeting_create), staticmethod(services.meeting_update)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = _managed_bodies(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attendance:
            return super().save_formset(request, form, formset, change)
        added = []
        for row in formset.extra_forms:
            if row.has_changed() and row.cleaned_data.get("seat"):
                added.append(self.call_service(
                    services.attendance_check_in, actor=request.user, meeting=form.instance,
                    seat=row.cleaned_data["seat"], checked_in_at=row.cleaned_data.get("checked_in_at"),
                ))
        formset_written(formset, new=added)

    @admin.action(description=gettext_lazy("开始表决（所选会议的全部待表决议案）"))
    def open_votes(self, request, queryset):
        motions = Motion.objects.filter(meeting__in=queryset, status=Motion.Status.DRAFT).order_by("pk")
        _run(self, request, motions, services.vote_open, closing=False)

    @admin.action(description=gettext_lazy("结束表决并计票（所选会议的全部表决中议案）"))
    def close_votes(self, request, queryset):
        motions = Motion.objects.filter(meeting__in=queryset, status=Motion.Status.OPEN).order_by("pk")
        return _close_votes(self, request, queryset, motions, action="close_votes")


class CandidateInline(admin.TabularInline):
    """Candidates of an election, changed (candidate_save, candidate_delete) before its vote opens only."""

    model = Candidate
    extra = 0
    written_fields = ["order", "person_name", "unit_name", "role", "birth_date", "user"]
    fields = [*written_fields, "charter_flags"]
    readonly_fields = ["charter_flags"]
    raw_id_fields = ["user"]

    @admin.display(description=gettext_lazy("任职条件"))
    def charter_flags(self, obj):
        if obj.pk is None or obj.motion.status != Motion.Status.DRAFT:
            return "—"
        return "".join(selectors.candidate_breaches(candidate=obj, motion=obj.motion)) or _("符合")

    def _draft(self, obj):
        return obj is None or obj.status == Motion.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._draft(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._draft(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._draft(obj)


class BallotInline(ViewOnlyInline):
    """The ballots, cast on the site or recorded by staff (recorded_by), shown for reading."""

    model = Ballot
    fields = ["seat", "choice", "voter", "recorded_by", "changed_at"]
    readonly_fields = fields


class BallotRecordForm(forms.Form):
    """Shape only: the director (a seat on the roll frozen at the opening) and the ballot; ballot_record checks
    the rules."""

    seat = forms.ModelChoiceField(queryset=Seat.objects.none(), label=gettext_lazy("理事"))
    choice = forms.ChoiceField(label=gettext_lazy("表决意见"), choices=Ballot.Choice.choices)
    candidates = forms.ModelMultipleChoiceField(queryset=Candidate.objects.none(), required=False,
                                                label=gettext_lazy("所选候选人"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, motion, **kwargs):
        super().__init__(*args, **kwargs)
        roll = [entry["seat"] for entry in motion.open_snapshot.get("in_office", [])]
        self.fields["seat"].queryset = Seat.objects.filter(pk__in=roll).order_by("order", "pk")
        self.fields["seat"].label_from_instance = lambda seat: _("%(holder_name)s（%(role)s）") % {"holder_name": seat.holder_name, "role": seat.get_role_display()}
        if motion.is_election:
            del self.fields["choice"]
            self.fields["candidates"].queryset = motion.candidates.all()
        else:
            del self.fields["candidates"]


class HandCountForm(forms.Form):
    votes_for = forms.IntegerField(label=gettext_lazy("赞成"), min_value=0)
    votes_against = forms.IntegerField(label=gettext_lazy("反对"), min_value=0)
    abstentions = forms.IntegerField(label=gettext_lazy("弃权"), min_value=0)
    tellers = forms.CharField(label=gettext_lazy("计票人"), max_length=200, help_text=gettext_lazy("清点举手人数的计票人姓名，多人以顿号分隔。"))


def _subject_field_name(model):
    return f"subjects_{model._meta.app_label}_{model._meta.model_name}"


class MotionForm(forms.ModelForm):
    """A motion with a picker, by name, of the rows each kind may act on (governance.effects): the kind says
    which picker is read; the rows are those of the staff's alliances, the motion's own alliance checked by
    Motion.clean and by the service."""

    subject_fields = {}  # kind -> the picker's name, set per request by MotionAdmin.get_form

    class Meta:
        model = Motion
        fields = list(MOTION_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The box is compared with the motion's own values; Django's hidden copy of a callable default's initial
        # value would carry the help text's aria-describedby, which a hidden input may not have.
        if "charter_values" in self.fields:
            self.fields["charter_values"].show_hidden_initial = False
        name = self.subject_fields.get(self.instance.kind)
        if name and self.instance.subject_ids:
            # The motion's own subjects stay listed even where they no longer match the picker's choices.
            field = self.fields[name]
            model = field.queryset.model
            field.queryset = field.queryset | model._default_manager.filter(
                pk__in=self.instance.subject_ids, **field.alliance_lookup)
            many = isinstance(field, forms.ModelMultipleChoiceField)
            self.initial[name] = self.instance.subject_ids if many else self.instance.subject_ids[0]

    # Written by motion_document_attach, never by the form onto the motion (save_model).
    document = forms.FileField(label=gettext_lazy("议案文件（PDF）"), required=False, widget=forms.FileInput(attrs={"accept": ".pdf"}),
                               help_text=gettext_lazy("表决的文件（工作计划、年度报告、章程修正案等），理事在议案页下载；表决开始后不能更换。"))

    def clean_charter_values(self):
        return self.cleaned_data["charter_values"] or {}  # an empty box: the motion changes no charter rule

    def clean(self):
        data = super().clean()
        name = self.subject_fields.get(data.get("kind"))
        for other in set(self.subject_fields.values()) - {name}:
            if data.get(other):
                self.add_error(other, _("所选对象与议案类型不符，请留空。"))
        picked = data.get(name) if name else None
        if not picked:
            data["subjects"] = []
        else:
            data["subjects"] = [picked] if isinstance(picked, models.Model) else list(picked)
        return data

    def _post_clean(self):
        # Motion.clean validates the subjects the form will save, not the ones stored.
        self.instance.subject_ids = [obj.pk for obj in self.cleaned_data.get("subjects", [])]
        super()._post_clean()

    def _update_errors(self, errors):
        # The model names the subjects subject_ids; the form shows them in the kind's picker.
        if hasattr(errors, "error_dict") and "subject_ids" in errors.error_dict:
            name = self.subject_fields.get(self.cleaned_data.get("kind")) or NON_FIELD_ERRORS
            errors.error_dict.setdefault(name, []).extend(errors.error_dict.pop("subject_ids"))
        super()._update_errors(errors)


def motion_form_for(request):
    """MotionForm with one picker per model that motion kinds act on, listing the staff's alliances' rows."""
    managed = alliances_managed_by(request.user)
    attrs, subject_fields = {}, {}
    by_model = {}
    for kind, subject in effects.subjects().items():
        by_model.setdefault(subject.model, []).append((kind, subject))
    for model, kinds in by_model.items():
        name = _subject_field_name(model)
        subject = kinds[0][1]
        many = any(s.many for _kind, s in kinds)
        queryset = model._default_manager.filter(**{f"{subject.alliance_path}__in": managed},
                                                 **(subject.choices or {}))
        label = _("%(label)s（%(join)s议案的对象）") % {"label": subject.label, "join": _("、").join(str(Motion.Kind(kind).label) for kind, _many in kinds)}
        field_class = forms.ModelMultipleChoiceField if many else forms.ModelChoiceField
        field = field_class(queryset=queryset, required=False, label=label)
        field.alliance_lookup = {f"{subject.alliance_path}__in": managed}
        attrs[name] = field
        subject_fields.update({kind: name for kind, _many in kinds})
    attrs["subject_fields"] = subject_fields
    return type("MotionForm", (MotionForm,), attrs)


@admin.register(Motion)
class MotionAdmin(NoDeleteMixin, AllianceScopedAdmin):
    alliance_path = "meeting__body__alliance"
    list_display = ["title", "kind", "meeting", "status", "voting_opened_at", "voting_closed_at"]
    list_filter = ["status", "kind", "meeting__body__alliance"]
    search_fields = ["title", "text"]
    list_select_related = ["meeting__body__alliance"]
    inlines = [CandidateInline, BallotInline]
    actions = ["open_votes", "close_votes", "approve_exceptions"]
    raw_id_fields = ["officer_user"]
    readonly_fields = ["status", "voting_opened_at", "voting_closed_at", "effect_note", "result_summary",
                       "subjects_display", "approved_by", "approved_at", "recording", "document_link"]

    def get_fieldsets(self, request, obj=None):
        if obj is None or self.has_change_permission(request, obj):
            subjects = sorted({_subject_field_name(s.model) for s in effects.subjects().values()})
            document = ["document_link", "document"] if obj is not None else ["document"]
        else:
            subjects = ["subjects_display"]
            document = ["document_link"]
        return [
            (None, {"fields": ["meeting", "order", "kind", "title", "text", *document, *subjects]}),
            (_("负责人选举、聘任与例外"), {"fields": [
                "officer_role", "officer_name", "officer_unit", "officer_user", "officer_birth_date",
                "officer_start_date", "seats_to_fill", "approved_by", "approved_at",
            ]}),
            (_("修改章程"), {"fields": ["charter_values"]}),
            (_("表决"), {"fields": ["counting", "status", "voting_opened_at", "voting_closed_at", "recording",
                               "result_summary", "effect_note"]}),
        ]

    def get_inlines(self, request, obj):
        # Ballots exist once the vote opens, when the motion's page is for reading.
        voting = obj is not None and obj.status != Motion.Status.DRAFT
        return [inline for inline in super().get_inlines(request, obj) if voting or inline.model is not Ballot]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = motion_form_for(request)
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request, obj=None):
        # After the vote opens the motion is what the directors voted on: its page is for reading.
        return super().has_change_permission(request, obj) and (obj is None or obj.status == Motion.Status.DRAFT)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = Meeting.objects.filter(body__in=_managed_bodies(request)).select_related("body__alliance")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/record-ballot/", view(self.record_ballot_view), name="governance_motion_record_ballot"),
            path("<int:pk>/record-hands/", view(self.record_hands_view), name="governance_motion_record_hands"),
        ] + super().get_urls()

    def _motion_to_record(self, request, pk):
        motion = get_object_or_404(self.get_queryset(request).select_related("meeting__body__alliance"), pk=pk)
        if not AllianceScopedAdmin.has_change_permission(self, request, motion):
            raise PermissionDenied
        return motion

    def record_ballot_view(self, request, pk):
        """A director's ballot given on paper or aloud, recorded by staff (ballot_record)."""
        motion = self._motion_to_record(request, pk)
        form = BallotRecordForm(request.POST or None, motion=motion)
        return form_page(
            self, request, form, _("登记表决票：%(title)s") % {"title": motion.title}, _("登记"),
            act=lambda data: services.ballot_record(
                actor=request.user, motion=motion, seat=data["seat"], choice=data.get("choice", ""),
                candidate_ids=[c.pk for c in data.get("candidates", [])],
            ),
            done=lambda recorded: (_("已登记 %(holder_name)s 的表决票。") % {"holder_name": recorded[0].seat.holder_name},
                                   reverse("admin:governance_motion_change", args=[motion.pk])),
        )

    def record_hands_view(self, request, pk):
        """The totals of a show of hands, as the tellers counted them (show_of_hands_record)."""
        motion = self._motion_to_record(request, pk)
        hands = getattr(motion, "hand_count", None)
        initial = {name: getattr(hands, name) for name in HandCountForm.base_fields} if hands else {}
        return form_page(
            self, request, HandCountForm(request.POST or None, initial=initial), _("登记举手表决结果：%(title)s") % {"title": motion.title},
            _("登记"), act=lambda data: services.show_of_hands_record(actor=request.user, motion=motion, **data),
            done=lambda _recorded: (_("举手表决结果已登记。"), reverse("admin:governance_motion_change", args=[motion.pk])),
        )

    def save_model(self, request, obj, form, change):
        values = _values(form, MOTION_FIELDS)
        subjects = form.cleaned_data.get("subjects", [])
        if change:
            self.call_service(services.motion_update, actor=request.user, motion=obj, subjects=subjects, **values)
        else:
            became(obj, self.call_service(services.motion_create, actor=request.user, subjects=subjects, **values))
        if "document" in form.changed_data and form.cleaned_data.get("document"):
            self.call_service(services.motion_document_attach, actor=request.user, motion=obj,
                              uploaded=form.cleaned_data["document"])

    def save_formset(self, request, form, formset, change):
        if formset.model is not Candidate:
            return super().save_formset(request, form, formset, change)
        motion, new, changed, deleted = form.instance, [], [], []
        for row in formset.forms:
            if row in formset.deleted_forms:
                if row.instance.pk:
                    self.call_service(services.candidate_delete, actor=request.user, motion=motion,
                                      candidate=row.instance)
                    deleted.append(row.instance)
            elif row.has_changed():
                values = {name: row.cleaned_data[name] for name in CandidateInline.written_fields}
                adding = row.instance.pk is None
                candidate = self.call_service(services.candidate_save, actor=request.user, motion=motion,
                                              candidate=None if adding else row.instance, **values)
                (new.append(candidate) if adding else changed.append((candidate, row)))
        formset_written(formset, new=new, changed=changed, deleted=deleted)

    @admin.display(description=gettext_lazy("当前议案文件"))
    def document_link(self, obj):
        if not obj.pk or not obj.document:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("governance:motion_document", args=[obj.pk]),
                           obj.document_name or _("议案文件"))

    @admin.display(description=gettext_lazy("议案对象"))
    def subjects_display(self, obj):
        if not obj.subject_ids:
            return "—"
        try:
            return _("、").join(str(subject) for subject in obj.subjects())
        except ValidationError as exc:
            return _("；").join(exc.messages)

    @admin.display(description=gettext_lazy("秘书处登记"))
    def recording(self, obj):
        if not obj.pk or not obj.is_open:
            return "—"
        if not obj.by_show_of_hands:
            return format_html(_('<a class="button" href="{}">登记表决票（逐人）</a>'),
                               reverse("admin:governance_motion_record_ballot", args=[obj.pk]))
        hands = getattr(obj, "hand_count", None)
        recorded = format_html(_("已登记：赞成 {}，反对 {}，弃权 {}（计票人：{}；登记人：{}）。"), hands.votes_for,
                               hands.votes_against, hands.abstentions, hands.tellers,
                               hands.recorded_by.get_full_name()) if hands else _("尚未登记。")
        return format_html(_('{} <a class="button" href="{}">登记举手表决结果</a>'), recorded,
                           reverse("admin:governance_motion_record_hands", args=[obj.pk]))

    @admin.display(description=gettext_lazy("表决结果"))
    def result_summary(self, obj):
        result = getattr(obj, "result", None) if obj.pk and obj.is_closed else None
        if result is None:
            return "—"
        return format_html(
            _("<strong>{}</strong>：在任 {}，出席 {}（法定人数 {}，{}）；赞成 {}，反对 {}，弃权 {}，出席未投票 {}；"
            "表决基数 {}，通过须赞成 {} 票以上。<br>计票方式：{}{}<br>{}；{}；{}{}"),
            _("通过") if result.passed else _("未通过"), result.in_office, result.present, result.quorum_threshold,
            _("达到") if result.quorum_met else _("未达到"), result.votes_for, result.votes_against, result.abstentions,
            result.not_voting, result.base, result.pass_threshold, result.get_counting_display(),
            _("（%(recording_note)s）") % {"recording_note": result.recording_note} if result.recording_note else "", result.quorum_rule, result.pass_rule,
            result.base_rule,
            format_html_join("", _("<br>{}. {} {} 票{}"), ((r["rank"], r["name"], r["votes"], _("（当选）") if r["elected"] else "")
                                                       for r in result.standings)),
        )

    @admin.action(description=gettext_lazy("开始表决"))
    def open_votes(self, request, queryset):
        _run(self, request, queryset.filter(status=Motion.Status.DRAFT).order_by("pk"), services.vote_open, closing=False)

    @admin.action(description=gettext_lazy("结束表决并计票"))
    def close_votes(self, request, queryset):
        motions = queryset.filter(status=Motion.Status.OPEN).order_by("pk")
        return _close_votes(self, request, queryset, motions, action="close_votes")

    @admin.action(description=gettext_lazy("秘书处批准同意任职例外（第十五条）"))
    def approve_exceptions(self, request, queryset):
        done = 0
        for motion in queryset.order_by("pk"):
            try:
                services.officer_exception_approve(actor=request.user, motion=motion)
                done += 1
            except ValidationError as exc:
                self.message_user(request, _("%(title)s：%(join)s") % {"title": motion.title, "join": _("；").join(exc.messages)}, messages.ERROR)
        if done:
            self.message_user(request, ngettext("已批准同意 %(done)s 项任职例外。", "已批准同意 %(done)s 项任职例外。", done) % {"done": done},
                              messages.SUCCESS)


class ReadOnlyAdminMixin(ViewOnlyMixin):
    """Rows the services write and nobody changes: their pages are for reading."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdminMixin, AllianceScopedAdmin):
    alliance_path = "motion__meeting__body__alliance"
    list_display = ["motion", "document_number", "passed", "present", "in_office", "votes_for", "base", "computed_at",
                    "documents"]
    list_filter = ["passed", "pdf_status", "motion__meeting__body__alliance"]
    list_select_related = ["motion__meeting__body__alliance"]

    @admin.display(description=gettext_lazy("文号"))
    def document_number(self, obj):
        return obj.document_number

    @admin.display(description=gettext_lazy("文件"))
    def documents(self, obj):
        if obj.pdf_status != DocumentStatus.READY:
            return obj.get_pdf_status_display()
        return format_html(_('<a href="{}">决议</a> · <a href="{}">表决记录</a>'),
                           reverse("governance:result_pdf", args=[obj.motion_id, "resolution"]),
                           reverse("governance:result_pdf", args=[obj.motion_id, "minutes"]))


class BriefingArticleInline(admin.StackedInline):
    """The briefing's articles, saved with it by briefing_create/briefing_update."""

    model = BriefingArticle
    extra = 1
    fields = ["order", "level", "heading", "text"]


@admin.register(Briefing)
class BriefingAdmin(NoDeleteMixin, AllianceScopedAdmin):
    list_display = ["__str__", "issued_on", "status", "published_at", "pdf_state"]
    list_filter = ["status", "pdf_status", "alliance"]
    search_fields = ["title", "articles__heading"]
    list_select_related = ["alliance"]
    readonly_fields = ["year", "number", "status", "published_at", "pdf", "pdf_status", "attempts", "last_error"]
    fields = ["alliance", "title", "year", "number", "issued_on", "issuers", "reported_to", "distributed_to",
              "to_members", "contact", "status", "published_at", "pdf", "pdf_status", "attempts", "last_error"]
    filter_horizontal = ["issuers"]
    inlines = [BriefingArticleInline]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # A briefing is numbered in its alliance (2026年第1期 …): it stays there.
        return [*self.readonly_fields, *(["alliance"] if obj is not None else [])]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "issuers":
            kwargs["queryset"] = _managed_bodies(request).select_related("alliance")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="PDF")
    def pdf_state(self, obj):
        return obj.get_pdf_status_display() if obj.status == Briefing.Status.PUBLISHED else "-"

    def save_model(self, request, obj, form, change):
        """Saved in save_related, with its issuers and articles, by one service call."""

    def save_related(self, request, form, formsets, change):
        [articles] = formsets
        rows = sorted(
            (row for row in articles.forms if row not in articles.deleted_forms
             and (row.instance.pk or row.has_changed())),
            key=lambda row: (row.cleaned_data.get("order") or 0, articles.forms.index(row)),
        )
        texts = [(row.cleaned_data["level"], row.cleaned_data["heading"], row.cleaned_data["text"]) for row in rows]
        values = _values(form, BRIEFING_FIELDS)
        issuers = list(form.cleaned_data["issuers"])
        if change:
            self.call_service(services.briefing_update, actor=request.user, briefing=form.instance, issuers=issuers,
                              articles=texts if articles.has_changed() else None, **values)
        else:
            became(form.instance, self.call_service(services.briefing_create, actor=request.user,
                                                     alliance=form.cleaned_data["alliance"], issuers=issuers,
                                                     articles=texts, **values))
        formset_written(articles)

    @admin.action(description=gettext_lazy("发布所选简报（生成 PDF）"))
    def publish(self, request, queryset):
        for briefing in queryset:
            try:
                services.briefing_publish(actor=request.user, briefing=briefing)
            except ValidationError as exc:
                self.message_user(request, _("%(briefing)s：%(join)s") % {"briefing": briefing, "join": _("；").join(exc.messages)}, messages.ERROR)
            else:
                self.message_user(request, _("%(briefing)s 已发布，PDF 正在生成。") % {"briefing": briefing}, messages.SUCCESS)


@admin.register(CouncilReminder)
class CouncilReminderAdmin(ReadOnlyAdminMixin, AllianceScopedAdmin):
    alliance_path = "body__alliance"
    list_display = ["body", "year", "meetings_held", "flagged_on", "last_meeting_on", "resolved_on"]
    list_filter = ["year", "resolved_on", "body__alliance"]
    list_select_related = ["body__alliance"]


from . import admin_records  # noqa: E402, F401  (officer conditions, interpretations, referrals)
from . import admin_reports  # noqa: E402, F401  (the reports, follow-ups and cooperation)
