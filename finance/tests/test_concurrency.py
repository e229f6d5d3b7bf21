"""Receipt numbers stay gapless when staff record payments at the same moment (real threads, PostgreSQL)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from finance import services
from finance.models import Invoice, Receipt
from finance.tests.factories import DUE, dues_alliance
from members.tests.factories import admitted_member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_payments_recorded_at_once_take_consecutive_receipt_numbers():
    alliance = dues_alliance()
    members = [admitted_member(alliance=alliance) for _ in range(6)]
    _, staff = members[0]
    for kind in {member.kind for member, _ in members}:
        services.dues_schedule_set(actor=staff, alliance=alliance, member_kind=kind, year=2026,
                                   amount=Decimal("500.00"), due_date=DUE)
    services.invoices_issue(actor=staff, alliance=alliance, year=2026)
    invoices = list(Invoice.objects.filter(alliance=alliance, year=2026))
    barrier = threading.Barrier(len(invoices))
    errors = []

    def pay(invoice):
        try:
            barrier.wait()
            services.payment_record(actor=staff, invoice=invoice, amount=Decimal("500.00"),
                                    paid_on=datetime.date(2026, 2, 1), method="bank_transfer", reference="BT")
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(invoice,)) for invoice in invoices]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(Receipt.objects.values_list("number", flat=True)) == [
        f"{alliance.code}-SJ-2026-{n:04d}" for n in range(1, 7)
    ]
