"""Regression tests for the leaks and server errors the security matrix found."""

import pytest
from django.urls import reverse

from alliance.tests.factories import UserFactory


@pytest.mark.django_db
def test_the_admin_history_of_a_model_without_simple_history_answers_instead_of_failing(client):
    # finance.Receipt has no HistoricalRecords; its scoped admin's history pages used to raise AttributeError.
    from finance import services
    from finance.tests.factories import billed_member

    invoice, staff = billed_member()
    payment = services.payment_record(actor=staff, invoice=invoice, amount=invoice.amount,
                                      paid_on=invoice.due_date.replace(year=2026, month=1, day=2),
                                      method="bank_transfer")
    receipt = payment.receipt
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:finance_receipt_history", args=[receipt.pk])).status_code == 200
    assert client.get(reverse("admin:finance_receipt_simple_history", args=[receipt.pk, 1])).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("admin:finance_receipt_history", args=[receipt.pk])).status_code == 200


@pytest.mark.django_db
def test_a_very_long_login_name_is_refused_without_a_server_error(client):
    # django-axes keeps the name in 255 characters; a longer one used to fail its INSERT with a 500.
    response = client.post(reverse("login"), {"username": "长" * 300 + "@example.cn", "password": "x"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
