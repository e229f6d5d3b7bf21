"""Bodies of an alliance and the meetings they hold, as staff enter them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alliance.permissions import require_manage_alliance
from alliance.services import checked_and_saved, set_values
from governance.models import Body, Meeting, Motion

BODY_FIELDS = ("kind", "name", "description", "order")
MEETING_FIELDS = ("title", "form", "date", "place", "agenda", "correspondence_deadline", "status")
# What a vote of the meeting depends on (who is in office on the day, how ballots are returned, until when).
MEETING_VOTE_FIELDS = ("date", "form", "correspondence_deadline")


@transaction.atomic
def body_create(*, actor, alliance, **values):
    require_manage_alliance(actor, alliance)
    body = Body(alliance=alliance)
    set_values(body, values, BODY_FIELDS)
    return checked_and_saved(body, actor=actor, reason="设立机构")


@transaction.atomic
def body_update(*, actor, body, **values):
    """Change a body's name, kind or description (it stays in its alliance)."""
    body = Body.objects.select_for_update().select_related("alliance").get(pk=body.pk)
    require_manage_alliance(actor, body.alliance)
    set_values(body, values, BODY_FIELDS)
    return checked_and_saved(body, actor=actor, reason="修改机构信息")


@transaction.atomic
def meeting_create(*, actor, body, **values):
    require_manage_alliance(actor, body.alliance)
    meeting = Meeting(body=body)
    set_values(meeting, values, MEETING_FIELDS)
    return checked_and_saved(meeting, actor=actor, reason="安排会议")


@transaction.atomic
def meeting_update(*, actor, meeting, **values):
    """Change a meeting; once a vote of it has opened, its date, form and deadline are those of the vote."""
    meeting = Meeting.objects.select_for_update().select_related("body__alliance").get(pk=meeting.pk)
    require_manage_alliance(actor, meeting.body.alliance)
    voted = meeting.motions.exclude(status=Motion.Status.DRAFT).exists()
    changed = [name for name, value in values.items() if getattr(meeting, name) != value]
    if voted and set(changed) & set(MEETING_VOTE_FIELDS):
        field = next(name for name in MEETING_VOTE_FIELDS if name in changed)
        raise ValidationError({field: _("本次会议已开始表决，会议日期、形式和通讯表决截止时间不能再修改。")})
    if voted and values.get("status") == Meeting.Status.CANCELLED:
        raise ValidationError({"status": _("本次会议已开始表决，不能取消。")})
    set_values(meeting, values, MEETING_FIELDS)
    return checked_and_saved(meeting, actor=actor, reason="修改会议信息")
