"""What the directors hear of a vote: that it opened, a reminder before a correspondence deadline to those yet to
vote, and the result with its documents."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.dates import cn_date
from alliance.models import Notice, User
from alliance.services import in_site_language, notify, site_language
from governance.models import Ballot, Meeting, Motion

# 000 art. 13: ballots by correspondence count when returned by the deadline; those not yet returned are reminded
# this long before it.
DEADLINE_REMINDER_BEFORE = datetime.timedelta(hours=24)


def _directors(motion, *, without_ballot=False):
    """The accounts of the directors on the roll frozen when the vote opened, in seat order."""
    entries = motion.open_snapshot.get("in_office", [])
    if without_ballot:
        voted = set(Ballot.objects.filter(motion=motion).values_list("seat_id", flat=True))
        voted_users = set(Ballot.objects.filter(motion=motion).values_list("seat__user_id", flat=True))
        entries = [e for e in entries if e["seat"] not in voted and e["user"] not in voted_users]
    ids = [e["user"] for e in entries if e["user"]]
    users = User.objects.in_bulk(ids)
    return [users[pk] for pk in ids if pk in users]


def _notify(motion, *, to, kind, subject, template, **context):
    alliance = motion.meeting.body.alliance
    notify(to=to, kind=kind, alliance=alliance, subject=_("%(display_short_name)s：%(subject)s") % {"display_short_name": alliance.display_short_name, "subject": subject},
           template=template, context={"motion": motion, "meeting": motion.meeting, "site_url": settings.SITE_URL,
                                       **context})


def vote_opened_notify(motion):
    with site_language():
        _notify(motion, to=_directors(motion), kind=Notice.VOTES, subject=_("议案“%(title)s”开始表决") % {"title": motion.title},
                template="governance/email/vote_opened.txt")


@in_site_language
def vote_result_notify(motion, result):
    outcome = _("通过") if result.passed else _("未通过")
    _notify(motion, to=_directors(motion), kind=Notice.DECISIONS, subject=_("议案“%(title)s”表决%(outcome)s") % {"title": motion.title, "outcome": outcome},
            template="governance/email/vote_result.txt", result=result, outcome=outcome)


def vote_deadline_reminders_run(*, now=None):
    """Remind the directors who have not voted of each correspondence deadline within DEADLINE_REMINDER_BEFORE.

    Once per motion, however often it runs: the motion is claimed by a conditional update in the same transaction
    as the outbox rows. Returns the number of motions reminded.
    """
    now = now or timezone.now()
    due = Motion.objects.filter(
        status=Motion.Status.OPEN, deadline_reminded_at__isnull=True, meeting__form=Meeting.Form.CORRESPONDENCE,
        meeting__correspondence_deadline__gt=now, meeting__correspondence_deadline__lte=now + DEADLINE_REMINDER_BEFORE,
    ).select_related("meeting__body__alliance").order_by("pk")
    reminded = 0
    for motion in due:
        with transaction.atomic():
            if not Motion.objects.filter(pk=motion.pk, deadline_reminded_at__isnull=True,
                                         status=Motion.Status.OPEN).update(deadline_reminded_at=now):
                continue
            deadline = timezone.localtime(motion.meeting.correspondence_deadline)
            with site_language():
                _notify(motion, to=_directors(motion, without_ballot=True), kind=Notice.VOTES,
                        subject=_("通讯表决将于%(date)s %(time)s截止，请对议案“%(title)s”表决") % {
                            "date": cn_date(deadline), "time": f"{deadline:%H:%M}", "title": motion.title},
                        template="governance/email/vote_deadline.txt", deadline=deadline)
        reminded += 1
    return reminded
