"""Dues: invoices issued once, payments partial or full, overpayment refused, waivers, receipts, reminders."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliance.models import Email
from alliance.tests.factories import UserFactory, staff_of
from finance import services
from finance.models import DuesReminder, Invoice, Receipt
from finance.selectors import accounts_for_year, dues_totals
from finance.tests.factories import DUE, billed_member, dues_alliance
from members.tests.factories import admitted_member

pytestmark = pytest.mark.django_db
PAID_ON = datetime.date(2026, 2, 1)


def pay(invoice, staff, amount, paid_on=PAID_ON):
    return services.payment_record(actor=staff, invoice=invoice, amount=Decimal(amount), paid_on=paid_on,
                                   method="bank_transfer", reference="BT-001")


def test_issuing_invoices_twice_creates_no_duplicates():
    invoice, staff = billed_member()
    admitted_member(alliance=invoice.alliance)
    assert services.invoices_issue(actor=staff, alliance=invoice.alliance, year=2026) == 1
    assert services.invoices_issue(actor=staff, alliance=invoice.alliance, year=2026) == 0
    assert Invoice.objects.filter(alliance=invoice.alliance, year=2026).count() == 2


def test_invoices_are_refused_where_the_charter_has_no_dues():
    member, staff = admitted_member()  # dues_apply is off by default
    with pytest.raises(ValidationError):
        services.invoices_issue(actor=staff, alliance=member.alliance, year=2026)


def test_another_alliances_staff_cannot_issue_invoices():
    invoice, _ = billed_member()
    with pytest.raises(PermissionDenied):
        services.invoices_issue(actor=staff_of(dues_alliance()), alliance=invoice.alliance, year=2026)


def test_a_partial_payment_leaves_the_invoice_partly_paid_then_full_payment_settles_it():
    invoice, staff = billed_member(amount="2000.00")
    pay(invoice, staff, "500.00")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_total, invoice.outstanding) == ("partly_paid", Decimal("500.00"),
                                                                        Decimal("1500.00"))
    pay(invoice, staff, "1500.00")
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.outstanding == Decimal("0.00")


def test_overpayment_is_refused_with_the_outstanding_amount():
    invoice, staff = billed_member(amount="2000.00")
    pay(invoice, staff, "1500.00")
    with pytest.raises(ValidationError) as exc:
        pay(invoice, staff, "500.01")
    assert "超过未缴金额" in str(exc.value) and "500.00 元" in str(exc.value)
    invoice.refresh_from_db()
    assert invoice.paid_total == Decimal("1500.00")


def test_a_paid_invoice_takes_no_more_payments():
    invoice, staff = billed_member(amount="100.00")
    pay(invoice, staff, "100.00")
    with pytest.raises(ValidationError):
        pay(invoice, staff, "1.00")


def test_a_waiver_needs_a_reason_and_closes_the_invoice():
    invoice, staff = billed_member()
    with pytest.raises(ValidationError):
        services.invoice_waive(actor=staff, invoice=invoice, reason="  ")
    services.invoice_waive(actor=staff, invoice=invoice, reason="受灾地区学校，理事会决定减免")
    invoice.refresh_from_db()
    assert invoice.status == "waived" and invoice.outstanding == Decimal("0.00")
    with pytest.raises(ValidationError):
        pay(invoice, staff, "1.00")


def test_receipt_numbers_run_per_alliance_and_year_without_gaps():
    invoice, staff = billed_member(amount="300.00")
    for _ in range(3):
        pay(invoice, staff, "100.00")
    code = invoice.alliance.code
    assert sorted(Receipt.objects.values_list("number", flat=True)) == [f"{code}-SJ-2026-000{n}" for n in (1, 2, 3)]


def test_a_refused_payment_takes_no_receipt_number():
    invoice, staff = billed_member(amount="100.00")
    with pytest.raises(ValidationError):
        pay(invoice, staff, "200.00")
    pay(invoice, staff, "100.00")
    assert Receipt.objects.get().number.endswith("-0001")


def test_recording_a_payment_enqueues_the_receipt_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    from finance import tasks

    invoice, staff = billed_member()
    queued = []
    monkeypatch.setattr(tasks.receipt_render, "apply_async", lambda args, **kw: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        payment = pay(invoice, staff, "100.00")
    assert queued == [(payment.receipt.pk,)]


def test_rendering_a_receipt_twice_writes_one_file(tmp_path):
    invoice, staff = billed_member(amount="12345.67")
    payment = pay(invoice, staff, "12345.67")
    assert services.receipt_render(receipt_id=payment.receipt.pk) is True
    assert services.receipt_render(receipt_id=payment.receipt.pk) is False
    receipt = Receipt.objects.get()
    assert receipt.status == "ready" and receipt.file.name.endswith(f"{receipt.number}.pdf")
    path = tmp_path / "r.pdf"
    path.write_bytes(receipt.file.read())
    import subprocess

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "壹万贰仟叁佰肆拾伍元陆角柒分" in text and receipt.number in text


def test_reminders_are_sent_once_before_the_due_date_and_once_when_overdue():
    invoice, _ = billed_member()
    Email.objects.all().delete()
    before = DUE - datetime.timedelta(days=10)
    assert services.dues_reminders_run(today=before) == 1
    assert services.dues_reminders_run(today=before) == 0
    assert services.dues_reminders_run(today=DUE + datetime.timedelta(days=1)) == 1
    assert services.dues_reminders_run(today=DUE + datetime.timedelta(days=2)) == 0
    assert services.dues_reminders_run(today=DUE + datetime.timedelta(days=30)) == 1
    assert list(invoice.reminders.order_by("pk").values_list("kind", flat=True)) == ["due_soon", "overdue",
                                                                                      "overdue_long"]
    # Three reminders, each to the member's account and to its liaison.
    assert Email.objects.filter(subject__contains="会费").count() == 6


def test_no_reminder_is_sent_for_a_paid_invoice_or_too_early():
    invoice, staff = billed_member(amount="100.00")
    assert services.dues_reminders_run(today=DUE - datetime.timedelta(days=60)) == 0
    pay(invoice, staff, "100.00")
    assert services.dues_reminders_run(today=DUE + datetime.timedelta(days=5)) == 0
    assert not DuesReminder.objects.exists()


def test_accounts_show_dues_invoiced_collected_outstanding_and_rate():
    invoice, staff = billed_member(amount="2000.00")
    second, _ = billed_member(invoice.alliance, amount="2000.00")
    pay(invoice, staff, "2000.00")
    pay(second, staff, "500.00")
    totals = dues_totals(alliance=invoice.alliance, year=2026)
    assert totals == {"invoiced": Decimal("4000.00"), "waived": Decimal("0.00"), "collected": Decimal("2500.00"),
                      "outstanding": Decimal("1500.00"), "rate": Decimal("62.5")}
    accounts = accounts_for_year(alliance=invoice.alliance, year=2026)
    assert accounts.income_by_source[0] == ("会费", Decimal("2500.00"))


def test_a_member_sees_only_their_own_invoices(client):
    invoice, _ = billed_member()
    other, _ = billed_member()
    client.force_login(invoice.member.user)
    html = client.get(reverse("finance:my_invoices")).content.decode()
    assert invoice.member.number in html and other.member.number not in html


def test_receipts_are_downloadable_by_the_member_and_their_staff_only(client):
    invoice, staff = billed_member()
    payment = pay(invoice, staff, "100.00")
    services.receipt_render(receipt_id=payment.receipt.pk)
    url = reverse("finance:receipt_download", args=[payment.receipt.pk])
    client.force_login(invoice.member.user)
    assert client.get(url).status_code == 200
    client.force_login(staff)
    assert client.get(url).status_code == 200
    for outsider in (UserFactory(), staff_of(dues_alliance())):
        client.force_login(outsider)
        assert client.get(url).status_code == 403


def test_the_member_invoice_list_query_count_does_not_grow(client, django_assert_num_queries):
    invoice, staff = billed_member()
    user = invoice.member.user
    pay(invoice, staff, "100.00")
    client.force_login(user)
    url = reverse("finance:my_invoices")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for year in range(2021, 2026):
        services.dues_schedule_set(actor=staff, alliance=invoice.alliance, member_kind=invoice.member.kind, year=year,
                                   amount=Decimal("100"), due_date=datetime.date(year, 3, 31))
        services.invoices_issue(actor=staff, alliance=invoice.alliance, year=year)
        pay(Invoice.objects.get(member=invoice.member, year=year), staff, "50.00", paid_on=datetime.date(year, 2, 1))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_invoice_changelist_is_scoped_and_its_query_count_does_not_grow(client, django_assert_num_queries):
    invoice, staff = billed_member()
    other, _ = billed_member()
    client.force_login(staff)
    url = reverse("admin:finance_invoice_changelist")
    response = client.get(url)
    assert list(response.context["cl"].result_list) == [invoice]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        billed_member(invoice.alliance)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 6


def test_staff_record_a_payment_in_the_admin_and_overpayment_is_shown_next_to_the_field(client):
    invoice, staff = billed_member(amount="100.00")
    client.force_login(staff)
    url = reverse("admin:finance_invoice_pay", args=[invoice.pk])
    response = client.post(url, {"amount": "150.00", "paid_on": "2026-02-01", "method": "cash", "reference": ""})
    assert response.status_code == 200
    assert "超过未缴金额" in str(response.context["form"].errors["amount"])
    response = client.post(url, {"amount": "100.00", "paid_on": "2026-02-01", "method": "cash", "reference": ""})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_another_alliances_staff_cannot_open_the_payment_page(client):
    invoice, _ = billed_member()
    client.force_login(staff_of(dues_alliance()))
    assert client.get(reverse("admin:finance_invoice_pay", args=[invoice.pk])).status_code == 404


def test_accounts_export_to_excel(client):
    invoice, staff = billed_member()
    pay(invoice, staff, "100.00")
    client.force_login(staff)
    response = client.get(reverse("admin:finance_invoice_accounts"),
                          {"alliance": invoice.alliance.pk, "year": 2026, "export": "xlsx"})
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["会费"] == 100 and rows["已收"] == 100


def test_the_payment_form_gives_its_date_input_an_iso_value(client):
    invoice, staff = billed_member(amount="100.00")
    client.force_login(staff)
    html = client.get(reverse("admin:finance_invoice_pay", args=[invoice.pk])).content.decode()
    today = datetime.date.today().isoformat()
    assert f'type="date" name="paid_on" value="{today}"' in html


def test_a_payment_date_in_the_future_shows_its_error_under_the_date_not_under_the_amount(client):
    invoice, staff = billed_member(amount="100.00")
    client.force_login(staff)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    html = client.post(reverse("admin:finance_invoice_pay", args=[invoice.pk]),
                       {"amount": "50.00", "paid_on": future, "method": "cash", "reference": ""}).content.decode()
    date_input, error, method = (html.index('name="paid_on"'), html.index("缴费日期不能晚于今天"),
                                 html.index('name="method"'))
    assert html.index('name="amount"') < date_input < error < method
    assert f'value="{future}"' in html


def test_the_invoice_changelist_lists_by_year_then_member_and_filters_by_the_scheduled_years(client):
    newest, staff = billed_member()
    billed_member(newest.alliance, year=2025)  # issues 2025 to both members
    billed_member(newest.alliance)  # a third member; 2026 issued to the second as well
    client.force_login(staff)
    url = reverse("admin:finance_invoice_changelist")
    response = client.get(url)
    listed = [(i.year, i.member_id) for i in response.context["cl"].result_list]
    assert len(listed) == 5 and listed == sorted(listed, key=lambda row: (-row[0], row[1]))
    page = response.content.decode()
    assert "2025年" in page and "?year__exact=2026" in page
    response = client.get(url, {"year__exact": "2025"})
    assert {i.year for i in response.context["cl"].result_list} == {2025}
    assert len(response.context["cl"].result_list) == 2
