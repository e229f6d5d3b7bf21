"""Outages: a request never waits for a broker that is down, and a database outage shows the portal's page."""

import json
import socket
import subprocess
import sys

import pytest
from django.db import OperationalError

from alliance.models import Email
from conftest import BASE_DIR

# Queues one outbox e-mail in a transaction, as a request does, in a process whose broker is down.
CHILD = """
import json, time, django
django.setup()
from django.db import transaction
from alliance import services
timings = []
for n in range(3):
    started = time.monotonic()
    with transaction.atomic():
        services.email_queue(to=f"down{n}@example.cn", subject="代理不可用时的邮件",
                             template="alliance/email/verify.txt", context={"user": {"name": "张三"}})
    timings.append(time.monotonic() - started)
print(json.dumps(timings))
"""


def queue_with_broker(worker_env, broker_url):
    env = {**worker_env, "CELERY_BROKER_URL": broker_url, "LOG_LEVEL": "CRITICAL"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_an_enqueue_with_the_broker_refusing_returns_at_once_and_loses_nothing(worker_env):
    timings = queue_with_broker(worker_env, f"redis://127.0.0.1:{closed_port()}/0")
    # Before alliance/settings.py set max_retries=0 each enqueue retried for ~6 s.
    assert max(timings) < 1.0, timings
    assert Email.objects.filter(subject="代理不可用时的邮件", sent_at__isnull=True).count() == 3


@pytest.mark.django_db(transaction=True)
def test_an_enqueue_with_the_broker_not_answering_returns_within_the_socket_timeout(worker_env):
    # A server that accepts the connection but never answers, like a Redis that is stopped (SIGSTOP).
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        timings = queue_with_broker(worker_env, f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
    # Without socket_timeout an enqueue waited forever.
    assert max(timings) < 5.0, timings
    assert Email.objects.filter(subject="代理不可用时的邮件", sent_at__isnull=True).count() == 3


def test_a_database_outage_answers_503_with_the_portal_page(client, monkeypatch):
    from alliance import views

    def down():
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(views.selectors, "alliance_list_public", down)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "服务暂时不可用" in page and "Traceback" not in page and "Connection refused" not in page


def test_any_other_error_answers_500_with_the_portal_page(client, monkeypatch):
    from alliance import views

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "alliance_list_public", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错" in page and "boom" not in page
