"""The per-province county limit holds when several submissions race (real threads, PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from projects import services
from projects.models import Application

from .factories import ProjectFactory, county_application, organiser_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises writers itself")
def test_racing_submissions_never_exceed_three_counties_per_province():
    project = ProjectFactory()
    organiser = organiser_of(project)
    apps = [county_application(project, organiser) for _ in range(6)]
    barrier = threading.Barrier(len(apps))
    outcomes = []

    def submit(app):
        try:
            barrier.wait()
            services.application_submit(actor=organiser, application=app)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(app,)) for app in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 3
    assert Application.objects.filter(project=project, status="submitted").count() == 3


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite serialises writers itself")
def test_notices_of_one_alliance_finalised_at_once_number_their_letters_without_a_gap_or_a_collision():
    import datetime

    from django.utils import timezone

    from alliance.tests.factories import staff_of
    from projects.models import AppointmentLetter

    from .factories import community_application

    first = ProjectFactory()
    projects = [first] + [ProjectFactory(alliance=first.alliance) for _ in range(3)]
    staff = staff_of(first.alliance)
    today = timezone.localdate()
    notices = []
    for project in projects:
        for grade in (3, 4):  # two communities per notice: two letters each
            community = community_application(project, organiser_of(project), status="submitted", grade=grade)
            services.application_select(actor=staff, application=community, selected=True)
        notices.append(services.notice_publish(actor=staff, project=project, title="公示", starts_on=today,
                                               ends_on=today + datetime.timedelta(days=6)))
    later = today + datetime.timedelta(days=7)
    barrier = threading.Barrier(len(notices))
    errors = []

    def finalise(notice):
        try:
            barrier.wait()
            services.notice_finalise(actor=staff, notice=notice, today=later)
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=finalise, args=(notice,)) for notice in notices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    prefix = f"{first.alliance.code}-{later.year}-"
    assert sorted(AppointmentLetter.objects.values_list("number", flat=True)) == [
        f"{prefix}{n:03d}" for n in range(1, 9)
    ]
