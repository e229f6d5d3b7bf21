"""Enqueueing tasks after commit, without ever failing the request that asked for them.

If the broker is down the enqueue is logged and dropped: the work is recorded in the database (an outbox
row or a pending status) and a periodic sweep enqueues it again once the broker is back.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args):
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep retries later
        logger.warning("Could not enqueue %s%r; the sweep will retry.", task.name, args, exc_info=True)


def enqueue_on_commit(task, *args):
    transaction.on_commit(lambda: enqueue(task, *args))
