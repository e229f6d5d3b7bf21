"""The daily check that each alliance's council meets (000 art. 13: at least once a year)."""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from guardian.shortcuts import get_users_with_perms

from alliance.permissions import MANAGE_ALLIANCE
from alliance.services import email_queue
from governance.models import Body, CouncilReminder, Meeting

logger = logging.getLogger(__name__)


def _twelve_months_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day - datetime.timedelta(days=365)


def _staff_emails(alliance):
    users = get_users_with_perms(alliance, only_with_perms_in=[MANAGE_ALLIANCE.split(".")[1]], with_superusers=False)
    return sorted({u.email for u in users if u.is_active and u.is_staff})


@transaction.atomic
def council_reminders_check(*, today):
    """Flag each decision body with no meeting in the last twelve months and none scheduled; clear the rest.

    Safe to run any number of times a day: a body has at most one open flag, and staff are e-mailed only
    when the flag is raised.
    """
    bodies = Body.objects.select_related("alliance__rules").filter(kind=Body.Kind.COUNCIL)
    raised = []
    for body in bodies:
        if body.alliance.rules.min_meetings_per_year < 1:
            continue
        meetings = Meeting.objects.filter(body=body).exclude(status=Meeting.Status.CANCELLED)
        last = meetings.filter(date__lte=today).order_by("-date").values_list("date", flat=True).first()
        scheduled = meetings.filter(date__gt=today, status=Meeting.Status.SCHEDULED).exists()
        overdue = (last is None or last < _twelve_months_before(today)) and not scheduled
        open_flag = CouncilReminder.objects.filter(body=body, resolved_on__isnull=True).first()
        if not overdue:
            if open_flag:
                open_flag.resolved_on = today
                open_flag.save(update_fields=["resolved_on"])
            continue
        if open_flag:
            continue
        try:
            with transaction.atomic():
                flag = CouncilReminder.objects.create(body=body, flagged_on=today, last_meeting_on=last)
        except IntegrityError:  # another run raised it a moment ago
            continue
        raised.append(flag)
        for email in _staff_emails(body.alliance):
            email_queue(
                to=email, subject=f"提醒：{body}超过十二个月未召开会议",
                template="governance/email/council_reminder.txt",
                context={"body": body, "last": last, "site_url": settings.SITE_URL},
            )
    logger.info("Council reminders raised: %s", [f.pk for f in raised])
    return raised
