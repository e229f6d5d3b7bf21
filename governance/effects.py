"""What a passed motion acts on, and what it does to records of other apps.

Governance knows motions, not members or officers' records elsewhere. An app that owns the records a motion
kind acts on registers, in its AppConfig.ready():

- the kind's subject (``subject_register``): the one model the kind's motions name, with the lookup from that
  model to its alliance. A motion names its subjects by primary key, and they are always read as that model
  and within the motion's own alliance (``subjects_of``, ``motion_subjects``): a key of another model or of
  another alliance is refused, never followed;
- the kind's deciding bodies (``deciders_register``): which kinds of body of the alliance may decide motions of
  the kind (the charter's data); ``motion_create`` refuses a motion put to any other body;
- the kind's handler (``register``): the governance service that closes a passed motion calls ``apply``;
  ``failed_register`` likewise for a failed one (``apply_failed``).
  Handlers run inside the closing transaction, read their subjects again under a row lock with
  ``motion_subjects``, and go through their own app's services, so the change is recorded in that app's
  history with the motion as its reason.

The app that owns the members answers whether a seat's holder represents a member whose right to vote or to
stand is suspended (``seat_rights_register``, asked through ``seat_right_suspended``).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ADMIT_MEMBER = "admit_member"
EXPEL_MEMBER = "expel_member"
SANCTION_MEMBER = "sanction_member"

# The rights of a member that governance enforces on its representatives' seats.
RIGHT_VOTE = "vote"
RIGHT_STAND = "stand"

_handlers = {}
_failed_handlers = {}
_deciders = {}
_subjects = {}
_seat_rights = []


@dataclass(frozen=True)
class Subject:
    """The records a motion kind acts on: ``model`` rows whose ``alliance_path`` is the motion's alliance."""

    model: type
    alliance_path: str = "alliance"
    many: bool = False
    required: bool = True
    # Which rows the admin's picker offers (the rule itself is the type and the alliance).
    choices: dict = None

    @property
    def label(self):
        return self.model._meta.verbose_name


def _register_once(table, kind, value, what):
    if table.get(kind, value) is not value:
        raise ValueError(f"{what} for {kind!r} is already registered.")
    table[kind] = value


def register(kind, handler):
    """handler(*, motion, actor) -> None, called when a motion of kind passes. One handler per kind."""
    _register_once(_handlers, kind, handler, "A handler")


def handler_for(kind):
    return _handlers.get(kind)


def _call(table, motion, actor):
    handler = table.get(motion.kind)
    if handler is not None:
        handler(motion=motion, actor=actor)


def apply(motion, *, actor):
    _call(_handlers, motion, actor)


def failed_register(kind, handler):
    """handler(*, motion, actor) -> None, called when a motion of kind fails. One handler per kind."""
    _register_once(_failed_handlers, kind, handler, "A failed-vote handler")


def apply_failed(motion, *, actor):
    _call(_failed_handlers, motion, actor)


def deciders_register(kind, deciders):
    """deciders(rules) -> the body kinds of the alliance that may decide motions of kind."""
    _register_once(_deciders, kind, deciders, "Deciders")


def decision_body_check(*, kind, body):
    """Refuse a motion of kind put to a body the charter does not name for it (000 art. 11, 001 arts. 17, 22)."""
    deciders = _deciders.get(kind)
    if deciders is not None and body.kind not in deciders(body.alliance.rules):
        raise ValidationError({"meeting": _("章程未授权%(name)s决定此类议案，请提交章程规定的决定机构。") % {"name": body.name}})


def seat_rights_register(check):
    """check(seat, right) -> True when the seat's holder may not use that right (RIGHT_VOTE, RIGHT_STAND)."""
    if check not in _seat_rights:
        _seat_rights.append(check)


def seat_right_suspended(seat, right):
    return any(check(seat, right) for check in _seat_rights)


def subject_register(kind, model, *, alliance_path="alliance", many=False, required=True, choices=None):
    """Motions of kind act on model rows (one, or with many one or more) of their own alliance."""
    subject = Subject(model=model, alliance_path=alliance_path, many=many, required=required, choices=choices)
    if _subjects.get(kind, subject) != subject:
        raise ValueError(f"A subject for {kind!r} is already registered.")
    _subjects[kind] = subject


def subject_for(kind):
    """The kind's Subject, or None when motions of that kind act on no record."""
    return _subjects.get(kind)


def subjects():
    return dict(_subjects)


def _valid_ids(ids):
    return isinstance(ids, list) and all(type(pk) is int and pk > 0 for pk in ids) and len(set(ids)) == len(ids)


def subjects_of(*, kind, alliance_id, ids, lock=False):
    """The kind's subject rows with these keys, in that order, each of the kind's model and of the alliance.

    Raises ValidationError (for the field ``subject_ids``) when a key is not such a row, when the number of
    keys does not suit the kind, or when the alliance is unknown. With lock, the rows are held until the end
    of the transaction.
    """
    subject = _subjects.get(kind)
    if subject is None:
        if ids:
            raise ValidationError({"subject_ids": _("该类型的议案不针对具体对象。")})
        return []
    if not _valid_ids(ids):
        raise ValidationError({"subject_ids": _("议案对象无效。")})
    if subject.required and not ids:
        raise ValidationError({"subject_ids": _("该类型的议案须指明%(label)s。") % {"label": subject.label}})
    if len(ids) > 1 and not subject.many:
        raise ValidationError({"subject_ids": _("该类型的议案只能针对一个%(label)s。") % {"label": subject.label}})
    if ids and alliance_id is None:
        raise ValidationError({"subject_ids": _("无法确定议案所属联盟，不能指明议案对象。")})
    rows = subject.model._default_manager.filter(pk__in=ids, **{subject.alliance_path: alliance_id})
    if lock:
        rows = rows.select_for_update(of=("self",))
    found = {row.pk: row for row in rows}
    if len(found) != len(ids):
        # A council decides about its own alliance's applicants, members, officers and charter only.
        raise ValidationError({"subject_ids": _("议案对象须为本联盟的%(label)s。") % {"label": subject.label}})
    return [found[pk] for pk in ids]


def motion_subjects(motion, *, model, lock=True):
    """For a handler: the motion's subjects, refused unless its kind acts on ``model`` rows of its alliance."""
    subject = _subjects.get(motion.kind)
    if subject is None or subject.model is not model:
        raise ValidationError(_("“%(kind)s”议案的对象不是%(verbose_name)s。") % {"kind": motion.get_kind_display(), "verbose_name": model._meta.verbose_name})
    return subjects_of(kind=motion.kind, alliance_id=motion.meeting.body.alliance_id, ids=motion.subject_ids,
                       lock=lock)
