"""Two staff approving the same application at once admit exactly one member with one number."""

import threading

import pytest
from django.db import connection, connections

from alliance.models import Counter
from alliance.tests.factories import AllianceFactory, staff_of
from members import services
from members.models import Member
from members.tests.factories import submitted_application

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.fixture(autouse=True)
def no_enqueue(monkeypatch):
    # These tests commit; a worker left running by another test must not render or mail while the test
    # database is flushed afterwards.
    monkeypatch.setattr("members.services.certificates.enqueue_on_commit", lambda task, *ids: None)
    monkeypatch.setattr("alliance.services.enqueue_on_commit", lambda task, *ids: None)


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_at_once_make_one_member_and_one_number():
    app = submitted_application()
    first, second = staff_of(app.alliance), staff_of(app.alliance)
    results, errors = _race([
        lambda: services.application_approve(actor=first, application=app),
        lambda: services.application_approve(actor=second, application=app),
    ])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], services.TransitionNotAllowed)
    assert Member.objects.count() == 1
    assert Counter.objects.get(kind=Counter.Kind.MEMBER).value == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_admissions_in_one_alliance_draw_consecutive_numbers():
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    apps = [submitted_application(alliance=alliance) for _ in range(6)]
    results, errors = _race([
        (lambda a=a: services.application_approve(actor=staff, application=a)) for a in apps
    ])
    assert errors == []
    seqs = sorted(int(m.number.rsplit("-", 1)[1]) for m in Member.objects.all())
    assert seqs == [1, 2, 3, 4, 5, 6]
    assert Counter.objects.get(kind=Counter.Kind.MEMBER, alliance=alliance).value == 6
