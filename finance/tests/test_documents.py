"""A receipt as an office stamps it: inside its printable area, the payee's seal place, amounts with thousands
separators (¥12,345.00)."""

import datetime
from decimal import Decimal

import pytest

from alliance.tests import pdf_layout
from finance import services
from finance.money import format_amount
from finance.tests.factories import billed_member

MARGINS = (10, 14, 10, 14)  # finance/pdf/receipt.html: @page { margin: 10mm 14mm }


def test_amounts_in_figures_carry_the_yuan_sign_two_places_and_thousands_separators():
    assert format_amount(Decimal("12345")) == "¥12,345.00"
    assert format_amount(Decimal("1234567.8")) == "¥1,234,567.80"
    assert format_amount(Decimal("800")) == "¥800.00"


@pytest.mark.django_db
def test_a_receipt_shows_its_amount_with_separators_and_the_seal_place_inside_the_page():
    invoice, staff = billed_member(amount="12345.00")
    # The longest reference a payment takes (60 characters) still leaves the receipt on its one page.
    payment = services.payment_record(actor=staff, invoice=invoice, amount=Decimal("12000.00"),
                                      paid_on=datetime.date(2026, 2, 1), method="bank_transfer",
                                      reference="网银转账流水号二〇二六〇二〇一〇〇〇一二三四五六七八九〇一，附言：二〇二六年度会费，经办单位秘书处财务室，请妥善保管收据")
    [pdf] = pdf_layout.rendered(services.RECEIPT, payment.receipt)
    text = pdf_layout.text(pdf)
    assert "¥12,000.00" in text and "应缴 12,345.00 元" in text and "（盖章）" in text
    assert "2026年2月1日" in text
    assert pdf_layout.page_count(pdf) == 1
    pdf_layout.assert_inside_printable(pdf, margins=MARGINS)
