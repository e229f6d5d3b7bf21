"""Members hear of their dues: the invoice issued and each payment with its receipt. Money is never turned off."""

import datetime
from decimal import Decimal

import pytest

from alliance.models import Email, Notice
from alliance.services import notice_preferences_update
from alliance.tests.factories import AllianceFactory, staff_of
from alliance.tests.notices import delivered, recipients
from finance import services
from finance.models import Receipt
from finance.tests.factories import billed_member

pytestmark = pytest.mark.django_db

CONTACT = "zhangmx@example.cn"  # the member's liaison


def test_an_issued_invoice_reaches_the_member_once_with_the_amount_and_due_date():
    outsider = staff_of(AllianceFactory())
    invoice, staff = billed_member(amount="2000.00")
    member = invoice.member
    assert recipients("年度会费缴费通知") == sorted([member.user.email, CONTACT])
    body = Email.objects.filter(subject__contains="缴费通知").first().body
    assert "2,000.00 元" in body
    assert "2026年3月31日" in body
    services.invoices_issue(actor=staff, alliance=invoice.alliance, year=2026)  # a second run issues nothing
    assert len(recipients("年度会费缴费通知")) == 2
    assert not Email.objects.filter(to__in=[staff.email, outsider.email]).exists()


def test_a_recorded_payment_reaches_the_member_with_the_receipt_link_even_with_notices_off():
    invoice, staff = billed_member(amount="2000.00")
    user = invoice.member.user
    notice_preferences_update(actor=user, user=user, enabled=[])
    services.payment_record(actor=staff, invoice=invoice, amount=Decimal("500.00"),
                            paid_on=datetime.date(2026, 3, 1), method="bank_transfer")
    receipt = Receipt.objects.get()
    assert recipients("已收到您的2026年度会费") == sorted([user.email, CONTACT])
    email = Email.objects.get(to=user.email, subject__contains="已收到您的2026年度会费")
    assert f"/finance/receipts/{receipt.pk}/" in email.body and receipt.number in email.body
    assert "尚未缴纳" in email.body and email.kind == Notice.MONEY
    [message] = [m for m in delivered() if m.to == [user.email] and "年度会费" in m.subject and "已收到" in m.subject]
    assert f"/finance/receipts/{receipt.pk}/" in message.alternatives[0][0]
