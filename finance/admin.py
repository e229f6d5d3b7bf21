from django.contrib import admin

from alliance.admin import AllianceScopedAdmin

from .models import DuesSchedule, Expense, Income


@admin.register(DuesSchedule)
class DuesScheduleAdmin(AllianceScopedAdmin):
    list_display = ["alliance", "year", "member_kind", "amount", "due_date"]
    list_filter = ["year", "member_kind", "alliance"]
    list_select_related = ["alliance"]


class RecordedByAdmin(AllianceScopedAdmin):
    readonly_fields = ["recorded_by", "recorded_at"]
    list_select_related = ["alliance"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Income)
class IncomeAdmin(RecordedByAdmin):
    list_display = ["received_on", "source", "amount", "payer", "purpose", "alliance"]
    list_filter = ["source", "alliance", "received_on"]
    search_fields = ["payer", "purpose", "reference"]
    date_hierarchy = "received_on"


@admin.register(Expense)
class ExpenseAdmin(RecordedByAdmin):
    list_display = ["paid_on", "category", "amount", "payee", "purpose", "alliance"]
    list_filter = ["category", "alliance", "paid_on"]
    search_fields = ["payee", "purpose", "reference"]
    date_hierarchy = "paid_on"
