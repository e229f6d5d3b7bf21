from django.contrib import admin

from alliance.admin import AllianceScopedAdmin
from alliance.permissions import alliances_managed_by

from .models import Body, Seat


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ["role", "person_name", "unit_name", "title", "user", "start_date", "end_date", "order"]
    raw_id_fields = ["user"]


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
    list_display = ["holder_name", "role", "body", "start_date", "end_date"]
    list_filter = ["role", "body__kind", "body__alliance"]
    search_fields = ["person_name", "unit_name", "title"]
    list_select_related = ["body__alliance"]
    raw_id_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = Body.objects.filter(alliance__in=alliances_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
