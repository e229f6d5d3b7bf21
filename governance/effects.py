"""What a passed motion does to records of other apps.

Governance knows motions, not members or officers' records elsewhere; an app that owns the records
registers a handler for a motion kind in its AppConfig.ready(), and the governance service that closes a
passed motion calls ``apply``. Handlers run inside the closing transaction and go through their own app's
services, so the change is recorded in that app's history with the motion as its reason.
"""

ADMIT_MEMBER = "admit_member"
EXPEL_MEMBER = "expel_member"
SANCTION_MEMBER = "sanction_member"

_handlers = {}


def register(kind, handler):
    """handler(*, motion, actor) -> None. One handler per kind."""
    if kind in _handlers and _handlers[kind] is not handler:
        raise ValueError(f"A handler for {kind!r} is already registered.")
    _handlers[kind] = handler


def handler_for(kind):
    return _handlers.get(kind)


def apply(motion, *, actor):
    handler = _handlers.get(motion.kind)
    if handler is not None:
        handler(motion=motion, actor=actor)
