from django.utils.translation import gettext_lazy
import copy
import functools

from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import PAGE_VAR
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm, AdminUserCreationForm, ReadOnlyPasswordHashWidget, UserChangeForm,
)
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import EMPTY_CHOICE, errors_onto_form
from .models import Alliance, Announcement, CharterRules, Email, User
from .pagination import CappedCountPaginator, page_number_of
from .permissions import (
    alliance_of, alliances_managed_by, can_manage_alliance, scope_to_managed, secretariat_user_ids,
)

admin.site.site_header = gettext_lazy("联盟服务平台管理")
admin.site.site_title = gettext_lazy("联盟服务平台")
admin.site.index_title = gettext_lazy("秘书处工作台")


def managed_alliance_pks(request):
    """The alliances the user manages, asked once per request: every admin page's app list asks for each
    registered model (some 30 guardian queries per page otherwise), and a changelist narrows its rows, each
    filter's choices and the date hierarchy (each a guardian subquery otherwise)."""
    if not hasattr(request, "_managed_alliance_pks"):
        request._managed_alliance_pks = list(alliances_managed_by(request.user).values_list("pk", flat=True))
    return request._managed_alliance_pks


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History is a record: its pages are read, never restored from.

    simple-history's version page saves the whole old version on POST (even with
    ``SIMPLE_HISTORY_REVERT_DISABLED``, which only hides the button), bypassing every service and rule, so
    it answers GET only. Every admin that shows history derives from this class.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)


class ServiceRefused(Exception):
    """A service said no to a write made from an admin form (carries the service's ValidationError)."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


class AddOnlyMixin:
    """Added through its service's add form, then a record: neither changed nor deleted in the admin."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyMixin(AddOnlyMixin):
    """A record a service owns and no admin form writes: shown, never added, changed or deleted here (an admin's
    model or an inline's)."""

    def has_add_permission(self, request, obj=None):
        return False


class ViewOnlyInline(ViewOnlyMixin, admin.TabularInline):
    """Rows shown on their parent's page for reading."""

    extra = 0
    can_delete = False


def became(obj, saved):
    """Make the admin's unsaved instance the row a service created (the add view answers with its key)."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db


def formset_written(formset, new=(), changed=(), deleted=()):
    """Tell Django's change message which rows of an inline a service wrote (changed: (row, form) pairs); what
    Django reads from a formset it saved itself."""
    formset.new_objects, formset.deleted_objects = list(new), list(deleted)
    formset.changed_objects = [(obj, form.changed_data) for obj, form in changed]


def admin_page(model_admin, request, template, title, **context):
    """A custom admin page of model_admin's model (a form for one service call, a report)."""
    return TemplateResponse(request, template, {
        **model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "title": title, **context,
    })


def form_page(model_admin, request, form, title, submit, *, act, done, template="admin/service_form.html",
              **context):
    """An admin form page: a valid POST is handed to act(cleaned_data), a service call. A refusal shows on the
    form (next to its field when the form has that field); a success gives done(result) = (message, where to
    go next)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = act(form.cleaned_data)
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            message, url = done(result)
            messages.success(request, message)
            return redirect(url)
    return admin_page(model_admin, request, template, title, form=form, submit=submit, **context)


class OneDoorAdmin(ReadOnlyHistoryAdmin):
    """Every write made from the admin goes through a service (the one door of the domain's rules).

    Django's own writes are closed: an admin whose add or change form saves overrides ``save_model`` (and
    ``save_formset`` for editable inlines, ``delete_model``/``delete_queryset`` for deletes) with a service call
    wrapped in ``call_service``. Without an override the write raises, so a model added to the admin without a
    service cannot be written around its rules (alliance/tests/test_admin_one_door.py walks every admin).

    A refusal (the service's ValidationError) is shown on the form that caused it: the form's transaction is
    rolled back, the same POST is validated again with the refusal added to the form, and Django renders it with
    everything typed kept and no success message.
    """

    def call_service(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except ValidationError as exc:
            raise ServiceRefused(exc) from exc

    def _no_door(self, what):
        raise ImproperlyConfigured(f"{type(self).__name__} has no service for {what}: the admin writes only "
                                   "through services.")

    def save_model(self, request, obj, form, change):
        self._no_door("change" if change else "add")

    def delete_model(self, request, obj):
        self._no_door("delete")

    def delete_queryset(self, request, queryset):
        self._no_door("delete")

    def save_formset(self, request, form, formset, change):
        if formset.has_changed() or getattr(formset, "deleted_forms", None):
            self._no_door(f"the inline {formset.model._meta.label}")
        formset_written(formset)  # nothing to save: a read-only inline

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            request._service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            for text in refused.error.messages:
                self.message_user(request, text, messages.ERROR)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", object_id)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ServiceRefused as refused:  # an action (e.g. bulk delete) whose service said no
            for text in refused.error.messages:
                self.message_user(request, text, messages.ERROR)
            return redirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                errors_onto_form(self, refusal)

        return RefusedForm

    def _has_simple_history(self):
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    def history_view(self, request, object_id, extra_context=None):
        if not self._has_simple_history():  # a model without HistoricalRecords: Django's own action log
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self._has_simple_history():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _changed_values(self, form, names):
        """What the form changed among names: the values a service is handed."""
        return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


# ---- pickers: every choice of a form is a row the person may see ------------------------------------------------

@functools.cache  # a function of the models and the admins registered at start-up: asked for every picker
def alliance_path_of(model, admin_site=admin.site, _depth=3):
    """The lookup from model to the Alliance owning its rows: its scoped admin's ``alliance_path``, or one
    through a foreign key to a model that has one (None: not an alliance's record, e.g. a content type)."""
    if model is Alliance:
        return "pk"
    model_admin = admin_site._registry.get(model)
    if isinstance(model_admin, AllianceScopedAdmin):
        return model_admin.alliance_path
    if _depth:
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model not in (model, User):
                path = alliance_path_of(field.related_model, admin_site, _depth - 1)
                if path is not None:
                    return field.name if path == "pk" else f"{field.name}__{path}"
    return None


@functools.cache
def _account_references(admin_site):
    """(model, alliance path, field) for each foreign key to an account on a model the scoped admins show."""
    shown = {}
    for model, model_admin in admin_site._registry.items():
        if isinstance(model_admin, AllianceScopedAdmin):
            shown[model] = model_admin.alliance_path
            for inline in model_admin.inlines:
                shown.setdefault(inline.model, alliance_path_of(inline.model, admin_site))
    return tuple((model, path, field.name) for model, path in shown.items() if path is not None
                 for field in model._meta.concrete_fields if field.many_to_one and field.related_model is User)


def people_visible_to(request, admin_site=admin.site):
    """The accounts someone's pickers may offer: for staff, the accounts a row of their alliances names (an
    applicant, a member's account, a seat holder, a project's expert, whoever recorded something) and their
    alliances' secretariat; a superuser, every account."""
    accounts = User.objects.all()
    if request.user.is_active and request.user.is_superuser:
        return accounts
    managed = managed_alliance_pks(request)
    named = Q(pk__in=secretariat_user_ids(managed))
    for model, path, field in _account_references(admin_site):
        rows = scope_to_managed(model._default_manager.all(), request.user, path=path, managed=managed)
        named |= Q(pk__in=rows.values(field))
    return accounts.filter(named)


def visible_rows(request, queryset, admin_site=admin.site):
    """queryset narrowed to the rows request.user may see: accounts by ``people_visible_to``, an alliance's
    records by the alliances they manage; other models (content types, permissions) are not an alliance's."""
    if request.user.is_active and request.user.is_superuser:
        return queryset
    if queryset.model is User:
        return queryset.filter(pk__in=people_visible_to(request, admin_site).values("pk"))
    path = alliance_path_of(queryset.model, admin_site)
    if path is None:
        return queryset
    return scope_to_managed(queryset, request.user, path=path, managed=managed_alliance_pks(request))


def _is_relation(model, path):
    try:
        return get_fields_from_path(model, path)[-1].is_relation
    except (FieldDoesNotExist, NotRelationField):
        return False


class ScopedRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw-id field whose label is looked up among the field's own choices: an id typed or posted that the
    person may not see shows no name (Django's widget looks it up among every row of the model)."""

    def __init__(self, rel, admin_site, *, queryset, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            visible = self.queryset.using(self.db).filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        return super().label_and_url_for_value(value) if visible else ("", "")


def _narrowed(formfield, request, admin_site):
    if formfield is None or getattr(formfield, "queryset", None) is None:
        return formfield
    formfield.queryset = visible_rows(request, formfield.queryset, admin_site)
    widget = formfield.widget
    if type(widget) is widgets.ForeignKeyRawIdWidget:
        scoped = ScopedRawIdWidget(widget.rel, widget.admin_site, attrs=widget.attrs, using=widget.db,
                                   queryset=formfield.queryset)
        scoped.is_required = widget.is_required
        formfield.widget = scoped
    return formfield


class AccountPicker(widgets.AutocompleteSelect):
    """Django's autocomplete, whose box and empty choice say 请选择: select2 shows the placeholder as the box's
    text (its accessible name), and an empty choice without text is invalid HTML."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-placeholder": str(EMPTY_CHOICE)}

    def create_option(self, name, value, label, *args, **kwargs):
        return super().create_option(name, value, label if value != "" else str(EMPTY_CHOICE), *args, **kwargs)


class ScopedPickers:
    """For admins and inlines: each foreign-key and many-to-many choice is a row the person may see
    (``visible_rows``), in selects, raw-id labels and autocompletes alike. An account asked for by raw id is
    picked by name instead, from the accounts the person may see (a raw-id lookup of accounts opens the account
    list, which is the superuser's)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is User and db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = AccountPicker(db_field, self.admin_site, using=kwargs.get("using"))
        return _narrowed(super().formfield_for_foreignkey(db_field, request, **kwargs), request, self.admin_site)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _narrowed(super().formfield_for_manytomany(db_field, request, **kwargs), request, self.admin_site)


class LabelledCells:
    """For tabular inlines: each input of a row (its delete box too) is named by its column, a <th>, which labels
    no input."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not isinstance(self, admin.TabularInline):
            return formset

        class LabelledRows(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():  # the form's own copies
                    widget = getattr(field.widget, "widget", field.widget)  # inside a related-field wrapper
                    if not widget.is_hidden and field.label:
                        widget.attrs.setdefault("aria-label", str(field.label))

        return LabelledRows


@functools.cache
def _with_scoped_pickers(inline_class):
    """The inline class with ScopedPickers and LabelledCells (the scoped admins give them to every inline they
    show)."""
    if issubclass(inline_class, ScopedPickers):
        return inline_class
    return type(inline_class.__name__, (ScopedPickers, LabelledCells, inline_class),
                {"__module__": inline_class.__module__})


class AllianceScopedAdmin(ScopedPickers, OneDoorAdmin):
    """Admin for alliance-owned rows: staff see and change only their own alliances' rows, and pick only rows
    they may see (ScopedPickers, in the admin's forms and in its inlines').

    ``alliance_path`` is the lookup from the model to its Alliance.
    """

    alliance_path = "alliance"
    # Each row of a changelist costs about 1 ms to render (100 rows a page by default).
    list_per_page = 50
    # The total of rows without the filters is one more count query per page, for a line few people read.
    show_full_result_count = False
    # Nor a full count of the filtered rows: at most CAP past the page (alliance/pagination.py).
    paginator = CappedCountPaginator

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page,
                              page_number=page_number_of(request.GET.get(PAGE_VAR)))

    def get_queryset(self, request):
        return scope_to_managed(super().get_queryset(request), request.user, path=self.alliance_path,
                                managed=managed_alliance_pks(request))

    def _owns(self, request, obj):
        return obj is None or can_manage_alliance(request.user, alliance_of(obj, self.alliance_path))

    def has_module_permission(self, request):
        return super().has_module_permission(request) and bool(managed_alliance_pks(request))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def _without_alliance(self, request, names):
        # Staff of one alliance: no column or filter that would say the same for every row.
        if request.user.is_superuser or len(managed_alliance_pks(request)) != 1:
            return names
        return [name for name in names if name != self.alliance_path]

    def get_list_display(self, request):
        return self._without_alliance(request, super().get_list_display(request))

    def get_list_filter(self, request):
        filters = self._without_alliance(request, super().get_list_filter(request))
        if request.user.is_superuser:
            return filters
        # A related field's filter lists every row of its model (other alliances' projects, unpublished
        # alliances); for staff it lists those the rows they see refer to.
        return [(name, admin.RelatedOnlyFieldListFilter) if isinstance(name, str) and _is_relation(self.model, name)
                else name for name in filters]

    def action_checkbox(self, obj):
        # What Django's CheckboxInput renders, without a widget template per row (40 % of a changelist's rendering).
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           ACTION_CHECKBOX_NAME, str(obj.pk), label)

    def get_inlines(self, request, obj):
        return [_with_scoped_pickers(inline) for inline in super().get_inlines(request, obj)]


class CharterRulesInline(admin.StackedInline):
    model = CharterRules
    can_delete = False
    fieldsets = [
        (gettext_lazy("成员"), {"fields": [
            "admits_units", "admits_individuals", "unit_types", "admission_route", "admission_body_kind",
            "admission_article", "member_term_years", "term_renewable", "withdrawal_notice_months",
            "withdrawal_needs_approval", "withdrawal_article", "sanction_body_kinds", "expulsion_article",
            "member_number_format",
            "rights_text", "duties_text",
        ]}),
        (gettext_lazy("议事规则"), {"fields": [
            "decision_body_kind", ("quorum_numerator", "quorum_denominator"), "quorum_rule_text",
            ("pass_numerator", "pass_denominator"), "pass_rule_text", "abstentions_in_base",
            "tie_rule", "min_meetings_per_year", "correspondence_allowed",
        ]}),
        (gettext_lazy("负责人"), {"fields": [
            "officer_age_limit", "officer_term_years", "officer_max_terms", "officer_rules_article",
            "rotating_chair_years",
        ]}),
        (gettext_lazy("财务"), {"fields": ["dues_apply", "distribution_allowed", "distribution_article"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Staff keep the texts up to date; the decision rules change by a passed amendment of the charter.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), *CharterRules.DECISION_FIELDS]


@admin.register(Alliance)
class AllianceAdmin(AllianceScopedAdmin):
    """An alliance's details, changed through alliance_update; superusers add alliances (alliance_create)."""

    alliance_path = "pk"
    list_display = ["name", "short_name", "code", "kind", "is_public"]
    search_fields = ["name", "short_name", "name_en", "code"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [CharterRulesInline]

    def get_queryset(self, request):
        qs = super(AllianceScopedAdmin, self).get_queryset(request)
        return qs.filter(pk__in=managed_alliance_pks(request))

    def _owns(self, request, obj):
        return obj is None or can_manage_alliance(request.user, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # an alliance is the root of its whole record

    def get_readonly_fields(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), *services.ALLIANCE_SUPERUSER_FIELDS]

    def get_prepopulated_fields(self, request, obj=None):
        return super().get_prepopulated_fields(request, obj) if obj is None else {}

    def get_inlines(self, request, obj):
        # A new alliance is given default charter rules by alliance_create; they are edited once it exists.
        return super().get_inlines(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        values = self._changed_values(form, services.ALLIANCE_FIELDS)
        if change:
            self.call_service(services.alliance_update, actor=request.user, alliance=obj, **values)
        else:
            became(obj, self.call_service(services.alliance_create, actor=request.user, **values))

    def save_formset(self, request, form, formset, change):
        if formset.model is not CharterRules:
            return super().save_formset(request, form, formset, change)
        changed = []
        for rules_form in formset.forms:
            if rules_form.has_changed():
                rules = self.call_service(services.charter_rules_update, actor=request.user, rules=form.instance.rules,
                                          **{name: rules_form.cleaned_data[name] for name in rules_form.changed_data})
                changed.append((rules, rules_form.changed_data))
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], changed, []


@admin.register(Announcement)
class AnnouncementAdmin(AllianceScopedAdmin):
    list_display = ["title", "alliance", "published_at", "is_published"]
    list_filter = ["is_published", "alliance"]
    search_fields = ["title", "body"]
    list_select_related = ["alliance"]
    date_hierarchy = "published_at"

    def save_model(self, request, obj, form, change):
        if change:
            values = self._changed_values(form, services.ANNOUNCEMENT_FIELDS)
            self.call_service(services.announcement_update, actor=request.user, announcement=obj, **values)
        else:
            values = {name: form.cleaned_data[name] for name in services.ANNOUNCEMENT_FIELDS}
            became(obj, self.call_service(services.announcement_create, actor=request.user, **values))

    def delete_model(self, request, obj):
        self.call_service(services.announcement_delete, actor=request.user, announcement=obj)

    def delete_queryset(self, request, queryset):
        for announcement in queryset:
            self.delete_model(request, announcement)


@admin.register(Email)
class EmailAdmin(OneDoorAdmin):
    """The outbox, for superusers diagnosing delivery: read only (the workers write it)."""

    list_display = ["subject", "to", "kind", "created_at", "sent_at", "attempts"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Email._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


class PasswordHashText(ReadOnlyPasswordHashWidget):
    """Django's text about the stored password, without the ``disabled`` of its read-only field: the text is a
    <div>, where the attribute is invalid HTML."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordHashText()


class AccountPasswordForm(AdminPasswordChangeForm):
    """Django's password page, saving through account_password_set as the superuser who uses it."""

    def __init__(self, user, *args, actor, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.actor = actor

    def save(self, commit=True):
        usable = self.cleaned_data["set_usable_password"]
        return services.account_password_set(actor=self.actor, user=self.user,
                                             password=self.cleaned_data["password1"] if usable else None)


def _is_autocomplete(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


@admin.register(User)
class UserAdmin(BaseUserAdmin, OneDoorAdmin):
    """Accounts are managed by superusers, through account_create and account_update; staff of an alliance
    manage people through its records, and find its people by name in the account pickers (the autocomplete
    answers them with the accounts they may see, ``people_visible_to``)."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name", "phone"]
    # The verification and the consent are the person's own acts: shown, never edited here.
    readonly_fields = ["last_login", "date_joined", "email_verified_at", "privacy_consent_at", "privacy_consent_version"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (gettext_lazy("个人信息"), {"fields": ["name", "phone"]}),
        (gettext_lazy("权限"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (gettext_lazy("重要日期"), {"fields": ["last_login", "date_joined", "email_verified_at"]}),
        (gettext_lazy("个人信息处理同意"), {"fields": ["privacy_consent_at", "privacy_consent_version"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]

    def get_queryset(self, request):
        return visible_rows(request, super().get_queryset(request), self.admin_site)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        return obj is None and _is_autocomplete(request) and bool(managed_alliance_pks(request))

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # records refer to accounts; an account that must stop is made inactive

    def save_model(self, request, obj, form, change):
        if change:
            values = self._changed_values(form, services.ACCOUNT_FIELDS)
            self.call_service(services.account_update, actor=request.user, user=obj, **values)
        else:
            data = form.cleaned_data
            password = data["password1"] if data.get("set_usable_password", True) else None
            became(obj, self.call_service(services.account_create, actor=request.user, email=data["email"],
                                          name=data["name"], password=password))

    def save_related(self, request, form, formsets, change):
        pass  # the groups and permissions were saved by account_update; accounts have no inlines

    def user_change_password(self, request, id, form_url=""):
        # Django's page builds self.change_password_form(user, data): this request's copy builds the form that
        # saves through the service as this superuser.
        page = copy.copy(self)
        page.change_password_form = functools.partial(AccountPasswordForm, actor=request.user)
        return BaseUserAdmin.user_change_password(page, request, id, form_url)
