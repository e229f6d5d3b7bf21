from governance import services
from governance.models import Ballot
from governance.tests.factories import MeetingFactory, MotionFactory, council_with_directors


def run_vote(*, in_office, present, votes_for=0, against=0, abstain=0, staff=None, **rules):
    """A council of in_office directors; `present` check in and the first ones vote; returns the result."""
    body, seats = council_with_directors(in_office, **rules)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    for seat in seats[:present]:
        services.attendance_check_in(actor=seat.user, meeting=motion.meeting)
    services.vote_open(actor=staff, motion=motion)
    choices = [Ballot.Choice.FOR] * votes_for + [Ballot.Choice.AGAINST] * against + [Ballot.Choice.ABSTAIN] * abstain
    assert len(choices) <= present
    for seat, choice in zip(seats, choices, strict=False):
        services.ballot_cast(actor=seat.user, motion=motion, choice=choice)
    return services.vote_close(actor=staff, motion=motion)


def check_in(meeting, seats):
    """The seats' directors check themselves in (the meeting is today's): at an in-person meeting only the
    directors present vote (000 art. 12)."""
    for seat in seats:
        services.attendance_check_in(actor=seat.user, meeting=meeting)


def sign_in_sheet(meeting, seats):
    """The secretariat records the seats' directors present at a meeting held on an earlier day, at 9:00."""
    import datetime

    from django.utils import timezone

    from alliance.tests.factories import staff_of

    staff = staff_of(meeting.body.alliance)
    signed_in = timezone.make_aware(datetime.datetime.combine(meeting.date, datetime.time(9)))
    for seat in seats:
        services.attendance_check_in(actor=staff, meeting=meeting, seat=seat, checked_in_at=signed_in)
