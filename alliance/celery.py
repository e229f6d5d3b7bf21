"""The Celery app. Configuration comes from Django settings under the ``CELERY_`` namespace."""

import os

from celery import Celery
from celery.signals import celeryd_init, worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
def refuse_to_start_without_a_secret_key(**kwargs):
    """A worker of a production install without SECRET_KEY stops at once, as the web server does (Celery logs
    and swallows a handler's exceptions, so it exits)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.SECRET_KEY  # noqa: B018 - Django raises ImproperlyConfigured for an empty key
    except ImproperlyConfigured as exc:
        raise SystemExit(f"alliance: {exc}") from exc


@worker_process_shutdown.connect
def release_pdf_fonts(**kwargs):
    """A pool process ends without Python's clean-up at exit: let go of the PDF fonts' temporary files now."""
    from alliance.pdf import release_fonts

    release_fonts()
