from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Alliance, Announcement, CharterRules, Email, User
from .permissions import alliance_of, alliances_managed_by, can_manage_alliance, scope_to_managed

admin.site.site_header = "联盟服务平台管理"
admin.site.site_title = "联盟服务平台"
admin.site.index_title = "秘书处工作台"


def _managed_alliance_pks(request):
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


def errors_onto_form(form, error):
    """Put a service's ValidationError on form: next to each field the form has, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


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
        # Nothing to save (a read-only inline): what Django's change message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

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


class AllianceScopedAdmin(OneDoorAdmin):
    """Admin for alliance-owned rows: staff see and change only their own alliances' rows.

    ``alliance_path`` is the lookup from the model to its Alliance.
    """

    alliance_path = "alliance"
    # Each row of a changelist costs about 1 ms to render (100 rows a page by default).
    list_per_page = 50
    # The total of rows without the filters is one more count query per page, for a line few people read.
    show_full_result_count = False

    def get_queryset(self, request):
        return scope_to_managed(super().get_queryset(request), request.user, path=self.alliance_path,
                                managed=_managed_alliance_pks(request))

    def _owns(self, request, obj):
        return obj is None or can_manage_alliance(request.user, alliance_of(obj, self.alliance_path))

    def has_module_permission(self, request):
        return super().has_module_permission(request) and bool(_managed_alliance_pks(request))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def _without_alliance(self, request, names):
        # Staff of one alliance: no column or filter that would say the same for every row.
        if request.user.is_superuser or len(_managed_alliance_pks(request)) != 1:
            return names
        return [name for name in names if name != self.alliance_path]

    def get_list_display(self, request):
        return self._without_alliance(request, super().get_list_display(request))

    def get_list_filter(self, request):
        return self._without_alliance(request, super().get_list_filter(request))

    def action_checkbox(self, obj):
        # What Django's CheckboxInput renders, without a widget template per row (40 % of a changelist's rendering).
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           ACTION_CHECKBOX_NAME, str(obj.pk), label)

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Alliance:
            kwargs["queryset"] = alliances_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CharterRulesInline(admin.StackedInline):
    model = CharterRules
    can_delete = False
    fieldsets = [
        ("成员", {"fields": [
            "admits_units", "admits_individuals", "unit_types", "admission_route", "admission_body_kind",
            "admission_article", "member_term_years", "term_renewable", "withdrawal_notice_months",
            "withdrawal_needs_approval", "withdrawal_article", "expulsion_article", "member_number_format",
            "rights_text", "duties_text",
        ]}),
        ("议事规则", {"fields": [
            "decision_body_kind", ("quorum_numerator", "quorum_denominator"), "quorum_rule_text",
            ("pass_numerator", "pass_denominator"), "pass_rule_text", "abstentions_in_base", "present_rule",
            "tie_rule", "min_meetings_per_year", "correspondence_allowed",
        ]}),
        ("负责人", {"fields": [
            "officer_age_limit", "officer_term_years", "officer_max_terms", "officer_rules_article",
            "rotating_chair_years",
        ]}),
        ("财务", {"fields": ["dues_apply"]}),
    ]


@admin.register(Alliance)
class AllianceAdmin(AllianceScopedAdmin):
    alliance_path = "pk"
    list_display = ["name", "short_name", "code", "kind", "is_public"]
    search_fields = ["name", "short_name", "name_en", "code"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [CharterRulesInline]

    def get_queryset(self, request):
        qs = super(AllianceScopedAdmin, self).get_queryset(request)
        return qs.filter(pk__in=_managed_alliance_pks(request))

    def _owns(self, request, obj):
        return obj is None or can_manage_alliance(request.user, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # an alliance is the root of its whole record

    def save_model(self, request, obj, form, change):
        self.call_service(services.alliance_save, actor=request.user, alliance=obj)

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


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    """The outbox, for superusers diagnosing delivery."""

    list_display = ["subject", "to", "created_at", "sent_at", "attempts"]
    list_filter = ["sent_at"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Email._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin, ReadOnlyHistoryAdmin):
    """Accounts are managed by superusers; staff of an alliance manage people through its records."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name", "phone"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("个人信息", {"fields": ["name", "phone"]}),
        ("权限", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("重要日期", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser
