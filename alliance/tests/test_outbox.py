"""The e-mail outbox: written with the change, sent by a worker after commit, never sent twice."""

import pytest
from django.core import mail
from django.utils import timezone

from alliance import services, tasks
from alliance.models import Email
from conftest import wait_for

pytestmark = pytest.mark.django_db


def queue_one():
    return services.email_queue(
        to="a@example.cn", subject="测试邮件", template="alliance/email/verify.txt",
        context={"user": {"name": "张三"}, "site_url": "http://portal.test"},
    )


def test_queueing_enqueues_the_send_only_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.email_send, "apply_async", lambda args, **kw: sent.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = queue_one()
    assert sent == [] and len(callbacks) == 1
    callbacks[0]()
    assert sent == [(email.pk,)]


def test_a_failed_enqueue_loses_nothing_and_the_sweep_sends_it_later(django_capture_on_commit_callbacks, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.email_send, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_one()
    assert Email.objects.get(pk=email.pk).sent_at is None
    Email.objects.filter(pk=email.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=10))

    monkeypatch.undo()
    monkeypatch.setattr(tasks.email_send, "apply_async", lambda args, **kw: tasks.email_send(*args))
    tasks.email_sweep()
    assert Email.objects.get(pk=email.pk).sent_at is not None
    assert [m.subject for m in mail.outbox] == ["测试邮件"]


def test_delivering_twice_sends_once():
    email = queue_one()
    assert services.email_deliver(email_id=email.pk) is True
    assert services.email_deliver(email_id=email.pk) is False
    assert len(mail.outbox) == 1
    assert "张三，您好" in mail.outbox[0].body


def test_a_failed_delivery_is_recorded_and_raised_for_retry(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    email = queue_one()
    with pytest.raises(services.EmailDeliveryFailed):
        services.email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert email.attempts == 1 and email.last_error and email.sent_at is None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_queued_email(celery_worker, worker_env):
    from pathlib import Path

    email = queue_one()  # autocommit: the on-commit enqueue runs at once
    wait_for(lambda: Email.objects.get(pk=email.pk).sent_at, timeout=30)
    sent_files = list(Path(worker_env["EMAIL_FILE_PATH"]).glob("*.log"))
    assert any("To: a@example.cn" in f.read_text(errors="replace") for f in sent_files)


def test_one_task_sends_each_of_its_emails_and_fails_for_a_retry_when_one_failed(monkeypatch):
    failing, other = queue_one(), queue_one()
    deliver = services.email_deliver

    def smtp_refuses_one(*, email_id):
        if email_id == failing.pk:
            raise services.EmailDeliveryFailed("refused")
        return deliver(email_id=email_id)

    monkeypatch.setattr(services, "email_deliver", smtp_refuses_one)
    with pytest.raises(services.EmailDeliveryFailed):
        tasks.email_send(failing.pk, other.pk)
    assert Email.objects.get(pk=other.pk).sent_at is not None
    assert Email.objects.get(pk=failing.pk).sent_at is None
