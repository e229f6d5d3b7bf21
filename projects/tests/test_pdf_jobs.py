"""Printed application forms and 聘书 follow the one pattern of PDFs made by workers (alliance/documents.py)."""

import datetime

import pytest
from django.urls import reverse

from alliance.tests import pdf_jobs
from alliance.tests.factories import staff_of
from projects import services, tasks
from projects.models import AppointmentLetter

from .factories import ProjectFactory, community_application, county_application, organiser_of

pytestmark = pytest.mark.django_db


def submitted_form():
    project = ProjectFactory()
    return county_application(project, organiser_of(project), status="submitted")


def pending_letter():
    project = ProjectFactory()
    community = community_application(project, organiser_of(project), status="final")
    return AppointmentLetter.objects.create(application=community, number="NCET-2026-001",
                                            issued_on=datetime.date(2026, 1, 8))


def test_a_submitted_form_is_printed_once_through_the_pattern():
    form = submitted_form()
    form = pdf_jobs.assert_rendered_once(services.APPLICATION_FORM, form.pk)
    assert form.pdf_file.name == f"projects/pdf/{form.project.slug}-{form.pk}.pdf"
    assert form.pdf_version == form.submitted_at


def test_a_draft_is_not_printed_by_a_worker_nor_swept(monkeypatch):
    project = ProjectFactory()
    draft = county_application(project, organiser_of(project))
    assert services.application_pdf_store(application_id=draft.pk) is False
    assert pdf_jobs.swept(monkeypatch, tasks.pdf_sweep, services.APPLICATION_FORM) == []


def test_a_letter_is_rendered_once_through_the_pattern():
    letter = pdf_jobs.assert_rendered_once(services.LETTER, pending_letter().pk)
    assert letter.file.name == "projects/letters/NCET-2026-001.pdf"


def test_a_broken_form_template_ends_failed_after_the_cap_and_staff_see_why(client, settings, tmp_path, monkeypatch):
    form = submitted_form()
    pdf_jobs.break_template(settings, tmp_path, "projects/pdf/county.html")
    form = pdf_jobs.assert_a_broken_template_fails_after_the_cap(services.APPLICATION_FORM, form.pk,
                                                                 sweep=tasks.pdf_sweep, monkeypatch=monkeypatch)
    pdf_jobs.assert_the_failure_is_shown_to_staff(
        client, staff_of(form.project.alliance),
        change_url=reverse("admin:projects_application_change", args=[form.pk]),
        changelist_url=reverse("admin:projects_application_changelist"), status_filter="pdf_status__exact",
        listed=form.applicant_unit, error=form.last_error)
    # The organiser is told it failed instead of being asked to wait for a PDF that will not come.
    client.force_login(form.created_by)
    response = client.get(reverse("projects:application_pdf", args=[form.pk]), follow=True)
    assert "打印版生成失败" in response.content.decode()


def test_a_broken_letter_template_ends_failed_after_the_cap_and_staff_see_why(client, settings, tmp_path,
                                                                             monkeypatch):
    letter = pending_letter()
    pdf_jobs.break_template(settings, tmp_path, "projects/pdf/letter.html")
    letter = pdf_jobs.assert_a_broken_template_fails_after_the_cap(services.LETTER, letter.pk, sweep=tasks.pdf_sweep,
                                                                   monkeypatch=monkeypatch)
    pdf_jobs.assert_the_failure_is_shown_to_staff(
        client, staff_of(letter.application.project.alliance),
        change_url=reverse("admin:projects_appointmentletter_change", args=[letter.pk]),
        changelist_url=reverse("admin:projects_appointmentletter_changelist"), status_filter="status__exact",
        listed=letter.number, error=letter.last_error)


@pdf_jobs.on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_form_is_claimed_once_by_workers_racing_for_it():
    pdf_jobs.assert_claimed_once_by_threads(services.APPLICATION_FORM, submitted_form().pk)


@pdf_jobs.on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_letter_is_claimed_once_by_workers_racing_for_it():
    pdf_jobs.assert_claimed_once_by_threads(services.LETTER, pending_letter().pk)
