"""Receipts follow the one pattern of PDFs made by workers (alliance/documents.py)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from alliance.tests import pdf_jobs
from finance import services, tasks
from finance.tests.factories import billed_member

KIND = services.RECEIPT


def paid_receipt():
    invoice, staff = billed_member(amount="100.00")
    payment = services.payment_record(actor=staff, invoice=invoice, amount=Decimal("100.00"),
                                      paid_on=datetime.date(2026, 2, 1), method="bank_transfer")
    return payment.receipt, staff


@pytest.mark.django_db
def test_a_receipt_is_rendered_once_through_the_pattern():
    receipt, _ = paid_receipt()
    receipt = pdf_jobs.assert_rendered_once(KIND, receipt.pk)
    assert receipt.file.name == f"finance/receipts/{receipt.alliance.code}/{receipt.number}.pdf"


@pytest.mark.django_db
def test_a_broken_receipt_template_ends_failed_after_the_cap_and_staff_see_why(client, settings, tmp_path,
                                                                              monkeypatch):
    receipt, staff = paid_receipt()
    pdf_jobs.break_template(settings, tmp_path, "finance/pdf/receipt.html")
    receipt = pdf_jobs.assert_a_broken_template_fails_after_the_cap(KIND, receipt.pk, sweep=tasks.receipt_sweep,
                                                                    monkeypatch=monkeypatch)
    pdf_jobs.assert_the_failure_is_shown_to_staff(
        client, staff, change_url=reverse("admin:finance_receipt_change", args=[receipt.pk]),
        changelist_url=reverse("admin:finance_receipt_changelist"), status_filter="status__exact",
        listed=receipt.number, error=receipt.last_error)


@pdf_jobs.on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_receipt_is_claimed_once_by_workers_racing_for_it():
    receipt, _ = paid_receipt()
    pdf_jobs.assert_claimed_once_by_threads(KIND, receipt.pk)
