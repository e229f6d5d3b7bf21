"""Bodies of an alliance and the meetings they hold, as staff enter them."""

from django.core.exceptions import ValidationError
from django.db import transaction

from alliance.permissions import require_manage_alliance
from alliance.services import with_history
from governance.models import Body, Meeting, Motion

BODY_FIELDS = ("kind", "name", "description", "order")
MEETING_FIELDS = ("title", "form", "date", "place", "agenda", "correspondence_deadline", "status")
# What a vote of the meeting depends on (who is in office on the day, how ballots are returned, until when).
MEETING_VOTE_FIELDS = ("date", "form", "correspondence_deadline")


def _only(values, allowed, service):
    if set(values) - set(allowed):
        raise TypeError(f"{service}() does not set {sorted(set(values) - set(allowed))}")


@transaction.atomic
def body_create(*, actor, alliance, **values):
    _only(values, BODY_FIELDS, "body_create")
    require_manage_alliance(actor, alliance)
    body = Body(alliance=alliance, **values)
    body.full_clean()
    with_history(body, actor=actor, reason="设立机构").save()
    return body


@transaction.atomic
def body_update(*, actor, body, **values):
    """Change a body's name, kind or description (it stays in its alliance)."""
    _only(values, BODY_FIELDS, "body_update")
    body = Body.objects.select_for_update().select_related("alliance").get(pk=body.pk)
    require_manage_alliance(actor, body.alliance)
    for name, value in values.items():
        setattr(body, name, value)
    body.full_clean()
    with_history(body, actor=actor, reason="修改机构信息").save()
    return body


@transaction.atomic
def meeting_create(*, actor, body, **values):
    _only(values, MEETING_FIELDS, "meeting_create")
    require_manage_alliance(actor, body.alliance)
    meeting = Meeting(body=body, **values)
    meeting.full_clean()
    with_history(meeting, actor=actor, reason="安排会议").save()
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting, **values):
    """Change a meeting; once a vote of it has opened, its date, form and deadline are those of the vote."""
    _only(values, MEETING_FIELDS, "meeting_update")
    meeting = Meeting.objects.select_for_update().select_related("body__alliance").get(pk=meeting.pk)
    require_manage_alliance(actor, meeting.body.alliance)
    voted = meeting.motions.exclude(status=Motion.Status.DRAFT).exists()
    changed = [name for name, value in values.items() if getattr(meeting, name) != value]
    if voted and set(changed) & set(MEETING_VOTE_FIELDS):
        field = next(name for name in MEETING_VOTE_FIELDS if name in changed)
        raise ValidationError({field: "本次会议已开始表决，会议日期、形式和通讯表决截止时间不能再修改。"})
    if voted and values.get("status") == Meeting.Status.CANCELLED:
        raise ValidationError({"status": "本次会议已开始表决，不能取消。"})
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    with_history(meeting, actor=actor, reason="修改会议信息").save()
    return meeting
