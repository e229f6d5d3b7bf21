"""What the directors hear of a vote: the opening, a reminder before a correspondence deadline, the result."""

import datetime

import pytest
from django.utils import timezone

from alliance.models import Email, Notice
from alliance.services import notice_preferences_update
from alliance.tests.factories import UserFactory, staff_of
from alliance.tests.notices import delivered, recipients
from governance import services
from governance.models import Meeting
from governance.tests.factories import MeetingFactory, MotionFactory, SeatFactory, council_with_directors

pytestmark = pytest.mark.django_db


def _emails(seats):
    return sorted(seat.user.email for seat in seats)


def test_the_directors_in_office_hear_that_a_vote_opened_and_nobody_else():
    body, seats = council_with_directors(3)
    other_body, others = council_with_directors(2, alliance=body.alliance)
    staff = staff_of(body.alliance)
    SeatFactory(body=body, user=seats[0].user, order=9, role="vice_chair")  # one person, two seats: one e-mail
    motion = MotionFactory(meeting=MeetingFactory(body=body), title="审定2026年工作计划")
    services.vote_open(actor=None, motion=motion)
    assert recipients("开始表决") == _emails(seats)
    assert not Email.objects.filter(to__in=[staff.email, *_emails(others)]).exists()
    assert motion.get_absolute_url() in Email.objects.filter(subject__contains="开始表决").first().body


def test_the_result_reaches_the_directors_with_the_links_to_its_pdfs():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body), title="审定2026年工作计划")
    for seat in seats:
        services.attendance_check_in(actor=seat.user, meeting=motion.meeting)
    services.vote_open(actor=None, motion=motion)
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    services.vote_close(actor=None, motion=motion)
    assert recipients("表决通过") == _emails(seats)
    email = Email.objects.filter(subject__contains="表决通过").first()
    assert f"/governance/motions/{motion.pk}/resolution.pdf" in email.body
    assert f"/governance/motions/{motion.pk}/minutes.pdf" in email.body
    assert "赞成 3，反对 0，弃权 0" in email.body
    assert email.kind == Notice.DECISIONS


def test_a_director_who_turned_vote_notices_off_still_gets_the_result():
    body, seats = council_with_directors(2)
    quiet = seats[0].user
    notice_preferences_update(actor=quiet, user=quiet, enabled=[])
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    services.vote_open(actor=None, motion=motion)
    assert recipients("开始表决") == [seats[1].user.email]
    services.vote_close(actor=None, motion=motion)
    assert recipients("表决未通过") == _emails(seats)


def _correspondence_vote(seats, body, *, hours_left):
    body.alliance.rules.correspondence_allowed = True
    body.alliance.rules.save()
    meeting = MeetingFactory(body=body, form=Meeting.Form.CORRESPONDENCE,
                             correspondence_deadline=timezone.now() + datetime.timedelta(hours=hours_left))
    motion = MotionFactory(meeting=meeting, title="通讯审议议案")
    services.vote_open(actor=None, motion=motion)
    return motion


def test_directors_yet_to_vote_are_reminded_a_day_before_the_correspondence_deadline_once():
    body, seats = council_with_directors(3)
    motion = _correspondence_vote(seats, body, hours_left=20)
    services.ballot_cast(actor=seats[0].user, motion=motion, choice="for")
    assert services.vote_deadline_reminders_run() == 1
    assert services.vote_deadline_reminders_run() == 0
    assert recipients("请对议案“通讯审议议案”表决") == _emails(seats[1:])
    assert "您尚未投票" in Email.objects.get(to=seats[1].user.email, subject__contains="截止").body


def test_no_reminder_while_the_deadline_is_more_than_a_day_away_or_past():
    body, seats = council_with_directors(2)
    far = _correspondence_vote(seats, body, hours_left=30)
    assert services.vote_deadline_reminders_run() == 0
    assert services.vote_deadline_reminders_run(now=timezone.now() + datetime.timedelta(hours=31)) == 0
    assert services.vote_deadline_reminders_run(now=timezone.now() + datetime.timedelta(hours=7)) == 1
    far.refresh_from_db()
    assert far.deadline_reminded_at is not None


def test_a_director_seated_after_the_opening_is_not_reminded():
    body, seats = council_with_directors(2)
    motion = _correspondence_vote(seats, body, hours_left=10)
    late = SeatFactory(body=body, user=UserFactory(), order=5)
    services.vote_deadline_reminders_run()
    assert recipients("截止") == _emails(seats)
    assert late.user.email not in recipients("截止")
    [message, _other] = [m for m in delivered() if "截止" in m.subject]
    assert message.alternatives and motion.get_absolute_url() in message.alternatives[0][0]
