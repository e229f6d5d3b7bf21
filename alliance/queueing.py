"""Enqueueing tasks after commit, without ever failing the request that asked for them.

Services name their tasks (``"members.tasks.certificate_render"``) rather than import them: a tasks module imports
its app's services, so the services import no tasks module (the import contracts in .importlinter hold it).

If the broker is down the enqueue is logged and dropped: the work is recorded in the database (an outbox
row or a pending status) and a periodic sweep enqueues it again once the broker is back.
"""

import logging
from importlib import import_module

from django.db import transaction

logger = logging.getLogger(__name__)


def task_named(name):
    """The task object at a dotted path, e.g. ``"members.tasks.certificate_render"``."""
    module, _, attribute = name.rpartition(".")
    return getattr(import_module(module), attribute)


def enqueue(task, *args):
    """Send task (a task or its dotted name) with args to the broker now."""
    task = task_named(task) if isinstance(task, str) else task
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep retries later
        logger.warning("Could not enqueue %s%r; the sweep will retry.", task.name, args, exc_info=True)


def enqueue_on_commit(task, *args):
    transaction.on_commit(lambda: enqueue(task, *args))
