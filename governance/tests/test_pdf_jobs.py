"""Vote records, resolutions and briefings follow the one pattern of PDFs made by workers (alliance/documents.py)."""

import datetime

import pytest
from django.urls import reverse

from alliance import pdf
from alliance.tests import pdf_jobs
from alliance.tests.factories import staff_of
from governance import services, tasks
from governance.models import Briefing
from governance.tests.factories import BodyFactory

from .helpers import run_vote


def published_briefing():
    body = BodyFactory()
    briefing = services.briefing_create(actor=None, alliance=body.alliance, issued_on=datetime.date(2026, 1, 5),
                                        issuers=[body], articles=[(1, "标题", "正文")])
    return services.briefing_publish(actor=None, briefing=briefing)


@pytest.mark.django_db
def test_a_result_is_rendered_once_through_the_pattern():
    result = run_vote(in_office=3, present=3, votes_for=3)
    result = pdf_jobs.assert_rendered_once(services.RESULT, result.pk)
    assert result.resolution_pdf.name == f"governance/resolutions/resolution-{result.motion_id}.pdf"
    assert result.minutes_pdf.name == f"governance/minutes/minutes-{result.motion_id}.pdf"


@pytest.mark.django_db
def test_a_briefing_is_rendered_once_through_the_pattern():
    briefing = pdf_jobs.assert_rendered_once(services.BRIEFING, published_briefing().pk)
    assert briefing.pdf.name == f"governance/briefings/briefing-{briefing.alliance_id}-2026-1.pdf"


@pytest.mark.django_db
def test_a_draft_briefing_is_neither_rendered_nor_swept(monkeypatch):
    body = BodyFactory()
    draft = services.briefing_create(actor=None, alliance=body.alliance, issued_on=datetime.date(2026, 1, 5),
                                     issuers=[body], articles=[(1, "标题", "正文")])
    assert services.briefing_render(briefing_id=draft.pk) is False
    assert pdf_jobs.swept(monkeypatch, tasks.pdf_sweep, services.BRIEFING) == []


@pytest.mark.django_db
def test_a_broken_minutes_template_ends_failed_after_the_cap_and_staff_see_why(client, settings, tmp_path,
                                                                              monkeypatch):
    result = run_vote(in_office=3, present=3, votes_for=3)
    pdf_jobs.break_template(settings, tmp_path, "governance/pdf/minutes.html")
    result = pdf_jobs.assert_a_broken_template_fails_after_the_cap(services.RESULT, result.pk, sweep=tasks.pdf_sweep,
                                                                   monkeypatch=monkeypatch)
    assert not result.resolution_pdf  # nothing of a half-made pair is stored
    pdf_jobs.assert_the_failure_is_shown_to_staff(
        client, staff_of(result.motion.meeting.body.alliance),
        change_url=reverse("admin:governance_result_change", args=[result.pk]),
        changelist_url=reverse("admin:governance_result_changelist"), status_filter="pdf_status__exact",
        listed=result.motion.title, error=result.last_error)


@pytest.mark.django_db
def test_a_broken_briefing_template_ends_failed_after_the_cap_and_staff_see_why(client, settings, tmp_path,
                                                                               monkeypatch):
    briefing = published_briefing()
    pdf_jobs.break_template(settings, tmp_path, "governance/pdf/briefing.html")
    briefing = pdf_jobs.assert_a_broken_template_fails_after_the_cap(services.BRIEFING, briefing.pk,
                                                                     sweep=tasks.pdf_sweep, monkeypatch=monkeypatch)
    pdf_jobs.assert_the_failure_is_shown_to_staff(
        client, staff_of(briefing.alliance), change_url=reverse("admin:governance_briefing_change", args=[briefing.pk]),
        changelist_url=reverse("admin:governance_briefing_changelist"), status_filter="pdf_status__exact",
        listed=briefing.issue_label, error=briefing.last_error)


@pytest.mark.django_db
def test_publishing_again_while_the_old_version_renders_stores_only_the_new_one(monkeypatch):
    briefing = published_briefing()
    real_render = pdf.render_pdf

    def republished_meanwhile(template, context, **options):
        services.briefing_publish(actor=None, briefing=briefing)
        return real_render(template, context, **options)

    monkeypatch.setattr(pdf, "render_pdf", republished_meanwhile)
    assert services.briefing_render(briefing_id=briefing.pk) is False
    briefing.refresh_from_db()
    assert briefing.pdf_status == "pending" and briefing.attempts == 0 and not briefing.pdf
    monkeypatch.setattr(pdf, "render_pdf", real_render)
    assert services.briefing_render(briefing_id=briefing.pk) is True


@pdf_jobs.on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_result_is_claimed_once_by_workers_racing_for_it():
    result = run_vote(in_office=3, present=3, votes_for=3)
    pdf_jobs.assert_claimed_once_by_threads(services.RESULT, result.pk)


@pdf_jobs.on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_briefing_is_claimed_once_by_workers_racing_for_it():
    pdf_jobs.assert_claimed_once_by_threads(services.BRIEFING, published_briefing().pk)
    assert Briefing.objects.get().pdf_status == "ready"
