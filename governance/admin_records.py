"""Recorded steps that are not votes, in the admin: the officer conditions people attest (000 art. 14), the
guidance committee's interpretations of the charter (001 art. 24) and referrals of a member's violation to the
authorities (001 art. 22 (一)). Each is written by its service (governance/services/records.py)."""

from django.contrib import admin

from alliance.admin import AddOnlyMixin, AllianceScopedAdmin, became

from . import services
from .admin import ServiceWrittenAdmin, _passed_motions
from .models import CharterInterpretation, MemberReferral, OfficerCondition
from .services.records import INTERPRETATION_KINDS, INTERPRETING_BODY, REFERRAL_KINDS


@admin.register(OfficerCondition)
class OfficerConditionAdmin(ServiceWrittenAdmin):
    """Nothing deletes a condition: one confirmed for a seat is part of its record."""

    list_display = ["article", "text", "alliance", "order"]
    list_filter = ["alliance"]
    list_select_related = ["alliance"]
    fields = ["alliance", "article", "text", "order"]
    written_fields, row_argument = services.OFFICER_CONDITION_FIELDS, "condition"
    create_service = staticmethod(services.officer_condition_create)
    update_service = staticmethod(services.officer_condition_update)


@admin.register(CharterInterpretation)
class CharterInterpretationAdmin(AddOnlyMixin, AllianceScopedAdmin):
    list_display = ["article", "alliance", "motion", "recorded_at"]
    list_filter = ["alliance"]
    list_select_related = ["alliance", "motion"]
    search_fields = ["article", "text"]
    fields = ["alliance", "motion", "article", "text", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "motion":
            # 001 art. 24: the guidance committee's passed decisions, chosen by title.
            kwargs["queryset"] = _passed_motions(request, meeting__body__kind=INTERPRETING_BODY,
                                                 kind__in=INTERPRETATION_KINDS, interpretation__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        became(obj, self.call_service(services.charter_interpretation_record, actor=request.user,
                                       alliance=data["alliance"], motion=data["motion"], article=data["article"],
                                       text=data["text"]))


@admin.register(MemberReferral)
class MemberReferralAdmin(AddOnlyMixin, AllianceScopedAdmin):
    alliance_path = "member__alliance"
    list_display = ["member", "referred_on", "addressee", "decision"]
    list_filter = ["referred_on"]
    list_select_related = ["member", "decision"]
    search_fields = ["member__name", "addressee"]
    fields = ["member", "decision", "referred_on", "addressee", "summary", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    raw_id_fields = ["member"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "decision":
            kwargs["queryset"] = _passed_motions(request, kind__in=REFERRAL_KINDS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        became(obj, self.call_service(
            services.member_referral_record, actor=request.user, member=data["member"], decision=data["decision"],
            referred_on=data["referred_on"], addressee=data["addressee"], summary=data["summary"]))
