"""The daily check that each decision body meets as often as its charter says (000 art. 13: at least once a year)."""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from alliance.models import Notice
from alliance.permissions import secretariat_staff
from alliance.services import in_site_language, notify
from governance.models import Body, CouncilReminder, Meeting

logger = logging.getLogger(__name__)

# From the last quarter a body short of its yearly meetings is warned while there is still time to convene one.
WARN_FROM_MONTH = 10


def _years_to_check(today):
    """The calendar year just ended, and the current one from the last quarter on."""
    return [today.year - 1, *([today.year] if today.month >= WARN_FROM_MONTH else [])]


@in_site_language
def _raise(*, body, year, held, today):
    meetings = Meeting.objects.filter(body=body, status=Meeting.Status.HELD, date__lte=today)
    last = meetings.order_by("-date").values_list("date", flat=True).first()
    try:
        with transaction.atomic():
            flag = CouncilReminder.objects.create(body=body, year=year, meetings_held=held, flagged_on=today,
                                                  last_meeting_on=last)
    except IntegrityError:  # another run raised it a moment ago
        return None
    minimum = body.alliance.rules.min_meetings_per_year
    subject = (_("提醒：%(body)s%(year)s年召开会议 %(held)s 次，少于章程规定的每年 %(minimum)s 次") % {"body": body, "year": year, "held": held, "minimum": minimum} if flag.year_ended
               else _("提醒：%(body)s%(year)s年已召开会议 %(held)s 次，尚不足章程规定的每年 %(minimum)s 次") % {"body": body, "year": year, "held": held, "minimum": minimum})
    notify(
        to=secretariat_staff(body.alliance), kind=Notice.SECRETARIAT, subject=subject, alliance=body.alliance,
        template="governance/email/council_reminder.txt", context={"flag": flag, "body": body, "minimum": minimum},
    )
    return flag


@transaction.atomic
def council_reminders_check(*, today):
    """Flag each decision body that held fewer meetings in a calendar year than the charter's minimum.

    Only meetings marked held count: one merely scheduled does not clear a flag (000 art. 13). The year just
    ended is checked, and the current year from WARN_FROM_MONTH. A flag is cleared when meetings of its year
    recorded later bring the count up to the minimum. Safe to run any number of times a day: one flag per body
    and year, and staff are e-mailed only when it is raised.
    """
    bodies = Body.objects.select_related("alliance__rules").filter(
        kind=F("alliance__rules__decision_body_kind"), alliance__rules__min_meetings_per_year__gte=1
    )
    raised = []
    for body in bodies:
        minimum = body.alliance.rules.min_meetings_per_year
        for year in _years_to_check(today):
            held = Meeting.objects.filter(
                body=body, status=Meeting.Status.HELD, date__year=year, date__lte=today
            ).count()
            flag = CouncilReminder.objects.filter(body=body, year=year).first()
            if flag is None:
                if held < minimum and (flag := _raise(body=body, year=year, held=held, today=today)):
                    raised.append(flag)
                continue
            resolved_on = None if held < minimum else (flag.resolved_on or today)
            if (flag.meetings_held, flag.resolved_on) != (held, resolved_on):
                flag.meetings_held, flag.resolved_on = held, resolved_on
                flag.save(update_fields=["meetings_held", "resolved_on"])
    logger.info("Council reminders raised: %s", [f.pk for f in raised])
    return raised
