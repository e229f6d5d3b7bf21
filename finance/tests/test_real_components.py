"""Receipts through a real Celery worker, and the member's journey in Chromium."""

import re
import subprocess
from decimal import Decimal

import pytest

from conftest import wait_for
from finance import services
from finance.models import Receipt
from finance.tests.factories import billed_member

PAID_ON = "2026-02-01"


def pay(invoice, staff, amount):
    import datetime

    return services.payment_record(actor=staff, invoice=invoice, amount=Decimal(amount),
                                   paid_on=datetime.date(2026, 2, 1), method="bank_transfer", reference="BT-9")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_receipt_with_an_embedded_cjk_font(celery_worker, tmp_path):
    invoice, staff = billed_member(amount="12000.00")
    payment = pay(invoice, staff, "12000.00")  # autocommit: the on-commit enqueue runs at once
    receipt = wait_for(lambda: Receipt.objects.filter(pk=payment.receipt.pk, status="ready").first(), timeout=60)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(receipt.file.read())
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Noto-?(Sans|Serif)-?CJK.*yes\s+yes", fonts), fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "壹万贰仟元整" in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_sees_their_invoice_and_downloads_the_receipt(page, live_server):
    invoice, staff = billed_member(amount="2000.00")
    payment = pay(invoice, staff, "2000.00")
    services.receipt_render(receipt_id=payment.receipt.pk)
    user = invoice.member.user

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/profile/")
    page.goto(live_server.url + "/finance/invoices/")
    main = page.locator("main").inner_text()
    assert f"{invoice.alliance.name} · 2026年度会费" in main and "已缴清" in main
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("下载收据")).click()
    download = download_info.value
    assert download.suggested_filename == f"{payment.receipt.number}.pdf"
    assert open(download.path(), "rb").read(4) == b"%PDF"
