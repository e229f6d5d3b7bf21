"""Fixtures shared by every app's tests: private files in a temp dir, a real Celery worker, Chromium."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def own_cache(settings):
    """An empty cache in the test process's memory for each test: a page cached by one test never reaches
    another, and the suite never touches the cache of a portal running from the same var/ (or Redis)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def tasks_stay_in_the_test(request, monkeypatch):
    """Only tests that use the real worker publish tasks to the broker.

    Otherwise a test that commits (transaction=True, live_server) would hand its tasks to the session's worker,
    which would then read or write rows while the next test flushes the database. Tests that check an enqueue
    patch the task's own apply_async, which takes precedence over this.
    """
    if "celery_worker" in request.fixturenames:
        return
    from celery.app.task import Task

    monkeypatch.setattr(Task, "apply_async", lambda self, *args, **kwargs: None)


def _database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def worker_env(django_db_setup, tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    env = os.environ.copy()
    env.update(
        DATABASE_URL=_database_url(),
        MEDIA_ROOT=str(base / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(base / "worker-mail"),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
    )
    return env


@pytest.fixture(scope="session")
def celery_worker(worker_env, tmp_path_factory):
    """A real `celery worker` process on the configured broker (Redis in CI) and the test database."""
    from alliance.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=3)
        # Messages an earlier run left behind would point at rows of another test database.
        app.control.purge(connection=conn)
    log = tmp_path_factory.getbasetemp() / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "alliance", "worker", "--concurrency=2", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}@%h"],
            cwd=BASE_DIR, env=worker_env, stdout=out, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while b" ready." not in log.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"Celery worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_for(predicate, *, timeout=30, interval=0.2):
    """Poll until predicate() is truthy; return its value or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {predicate}")


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
