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
