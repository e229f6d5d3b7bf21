"""The daily beat job: a decision body that held fewer meetings in a calendar year than the minimum (000 art. 13)."""

import datetime

import pytest
from django.urls import reverse

from alliance.models import Email
from alliance.tests.factories import staff_of
from governance import services, tasks
from governance.models import CouncilReminder, Meeting
from governance.tests.factories import BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def council():
    return BodyFactory(name="理事会")


def _held(body, day):
    return MeetingFactory(body=body, date=day, status=Meeting.Status.HELD)


def test_a_year_that_ended_with_fewer_held_meetings_than_the_minimum_is_flagged_and_staff_are_emailed(council):
    staff = staff_of(council.alliance)
    council.alliance.rules.min_meetings_per_year = 2
    council.alliance.rules.save()
    _held(council, datetime.date(2025, 3, 1))
    _held(council, datetime.date(2024, 11, 26))  # another year's meeting does not count for 2025
    raised = services.council_reminders_check(today=datetime.date(2026, 1, 2))
    assert [(r.body, r.year, r.meetings_held) for r in raised] == [(council, 2025, 1)]
    assert raised[0].last_meeting_on == datetime.date(2025, 3, 1)
    mail = Email.objects.get(to=staff.email)
    assert "2025年召开会议 1 次，少于章程规定的每年 2 次" in mail.subject
    assert "已安排但尚未召开的会议不计入" in mail.body


def test_a_year_with_the_minimum_of_held_meetings_is_not_flagged(council):
    _held(council, datetime.date(2025, 12, 31))
    assert services.council_reminders_check(today=datetime.date(2026, 1, 2)) == []


def test_a_scheduled_meeting_does_not_clear_the_year(council):
    MeetingFactory(body=council, date=datetime.date(2025, 6, 1), status=Meeting.Status.SCHEDULED)
    MeetingFactory(body=council, date=datetime.date(2026, 2, 1), status=Meeting.Status.SCHEDULED)
    assert [r.year for r in services.council_reminders_check(today=datetime.date(2026, 1, 2))] == [2025]


def test_the_current_year_is_warned_in_its_last_quarter_and_a_scheduled_meeting_does_not_clear_it(council):
    _held(council, datetime.date(2025, 5, 1))
    assert services.council_reminders_check(today=datetime.date(2026, 9, 30)) == []
    MeetingFactory(body=council, date=datetime.date(2026, 12, 10))
    raised = services.council_reminders_check(today=TODAY)
    assert [(r.year, r.year_ended) for r in raised] == [(2026, False)]


def test_the_check_is_idempotent(council):
    staff_of(council.alliance)
    for _ in range(3):
        services.council_reminders_check(today=TODAY)
    assert sorted(CouncilReminder.objects.values_list("year", flat=True)) == [2025, 2026]
    assert Email.objects.count() == 2


def test_a_meeting_held_later_in_the_year_clears_the_warning(council):
    _held(council, datetime.date(2025, 5, 1))
    services.council_reminders_check(today=TODAY)
    meeting = MeetingFactory(body=council, date=TODAY + datetime.timedelta(days=3))
    services.council_reminders_check(today=TODAY + datetime.timedelta(days=2))
    assert CouncilReminder.objects.get().resolved_on is None
    meeting.status = Meeting.Status.HELD
    meeting.save()
    services.council_reminders_check(today=TODAY + datetime.timedelta(days=3))
    assert CouncilReminder.objects.get().resolved_on == TODAY + datetime.timedelta(days=3)


def test_a_cancelled_meeting_does_not_count(council):
    MeetingFactory(body=council, date=datetime.date(2025, 6, 1), status=Meeting.Status.CANCELLED)
    assert len(services.council_reminders_check(today=datetime.date(2026, 1, 2))) == 1


def test_the_alliances_decision_body_is_checked_whatever_its_kind():
    committee = BodyFactory(kind="guidance_committee")
    committee.alliance.rules.decision_body_kind = "guidance_committee"
    committee.alliance.rules.save()
    BodyFactory(alliance=committee.alliance, kind="council")
    assert [r.body for r in services.council_reminders_check(today=datetime.date(2026, 1, 2))] == [committee]


def test_other_bodies_are_not_flagged():
    BodyFactory(kind="expert_committee")
    assert services.council_reminders_check(today=TODAY) == []


def test_staff_of_another_alliance_get_no_mail_and_do_not_see_the_flag(client, council):
    other = BodyFactory()
    outsider = staff_of(other.alliance)
    _held(other, datetime.date(2025, 6, 1))
    _held(other, datetime.date(2026, 6, 1))
    services.council_reminders_check(today=TODAY)
    assert not Email.objects.filter(to=outsider.email).exists()
    client.force_login(outsider)
    response = client.get(reverse("admin:governance_councilreminder_changelist"))
    assert response.context["cl"].result_count == 0
    client.force_login(staff_of(council.alliance))
    response = client.get(reverse("admin:governance_councilreminder_changelist"))
    assert response.context["cl"].result_count == 2


def test_the_beat_task_runs_the_check_for_today(council, settings):
    assert "governance.tasks.council_reminders_check" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    tasks.council_reminders_check()
    assert CouncilReminder.objects.filter(body=council).exists()
