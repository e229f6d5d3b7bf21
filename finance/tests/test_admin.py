"""The finance admin writes only through the services; invoices, payments and receipts are not edited by hand."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from alliance.services import secretariat_grant
from alliance.tests.factories import AllianceFactory, staff_of
from finance.models import DuesSchedule, Expense, Income, Invoice, Receipt

from .factories import billed_member, dues_alliance
from .test_dues import pay

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def assert_refused(response, text):
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "success"]


def last_history(obj):
    return type(obj).history.filter(id=obj.pk).order_by("-history_id").first()


def test_a_dues_schedule_is_set_in_the_admin_through_the_service(client):
    alliance, without_dues = dues_alliance(), AllianceFactory()
    staff = staff_of(alliance)
    secretariat_grant(actor=None, user=staff, alliance=without_dues)
    client.force_login(staff)
    url = reverse("admin:finance_duesschedule_add")
    data = {"alliance": without_dues.pk, "member_kind": "unit", "year": 2026, "amount": "2000.00",
            "due_date": "2026-03-31"}
    assert_refused(client.post(url, data), "未规定收取会费")
    assert not DuesSchedule.objects.exists()
    assert client.post(url, {**data, "alliance": alliance.pk}, follow=True).redirect_chain  # its message shown
    schedule = DuesSchedule.objects.get()
    assert last_history(schedule).history_change_reason == "设置会费标准"
    assert last_history(schedule).history_user == staff
    change = reverse("admin:finance_duesschedule_change", args=[schedule.pk])
    response = client.post(change, {"amount": "1800.00", "due_date": "2027-03-31", "year": 2027})
    assert_refused(response, "缴费截止日期须在该年度内。")
    assert client.post(change, {"amount": "1800.00", "due_date": "2026-04-30"}).status_code == 302
    schedule.refresh_from_db()
    assert (str(schedule.amount), schedule.year) == ("1800.00", 2026)
    assert client.post(reverse("admin:finance_duesschedule_delete", args=[schedule.pk]),
                       {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("model, url_name, data, date_field, reason", [
    (Income, "admin:finance_income_add",
     {"source": "donation", "amount": "5000.00", "payer": "某基金会", "purpose": "捐赠", "reference": ""},
     "received_on", "登记收入"),
    (Expense, "admin:finance_expense_add",
     {"category": "meetings", "amount": "800.00", "payee": "某会议中心", "purpose": "年会场地", "reference": ""},
     "paid_on", "登记支出"),
])
def test_income_and_expenses_are_recorded_in_the_admin_through_the_service(client, model, url_name, data,
                                                                         date_field, reason):
    alliance = dues_alliance()
    staff = staff_of(alliance)
    client.force_login(staff)
    url = reverse(url_name)
    data = {**data, "alliance": alliance.pk, date_field: f"{TOMORROW:%Y-%m-%d}"}
    response = client.post(url, data)
    assert_refused(response, "不能晚于今天")
    assert response.context["adminform"].form.errors[date_field]
    assert not model.objects.exists()
    assert client.post(url, {**data, date_field: "2026-05-01"}).status_code == 302
    record = model.objects.get()
    assert record.recorded_by == staff
    assert (last_history(record).history_change_reason, last_history(record).history_user) == (reason, staff)
    change = reverse(f"admin:finance_{model._meta.model_name}_change", args=[record.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {**data, "amount": "1.00"}).status_code == 403
    assert client.post(reverse(f"admin:finance_{model._meta.model_name}_delete", args=[record.pk]),
                       {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert record.amount != 1


def test_invoices_payments_and_receipts_are_not_edited_by_hand(client):
    invoice, staff = billed_member(amount="2000.00")
    pay(invoice, staff, "2000.00")
    receipt = Receipt.objects.get()
    client.force_login(staff)
    change = reverse("admin:finance_invoice_change", args=[invoice.pk])
    response = client.get(change)
    assert response.status_code == 200 and "2000" in response.content.decode()
    response = client.post(change, {"status": "open", "paid_total": "0", "payments-TOTAL_FORMS": 1,
                                    "payments-INITIAL_FORMS": 1, "payments-0-id": invoice.payments.get().pk,
                                    "payments-0-amount": "1.00"})
    assert response.status_code == 403
    invoice.refresh_from_db()
    assert (invoice.status, str(invoice.payments.get().amount)) == (Invoice.Status.PAID, "2000.00")
    assert client.post(reverse("admin:finance_receipt_change", args=[receipt.pk]),
                       {"number": "X"}).status_code == 403
    assert client.post(reverse("admin:finance_receipt_delete", args=[receipt.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:finance_invoice_waive", args=[invoice.pk])).status_code == 200
