"""Who is present follows the form of the meeting (000 arts. 12–13); when and by whom a check-in is recorded."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.tests.factories import AllianceFactory, staff_of
from governance import services
from governance.models import Attendance, Ballot, Meeting
from governance.tests.factories import MeetingFactory, MotionFactory, SeatFactory, council_with_directors
from governance.tests.helpers import check_in

pytestmark = pytest.mark.django_db


def _at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_web_ballot_from_a_director_not_checked_in_is_refused_and_the_quorum_is_not_met():
    """The issue's case: 2 of 4 checked in, a third votes on the site from elsewhere."""
    body, seats = council_with_directors(4)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats[:2])
    services.vote_open(actor=None, motion=motion)
    for seat in seats[:2]:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    with pytest.raises(services.VoteRefused, match="未登记出席"):
        services.ballot_cast(actor=seats[2].user, motion=motion, choice="for")
    result = services.vote_close(actor=None, motion=motion)
    assert (result.present, result.quorum_threshold, result.quorum_met, result.passed) == (2, 3, False, False)
    assert result.votes_for == 2 and not Ballot.objects.filter(voter=seats[2].user).exists()


def test_an_online_meeting_counts_only_the_directors_recorded_present():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body, form=Meeting.Form.ONLINE))
    check_in(motion.meeting, seats[:2])
    services.vote_open(actor=None, motion=motion)
    with pytest.raises(services.VoteRefused, match="未登记出席"):
        services.ballot_cast(actor=seats[2].user, motion=motion, choice="for")


def test_a_director_checked_in_after_the_opening_may_vote_and_counts_as_present():
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats[:1])
    services.vote_open(actor=None, motion=motion)
    check_in(motion.meeting, seats[1:2])
    services.ballot_cast(actor=seats[1].user, motion=motion, choice="for")
    result = services.vote_close(actor=None, motion=motion)
    assert (result.present, result.votes_for, result.not_voting) == (2, 1, 1)


def test_by_correspondence_the_directors_who_returned_a_ballot_by_the_deadline_are_present():
    body, seats = council_with_directors(3)
    staff = staff_of(body.alliance)
    meeting = MeetingFactory(body=body, form=Meeting.Form.CORRESPONDENCE,
                             correspondence_deadline=timezone.now() + datetime.timedelta(days=3))
    motion = MotionFactory(meeting=meeting)
    services.vote_open(actor=None, motion=motion)
    services.ballot_cast(actor=seats[0].user, motion=motion, choice="for")
    services.ballot_record(actor=staff, motion=motion, seat=seats[1], choice="for")  # returned by post
    result = services.vote_close(actor=None, motion=motion)
    assert (result.in_office, result.present, result.quorum_met, result.passed) == (3, 2, True, True)
    assert [e["seat"] for e in result.present_at_close] == [seats[0].pk, seats[1].pk]


def test_nobody_checks_in_at_a_meeting_by_correspondence():
    body, seats = council_with_directors(1)
    meeting = MeetingFactory(body=body, form=Meeting.Form.CORRESPONDENCE,
                             correspondence_deadline=timezone.now() + datetime.timedelta(days=3))
    with pytest.raises(services.VoteRefused, match="无需签到"):
        services.attendance_check_in(actor=seats[0].user, meeting=meeting)


def test_a_director_cannot_check_in_months_ahead_of_the_meeting():
    body, seats = council_with_directors(1)
    meeting = MeetingFactory(body=body, date=timezone.localdate() + datetime.timedelta(days=90))
    with pytest.raises(services.VoteRefused, match="只能在会议当日"):
        services.attendance_check_in(actor=seats[0].user, meeting=meeting)
    assert not Attendance.objects.exists()


def test_a_director_cannot_check_in_after_the_meeting_day():
    body, seats = council_with_directors(1)
    meeting = MeetingFactory(body=body, date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(services.VoteRefused, match="只能在会议当日"):
        services.attendance_check_in(actor=seats[0].user, meeting=meeting)


def test_staff_cannot_record_attendance_before_the_meeting_day():
    body, seats = council_with_directors(1)
    meeting = MeetingFactory(body=body, date=timezone.localdate() + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="会议尚未召开"):
        services.attendance_check_in(actor=staff_of(body.alliance), meeting=meeting, seat=seats[0])


def test_staff_record_the_sign_in_sheet_after_the_meeting_at_a_time_of_its_day():
    body, seats = council_with_directors(1)
    day = timezone.localdate() - datetime.timedelta(days=2)
    meeting = MeetingFactory(body=body, date=day)
    staff = staff_of(body.alliance)
    with pytest.raises(ValidationError, match="须在会议当日") as refused:
        services.attendance_check_in(actor=staff, meeting=meeting, seat=seats[0],
                                     checked_in_at=_at(day + datetime.timedelta(days=1)))
    assert "checked_in_at" in refused.value.error_dict
    with pytest.raises(ValidationError, match="请填写会议当日"):
        services.attendance_check_in(actor=staff, meeting=meeting, seat=seats[0])
    attendance = services.attendance_check_in(actor=staff, meeting=meeting, seat=seats[0], checked_in_at=_at(day))
    assert (attendance.checked_in_at, attendance.recorded_by) == (_at(day), staff)


def test_staff_cannot_record_a_check_in_time_in_the_future():
    body, seats = council_with_directors(1)
    meeting = MeetingFactory(body=body)
    with pytest.raises(ValidationError, match="不能晚于当前时间"):
        services.attendance_check_in(actor=staff_of(body.alliance), meeting=meeting, seat=seats[0],
                                     checked_in_at=timezone.now() + datetime.timedelta(minutes=5))


def test_staff_of_another_alliance_cannot_record_attendance():
    body, seats = council_with_directors(1)
    meeting = MeetingFactory(body=body)
    with pytest.raises(PermissionDenied):
        services.attendance_check_in(actor=staff_of(AllianceFactory()), meeting=meeting, seat=seats[0])


def test_staff_record_attendance_of_a_director_without_an_account():
    body, _ = council_with_directors(0)
    seat = SeatFactory(body=body, person_name="", unit_name="广州市越秀区教师发展中心")
    meeting = MeetingFactory(body=body)
    attendance = services.attendance_check_in(actor=staff_of(body.alliance), meeting=meeting, seat=seat)
    assert attendance.seat == seat


def test_a_vote_opened_under_the_former_presence_setting_still_closes():
    """Snapshots frozen before presence followed the meeting's form hold a present_rule; it is not read."""
    body, seats = council_with_directors(3)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    motion = services.vote_open(actor=None, motion=motion)
    motion.open_snapshot["rules"]["present_rule"] = "attended_or_ballot"
    motion.save()
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    assert services.vote_close(actor=None, motion=motion).passed
