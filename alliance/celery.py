"""The Celery app. Configuration comes from Django settings under the ``CELERY_`` namespace."""

import os

from celery import Celery
from celery.signals import worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")

app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_shutdown.connect
def release_pdf_fonts(**kwargs):
    """A pool process ends without Python's clean-up at exit: let go of the PDF fonts' temporary files now."""
    from alliance.pdf import release_fonts

    release_fonts()
