"""Checks that a kind of PDF made by workers follows alliance/documents.py's pattern and policy.

Each domain app's tests call them with one of its rows, its kind and its tasks, so every kind is tested through
its real task, sweep, template and alliance/pdf.py; this module names no domain app.
"""

import datetime
import threading

import pytest
from celery import current_app
from django.db import connection, connections
from django.utils import timezone

from alliance import documents
from alliance.documents import MAX_ATTEMPTS, DocumentStatus

BROKEN = "{% if %}"  # a template syntax error, as a bad edit of a PDF template would make
# Claims race on row locks, which SQLite does not have.
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def row_of(kind, pk):
    return kind.model._default_manager.get(pk=pk)


def status_of(kind, pk):
    return getattr(row_of(kind, pk), kind.status_field)


def run_task(kind, pk):
    """The kind's own Celery task, called in this process as a worker would run it."""
    current_app.tasks[kind.task](pk)


def break_template(settings, tmp_path, name):
    """Put a template with a syntax error in front of the real one (DIRS are searched before the apps')."""
    root = tmp_path / "broken-templates"
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(BROKEN)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [root, *engine["DIRS"]]}]


def swept(monkeypatch, sweep, kind):
    """The rows of ``kind`` the app's sweep task hands to a worker."""
    sent = []
    monkeypatch.setattr("alliance.queueing.enqueue", lambda task, *args: sent.append((task.name, args)))
    sweep()
    return [args[0] for name, args in sent if name == kind.task]


def assert_rendered_once(kind, pk):
    """The task renders the row's PDFs under their fixed names and marks it ready; a second delivery does nothing."""
    run_task(kind, pk)
    row = row_of(kind, pk)
    assert getattr(row, kind.status_field) == DocumentStatus.READY
    assert (row.attempts, row.last_error, row.claimed_at, row.retry_at) == (1, "", None, None)
    files = kind.files(row)
    assert files
    for file in files:
        stored = getattr(row, file.field)
        assert stored.name == stored.field.generate_filename(row, file.name)
        with stored.open("rb") as f:
            assert f.read(5) == b"%PDF-"
    run_task(kind, pk)
    assert row_of(kind, pk).attempts == 1
    return row


def assert_a_broken_template_fails_after_the_cap(kind, pk, *, sweep, monkeypatch):
    """Each failed attempt records its error and waits its back-off (no claim, no sweep before it is over); the last
    one leaves the row failed with the error, and neither the sweep nor a stray message tries it again."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert pk in swept(monkeypatch, sweep, kind)
        before = timezone.now()
        run_task(kind, pk)
        after = timezone.now()
        row = row_of(kind, pk)
        assert row.attempts == attempt
        assert row.last_error.startswith("TemplateSyntaxError: ")
        assert row.claimed_at is None
        if attempt == MAX_ATTEMPTS:
            break
        assert getattr(row, kind.status_field) == DocumentStatus.PENDING
        assert before + documents.backoff(attempt) <= row.retry_at <= after + documents.backoff(attempt)
        run_task(kind, pk)  # a duplicate message during the back-off waits too
        assert row_of(kind, pk).attempts == attempt
        assert pk not in swept(monkeypatch, sweep, kind)
        # The back-off is over.
        kind.model._default_manager.filter(pk=pk).update(retry_at=timezone.now() - datetime.timedelta(seconds=1))
    assert getattr(row, kind.status_field) == DocumentStatus.FAILED and row.retry_at is None
    assert pk not in swept(monkeypatch, sweep, kind)
    run_task(kind, pk)
    row = row_of(kind, pk)
    assert row.attempts == MAX_ATTEMPTS and getattr(row, kind.status_field) == DocumentStatus.FAILED
    assert all(not getattr(row, file.field) for file in kind.files(row))
    return row


def assert_claimed_once_by_threads(kind, pk, *, threads=4):
    """Workers given the same row at the same moment: one claims and renders it, the others do nothing."""
    barrier = threading.Barrier(threads)
    results, errors = [], []

    def deliver():
        try:
            barrier.wait(timeout=30)
            results.append(documents.render(kind, pk))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=deliver) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    assert sorted(results) == [False] * (threads - 1) + [True]
    row = row_of(kind, pk)
    assert getattr(row, kind.status_field) == DocumentStatus.READY and row.attempts == 1 and row.last_error == ""


def assert_the_failure_is_shown_to_staff(client, staff, *, change_url, changelist_url, status_filter, listed, error):
    """The admin shows the failed status and the error read-only, and its PDF-status filter finds the row."""
    client.force_login(staff)
    page = client.get(change_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert str(DocumentStatus.FAILED.label) in html and error in html
    assert 'name="last_error"' not in html  # shown, not editable
    failed = client.get(changelist_url, {status_filter: DocumentStatus.FAILED})
    assert failed.status_code == 200 and listed in failed.content.decode()
    ready = client.get(changelist_url, {status_filter: DocumentStatus.READY})
    assert ready.status_code == 200 and listed not in ready.content.decode()
