"""Staff run meetings in the admin, inside their own alliance only."""

import datetime

import pytest
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, staff_of
from governance import services
from governance.models import Briefing, Motion
from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, council_with_directors

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_alliances():
    return AllianceFactory(name="联盟甲"), AllianceFactory(name="联盟乙")


def test_staff_open_and_close_votes_with_admin_actions(client, two_alliances):
    x, _ = two_alliances
    body, seats = council_with_directors(3, alliance=x)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    client.force_login(staff_of(x))
    url = reverse("admin:governance_meeting_changelist")
    client.post(url, {"action": "open_votes", "_selected_action": [motion.meeting.pk]})
    motion.refresh_from_db()
    assert motion.status == Motion.Status.OPEN
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    client.post(url, {"action": "close_votes", "_selected_action": [motion.meeting.pk]})
    motion.refresh_from_db()
    assert motion.status == Motion.Status.PASSED
    page = client.get(reverse("admin:governance_motion_change", args=[motion.pk])).content.decode()
    assert "表决基数 3" in page and "通过须赞成 2 票以上" in page


def test_staff_cannot_act_on_another_alliances_meeting(client, two_alliances):
    x, y = two_alliances
    motion = MotionFactory(meeting=MeetingFactory(body=BodyFactory(alliance=y)))
    council_with_directors(1, alliance=y)
    client.force_login(staff_of(x))
    client.post(reverse("admin:governance_meeting_changelist"),
                {"action": "open_votes", "_selected_action": [motion.meeting.pk]})
    motion.refresh_from_db()
    assert motion.status == Motion.Status.DRAFT
    response = client.get(reverse("admin:governance_meeting_change", args=[motion.meeting.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("model", ["meeting", "motion", "result", "briefing", "councilreminder"])
def test_admin_changelists_make_as_many_queries_for_1_row_as_for_6(client, django_assert_num_queries,
                                                                    two_alliances, model):
    x, _ = two_alliances
    staff = staff_of(x)
    client.force_login(staff)
    url = reverse(f"admin:governance_{model}_changelist")

    def add_rows(n):
        for _ in range(n):
            body, seats = council_with_directors(1, alliance=x)
            motion = MotionFactory(meeting=MeetingFactory(body=body, date=datetime.date(2025, 6, 1)))
            services.vote_open(actor=staff, motion=motion)
            services.vote_close(actor=staff, motion=motion)
            services.briefing_create(actor=staff, alliance=x, issued_on=datetime.date(2026, 3, 1), issuers=[body],
                                     articles=[(1, "标题", "正文")])
        services.council_reminders_check(today=datetime.date(2026, 11, 1))

    add_rows(1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    expected = len(one.captured_queries)
    add_rows(5)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.context["cl"].result_count == 6


def test_briefings_are_numbered_per_alliance_and_year_in_the_admin(client, two_alliances):
    x, y = two_alliances
    body = BodyFactory(alliance=x)
    client.force_login(staff_of(x))
    form = {"alliance": x.pk, "title": "工作简报", "issued_on": "2026-03-01", "issuers": [body.pk],
            "reported_to": "教育部师范教育司", "distributed_to": "成员单位", "contact": "秘书处",
            "articles-TOTAL_FORMS": 1, "articles-INITIAL_FORMS": 0, "articles-0-order": 1, "articles-0-level": 1,
            "articles-0-heading": "标题", "articles-0-text": "正文"}
    for _ in range(2):
        response = client.post(reverse("admin:governance_briefing_add"), form)
        assert response.status_code == 302, response.context["adminform"].form.errors
    services.briefing_create(actor=None, alliance=y, issued_on=datetime.date(2026, 5, 1))
    services.briefing_create(actor=None, alliance=x, issued_on=datetime.date(2027, 1, 5))
    labels = sorted(b.issue_label for b in Briefing.objects.filter(alliance=x))
    assert labels == ["2026年第1期", "2026年第2期", "2027年第1期"]
    assert Briefing.objects.get(alliance=y).issue_label == "2026年第1期"


def test_filling_an_officer_seat_in_the_admin_checks_the_age_limit(client, two_alliances):
    x, _ = two_alliances
    x.rules.officer_age_limit = 70
    x.rules.save()
    body = BodyFactory(alliance=x)
    client.force_login(staff_of(x))
    form = {"body": body.pk, "role": "chair", "person_name": "陈莉", "unit_name": "", "title": "",
            "start_date": "2026-01-01", "birth_date": "1955-01-01", "order": 0}
    response = client.post(reverse("admin:governance_seat_add"), form)
    assert response.status_code == 200
    assert "超过最高任职年龄 70 岁" in response.content.decode()
    form["birth_date"] = "1956-01-01"
    response = client.post(reverse("admin:governance_seat_add"), form)
    assert response.status_code == 302
    assert body.seats.get().term_number == 1


def test_staff_publish_a_briefing_and_the_pdf_is_enqueued(client, two_alliances, django_capture_on_commit_callbacks,
                                                          monkeypatch):
    x, _ = two_alliances
    calls = []
    monkeypatch.setattr("alliance.queueing.enqueue", lambda task, *args: calls.append((task.name, args)))
    briefing = services.briefing_create(actor=None, alliance=x, issued_on=datetime.date(2026, 2, 1),
                                        articles=[(1, "标题", "正文")])
    client.force_login(staff_of(x))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:governance_briefing_changelist"),
                    {"action": "publish", "_selected_action": [briefing.pk]})
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.PUBLISHED and briefing.published_at
    assert calls == [("governance.tasks.briefing_render_pdf", (briefing.pk,))]


def test_a_meeting_by_correspondence_is_refused_where_the_charter_does_not_allow_it(two_alliances):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from governance.models import Meeting

    x, _ = two_alliances
    x.rules.correspondence_allowed = False
    x.rules.save()
    meeting = Meeting(body=BodyFactory(alliance=x), title="通讯会议", form=Meeting.Form.CORRESPONDENCE,
                      date=datetime.date(2026, 1, 1), correspondence_deadline=timezone.now())
    with pytest.raises(ValidationError, match="不允许以通讯形式"):
        meeting.full_clean()


def test_a_briefing_moved_to_another_year_takes_that_years_next_number(client, two_alliances):
    x, _ = two_alliances
    services.briefing_create(actor=None, alliance=x, issued_on=datetime.date(2027, 1, 5))
    moved = services.briefing_create(actor=None, alliance=x, issued_on=datetime.date(2026, 12, 30))
    client.force_login(staff_of(x))
    form = {"alliance": x.pk, "title": "工作简报", "issued_on": "2027-01-10", "issuers": [BodyFactory(alliance=x).pk],
            "reported_to": "", "distributed_to": "",
            "contact": "", "articles-TOTAL_FORMS": 0, "articles-INITIAL_FORMS": 0}
    response = client.post(reverse("admin:governance_briefing_change", args=[moved.pk]), form)
    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.issue_label == "2027年第2期"
