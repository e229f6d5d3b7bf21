"""Certificates follow the one pattern of PDFs made by workers (alliance/documents.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.documents import MAX_ATTEMPTS
from alliance.models import Email
from alliance.tests import pdf_jobs
from members import services, tasks
from members.models import Certificate
from members.tests.factories import admitted_member

KIND = services.CERTIFICATE


def certificate_of(member):
    return Certificate.objects.get(member=member, revoked_at__isnull=True)


@pytest.mark.django_db
def test_a_certificate_is_rendered_once_through_the_pattern():
    member, _ = admitted_member()
    certificate = pdf_jobs.assert_rendered_once(KIND, certificate_of(member).pk)
    assert certificate.file.name == f"members/certificates/{certificate.token}.pdf"
    assert Email.objects.filter(subject__contains="证书已生成").count() == 2  # the account and the liaison, once each


@pytest.mark.django_db
def test_a_broken_certificate_template_ends_failed_after_the_cap_and_staff_see_why(client, settings, tmp_path,
                                                                                  monkeypatch):
    member, staff = admitted_member()
    pdf_jobs.break_template(settings, tmp_path, "members/pdf/certificate.html")
    certificate = pdf_jobs.assert_a_broken_template_fails_after_the_cap(
        KIND, certificate_of(member).pk, sweep=tasks.certificate_sweep, monkeypatch=monkeypatch)
    assert not Email.objects.filter(subject__contains="证书已生成").exists()
    pdf_jobs.assert_the_failure_is_shown_to_staff(
        client, staff, change_url=reverse("admin:members_member_change", args=[member.pk]),
        changelist_url=reverse("admin:members_member_changelist"), status_filter="certificates__status__exact",
        listed=member.number, error=certificate.last_error)


@pytest.mark.django_db
def test_a_claim_abandoned_by_a_dead_worker_is_taken_over_once_stale():
    member, _ = admitted_member()
    certificate = certificate_of(member)
    Certificate.objects.filter(pk=certificate.pk).update(status="rendering", claimed_at=timezone.now(), attempts=1)
    assert services.certificate_render(certificate_id=certificate.pk) is False
    Certificate.objects.filter(pk=certificate.pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=10))
    assert services.certificate_render(certificate_id=certificate.pk) is True
    certificate.refresh_from_db()
    assert certificate.status == "ready" and certificate.attempts == 2


@pytest.mark.django_db
def test_a_claim_abandoned_on_the_last_attempt_is_failed_by_the_sweep_not_retried(monkeypatch):
    member, _ = admitted_member()
    certificate = certificate_of(member)
    Certificate.objects.filter(pk=certificate.pk).update(
        status="rendering", claimed_at=timezone.now() - datetime.timedelta(hours=1), attempts=MAX_ATTEMPTS)
    assert pdf_jobs.swept(monkeypatch, tasks.certificate_sweep, KIND) == []
    certificate.refresh_from_db()
    assert certificate.status == "failed" and "时限" in certificate.last_error and certificate.claimed_at is None


@pdf_jobs.on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_certificate_is_claimed_once_by_workers_racing_for_it():
    member, _ = admitted_member()
    pdf_jobs.assert_claimed_once_by_threads(KIND, certificate_of(member).pk)
    assert Email.objects.filter(subject__contains="证书已生成").count() == 2  # the account and the liaison, once each


@pytest.mark.django_db
def test_a_certificate_render_asks_ten_queries_and_writes_its_one_history_row(django_assert_max_num_queries):
    member, _ = admitted_member()
    certificate = certificate_of(member)
    # The claim, the row with its member, the first certificate, the chair, marked ready, its history row, the
    # e-mail's settings and insert, and the transaction's two.
    with django_assert_max_num_queries(10):
        assert services.certificate_render(certificate_id=certificate.pk) is True
    [ready] = certificate.history.filter(history_type="~")
    assert (ready.status, ready.file, ready.history_change_reason) == (
        "ready", f"members/certificates/{certificate.token}.pdf", "证书已生成")
