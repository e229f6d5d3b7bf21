"""The daily beat job: a council that has not met in twelve months with nothing scheduled (000 art. 13)."""

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


def test_a_council_that_has_not_met_in_twelve_months_is_flagged_and_staff_are_emailed(council):
    staff = staff_of(council.alliance)
    MeetingFactory(body=council, date=datetime.date(2025, 11, 26))
    raised = services.council_reminders_check(today=TODAY)
    assert [r.body for r in raised] == [council]
    assert raised[0].last_meeting_on == datetime.date(2025, 11, 26)
    mail = Email.objects.get(to=staff.email)
    assert "超过十二个月未召开会议" in mail.subject


def test_the_check_is_idempotent(council):
    staff_of(council.alliance)
    for _ in range(3):
        services.council_reminders_check(today=TODAY)
    assert CouncilReminder.objects.count() == 1
    assert Email.objects.count() == 1


def test_a_meeting_within_twelve_months_is_enough(council):
    MeetingFactory(body=council, date=datetime.date(2025, 11, 27))
    assert services.council_reminders_check(today=TODAY) == []


def test_a_scheduled_meeting_clears_the_flag(council):
    services.council_reminders_check(today=TODAY)
    MeetingFactory(body=council, date=TODAY + datetime.timedelta(days=30))
    services.council_reminders_check(today=TODAY + datetime.timedelta(days=1))
    assert CouncilReminder.objects.get().resolved_on == TODAY + datetime.timedelta(days=1)


def test_a_cancelled_meeting_does_not_count(council):
    MeetingFactory(body=council, date=TODAY + datetime.timedelta(days=30), status=Meeting.Status.CANCELLED)
    assert len(services.council_reminders_check(today=TODAY)) == 1


def test_other_bodies_are_not_flagged():
    BodyFactory(kind="expert_committee")
    assert services.council_reminders_check(today=TODAY) == []


def test_staff_of_another_alliance_get_no_mail_and_do_not_see_the_flag(client, council):
    other = BodyFactory()
    outsider = staff_of(other.alliance)
    MeetingFactory(body=other, date=TODAY)
    services.council_reminders_check(today=TODAY)
    assert not Email.objects.filter(to=outsider.email).exists()
    client.force_login(outsider)
    response = client.get(reverse("admin:governance_councilreminder_changelist"))
    assert response.context["cl"].result_count == 0
    client.force_login(staff_of(council.alliance))
    response = client.get(reverse("admin:governance_councilreminder_changelist"))
    assert response.context["cl"].result_count == 1


def test_the_beat_task_runs_the_check_for_today(council, settings):
    assert "governance.tasks.council_reminders_check" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    tasks.council_reminders_check()
    assert CouncilReminder.objects.filter(body=council).exists()
