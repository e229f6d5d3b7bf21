"""Staff run meetings in the admin, inside their own alliance only."""

import datetime

import pytest
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, staff_of
from governance import services
from governance.models import Ballot, Briefing, HandCount, Motion
from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, SeatFactory, council_with_directors
from governance.tests.helpers import check_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_alliances():
    return AllianceFactory(name="联盟甲"), AllianceFactory(name="联盟乙")


def test_staff_open_and_close_votes_with_admin_actions(client, two_alliances):
    x, _ = two_alliances
    body, seats = council_with_directors(3, alliance=x)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    check_in(motion.meeting, seats)
    client.force_login(staff_of(x))
    url = reverse("admin:governance_meeting_changelist")
    client.post(url, {"action": "open_votes", "_selected_action": [motion.meeting.pk]})
    motion.refresh_from_db()
    assert motion.status == Motion.Status.OPEN
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    client.post(url, {"action": "close_votes", "_selected_action": [motion.meeting.pk], "confirm": "1"})
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
            BodyFactory(alliance=x)  # met in no meeting in 2025 (the one above was held by its vote)
        services.council_reminders_check(today=datetime.date(2026, 1, 2))  # one flag a body: 2025

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
    monkeypatch.setattr("alliance.queueing.enqueue", lambda task, *args: calls.append((getattr(task, "name", task), args)))
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


def test_a_briefing_moved_out_of_a_year_leaves_its_last_number_to_that_years_next_briefing(two_alliances):
    x, _ = two_alliances
    services.briefing_create(actor=None, alliance=x, issued_on=datetime.date(2026, 3, 1))
    middle = services.briefing_create(actor=None, alliance=x, issued_on=datetime.date(2026, 6, 1))
    last = services.briefing_create(actor=None, alliance=x, issued_on=datetime.date(2026, 9, 1))
    services.briefing_update(actor=None, briefing=last, issued_on=datetime.date(2025, 12, 20))
    assert services.briefing_create(actor=None, alliance=x, issued_on=datetime.date(2026, 10, 1)).number == 3
    # A number from the middle of the year was printed between others; it is not given twice.
    services.briefing_update(actor=None, briefing=middle, issued_on=datetime.date(2027, 1, 5))
    assert services.briefing_create(actor=None, alliance=x, issued_on=datetime.date(2026, 11, 1)).number == 4
    assert sorted(Briefing.objects.filter(alliance=x).values_list("year", "number")) == [
        (2025, 1), (2026, 1), (2026, 3), (2026, 4), (2027, 1),
    ]


# ---- one door: each admin writes through its service; a refusal shows on the form, nothing saved, no success


def _success_messages(response):
    return [m for m in response.context["messages"] if m.level_tag == "success"]


def _last_change(obj):
    record = obj.history.latest("history_id")
    return record.history_user, record.history_change_reason


def _meeting_form(body, **fields):
    return {"body": body.pk, "title": "第一次理事会", "form": "in_person", "date": "2026-03-01", "place": "北京",
            "agenda": "", "correspondence_deadline": "", "status": "scheduled",
            "attendances-TOTAL_FORMS": 0, "attendances-INITIAL_FORMS": 0,
            "motions-TOTAL_FORMS": 0, "motions-INITIAL_FORMS": 0, **fields}


def test_a_body_added_in_the_admin_is_recorded_by_its_service(client, two_alliances):
    x, _ = two_alliances
    staff = staff_of(x)
    client.force_login(staff)
    response = client.post(reverse("admin:governance_body_add"), {
        "alliance": x.pk, "kind": "council", "name": "理事会", "description": "", "order": 0,
        "seats-TOTAL_FORMS": 0, "seats-INITIAL_FORMS": 0})
    assert response.status_code == 302
    assert _last_change(x.bodies.get()) == (staff, "设立机构")


def test_the_meeting_admin_refuses_moving_a_meeting_whose_vote_opened_and_records_a_new_one(client, two_alliances):
    x, _ = two_alliances
    staff = staff_of(x)
    body, _ = council_with_directors(2, alliance=x)
    client.force_login(staff)
    response = client.post(reverse("admin:governance_meeting_add"), _meeting_form(body), follow=True)
    assert response.redirect_chain and _success_messages(response)
    meeting = body.meetings.get()
    assert _last_change(meeting) == (staff, "安排会议")

    motion = services.motion_create(actor=staff, meeting=meeting, kind=Motion.Kind.APPROVE_PLAN, title="计划")
    services.vote_open(actor=staff, motion=motion)
    form = _meeting_form(body, date="2026-04-01", title="改期", **{
        "motions-TOTAL_FORMS": 1, "motions-INITIAL_FORMS": 1, "motions-0-id": motion.pk})
    del form["body"]
    response = client.post(reverse("admin:governance_meeting_change", args=[meeting.pk]), form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == ["本次会议已开始表决，会议日期、形式和通讯表决截止时间不能再修改。"]
    assert "改期" in response.content.decode()  # what was typed is kept
    assert not _success_messages(response)
    meeting.refresh_from_db()
    assert (meeting.title, meeting.date) == ("第一次理事会", datetime.date(2026, 3, 1))


def test_attendance_recorded_in_the_admin_goes_through_the_check_in_service(client, two_alliances):
    from django.utils import timezone

    x, _ = two_alliances
    staff = staff_of(x)
    body, seats = council_with_directors(2, alliance=x)
    meeting = MeetingFactory(body=body)
    client.force_login(staff)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    form = _meeting_form(body, title=meeting.title, date=meeting.date.isoformat(), **{
        "attendances-TOTAL_FORMS": 1, "attendances-0-seat": seats[0].pk,
        "attendances-0-checked_in_at_0": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        "attendances-0-checked_in_at_1": "09:00:00"})
    del form["body"]
    response = client.post(url, form)
    assert response.status_code == 200
    assert "签到时间不能晚于当前时间" in response.content.decode()
    assert not meeting.attendances.exists() and not _success_messages(response)
    form["attendances-0-checked_in_at_0"] = timezone.localdate().isoformat()
    form["attendances-0-checked_in_at_1"] = "00:00:01"
    assert client.post(url, form).status_code == 302
    assert meeting.attendances.get().recorded_by == staff


def test_the_seat_admin_refuses_an_officer_over_the_age_limit_with_nothing_saved_and_no_success(client, two_alliances):
    x, _ = two_alliances
    x.rules.officer_age_limit = 70
    x.rules.save()
    body = BodyFactory(alliance=x)
    staff = staff_of(x)
    client.force_login(staff)
    form = {"body": body.pk, "role": "chair", "person_name": "陈莉", "unit_name": "", "title": "", "user": "",
            "start_date": "2026-01-01", "end_date": "", "birth_date": "1955-01-01", "exception_motion": "",
            "order": 0}
    response = client.post(reverse("admin:governance_seat_add"), form)
    assert response.status_code == 200 and not _success_messages(response)
    assert not body.seats.exists()
    form["birth_date"] = "1956-01-01"
    assert client.post(reverse("admin:governance_seat_add"), form).status_code == 302
    seat = body.seats.get()
    assert seat.end_date is None or seat.term_number == 1
    form.update(person_name="陈莉莉", body=body.pk)
    del form["body"]
    assert client.post(reverse("admin:governance_seat_change", args=[seat.pk]), form).status_code == 302
    seat.refresh_from_db()
    assert seat.person_name == "陈莉莉" and _last_change(seat) == (staff, "修改任职：理事长")


def test_a_seat_that_attended_is_not_deleted_and_one_entered_by_mistake_is(client, two_alliances):
    x, _ = two_alliances
    staff = staff_of(x)
    body, seats = council_with_directors(2, alliance=x)
    services.attendance_check_in(actor=seats[0].user, meeting=MeetingFactory(body=body))
    client.force_login(staff)
    response = client.post(reverse("admin:governance_seat_delete", args=[seats[0].pk]), {"post": "yes"}, follow=True)
    assert "该任职已有出席或表决记录，不能删除" in response.content.decode()
    assert not _success_messages(response)
    assert body.seats.filter(pk=seats[0].pk).exists()
    response = client.post(reverse("admin:governance_seat_delete", args=[seats[1].pk]), {"post": "yes"})
    assert response.status_code == 302 and not body.seats.filter(pk=seats[1].pk).exists()
    record = seats[1].history.latest("history_id")
    assert (record.history_type, record.history_user, record.history_change_reason) == ("-", staff, "删除误录的任职")


def test_candidates_are_added_in_the_admin_through_the_service_until_the_vote_opens(client, two_alliances):
    x, _ = two_alliances
    staff = staff_of(x)
    body, _ = council_with_directors(2, alliance=x)
    motion = services.motion_create(actor=staff, meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER,
                                    title="选举副理事长", seats_to_fill=1)
    client.force_login(staff)
    form = {"meeting": motion.meeting.pk, "order": 1, "kind": motion.kind, "title": motion.title, "text": "",
            "officer_role": "", "officer_name": "", "officer_unit": "", "officer_user": "", "officer_birth_date": "",
            "officer_start_date": "", "seats_to_fill": 1, "counting": "ballots", "candidates-TOTAL_FORMS": 1,
            "candidates-INITIAL_FORMS": 0,
            "candidates-0-order": 1, "candidates-0-person_name": "甲", "candidates-0-unit_name": "",
            "candidates-0-role": "vice_chair", "candidates-0-birth_date": "", "candidates-0-user": ""}
    url = reverse("admin:governance_motion_change", args=[motion.pk])
    assert client.post(url, form).status_code == 302
    candidate = motion.candidates.get()
    assert _last_change(candidate) == (staff, "提名候选人")
    services.vote_open(actor=staff, motion=motion)
    form.update({"candidates-0-person_name": "乙", "candidates-INITIAL_FORMS": 1, "candidates-0-id": candidate.pk})
    client.post(url, form)
    candidate.refresh_from_db()
    assert candidate.person_name == "甲"
    with pytest.raises(services.VoteRefused):
        services.candidate_save(actor=staff, motion=motion, person_name="丙", role="vice_chair")


def test_a_briefing_edited_in_the_admin_goes_through_the_service(client, two_alliances):
    x, y = two_alliances
    staff = staff_of(x)
    body = BodyFactory(alliance=x)
    briefing = services.briefing_create(actor=staff, alliance=x, issued_on=datetime.date(2026, 3, 1), issuers=[body],
                                        articles=[(1, "标题", "正文")])
    article = briefing.articles.get()
    client.force_login(staff)
    form = {"title": "工作简报", "issued_on": "2026-03-02", "issuers": [body.pk], "reported_to": "", "distributed_to": "",
            "contact": "", "articles-TOTAL_FORMS": 2, "articles-INITIAL_FORMS": 1,
            "articles-0-id": article.pk, "articles-0-briefing": briefing.pk, "articles-0-order": 1,
            "articles-0-level": 1, "articles-0-heading": "标题", "articles-0-text": "改写的正文",
            "articles-1-order": 0, "articles-1-level": 1, "articles-1-heading": "", "articles-1-text": ""}
    response = client.post(reverse("admin:governance_briefing_change", args=[briefing.pk]), form, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    briefing.refresh_from_db()
    assert [a.text for a in briefing.articles.all()] == ["改写的正文"]
    assert _last_change(briefing) == (staff, "修改简报")
    # An issuer of another alliance is not on offer.
    form["issuers"] = [BodyFactory(alliance=y).pk]
    response = client.post(reverse("admin:governance_briefing_change", args=[briefing.pk]), form)
    assert response.status_code == 200 and not _success_messages(response)
    assert list(briefing.issuers.all()) == [body]


def test_results_and_reminders_are_read_only_in_the_admin(client, two_alliances):
    x, _ = two_alliances
    staff = staff_of(x)
    body, seats = council_with_directors(1, alliance=x)
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    services.vote_open(actor=staff, motion=motion)
    result = services.vote_close(actor=staff, motion=motion)
    client.force_login(staff)
    url = reverse("admin:governance_result_change", args=[result.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"passed": "on", "votes_for": 99})
    result.refresh_from_db()
    assert result.votes_for == 0 and not result.passed


def test_bodies_and_meetings_are_set_up_only_by_their_alliances_staff(two_alliances):
    from django.core.exceptions import PermissionDenied

    from governance.services.meetings import body_create, body_update, meeting_create

    x, y = two_alliances
    outsider = staff_of(y)
    body = BodyFactory(alliance=x)
    with pytest.raises(PermissionDenied):
        body_create(actor=outsider, alliance=x, name="外联盟设立的机构", kind=body.kind)
    with pytest.raises(PermissionDenied):
        body_update(actor=outsider, body=body, name="改名")
    with pytest.raises(PermissionDenied):
        meeting_create(actor=outsider, body=body, title="外联盟安排的会议", date=datetime.date(2027, 1, 5))


def _centres_in_session(alliance, present):
    """Six centres' representatives without accounts, `present` of them on the sign-in sheet, the vote open."""
    body = BodyFactory(alliance=alliance)
    seats = [SeatFactory(body=body, person_name="", unit_name=f"第{i}中心", order=i) for i in range(6)]
    staff = staff_of(alliance)
    meeting = MeetingFactory(body=body)
    for seat in seats[:present]:
        services.attendance_check_in(actor=staff, meeting=meeting, seat=seat)
    return meeting, seats, staff


def test_staff_record_each_directors_ballot_from_the_motion_page(client, two_alliances):
    x, _ = two_alliances
    meeting, seats, staff = _centres_in_session(x, present=6)
    motion = services.vote_open(actor=staff, motion=MotionFactory(meeting=meeting))
    client.force_login(staff)
    assert "登记表决票（逐人）" in client.get(reverse("admin:governance_motion_change", args=[motion.pk])).content.decode()
    url = reverse("admin:governance_motion_record_ballot", args=[motion.pk])
    for seat in seats:
        response = client.post(url, {"seat": seat.pk, "choice": "for"})
        assert response.status_code == 302
    assert set(Ballot.objects.filter(motion=motion).values_list("recorded_by", flat=True)) == {staff.pk}
    client.post(reverse("admin:governance_motion_changelist"),
                {"action": "close_votes", "_selected_action": [motion.pk], "confirm": "1"})
    page = client.get(reverse("admin:governance_motion_change", args=[motion.pk])).content.decode()
    assert "<strong>通过</strong>" in page and "其中 6 张表决票由秘书处登记" in page


def test_a_ballot_recorded_for_a_director_not_present_is_refused_on_the_form(client, two_alliances):
    x, _ = two_alliances
    meeting, seats, staff = _centres_in_session(x, present=5)
    motion = services.vote_open(actor=staff, motion=MotionFactory(meeting=meeting))
    client.force_login(staff)
    response = client.post(reverse("admin:governance_motion_record_ballot", args=[motion.pk]),
                           {"seat": seats[5].pk, "choice": "for"})
    assert response.status_code == 200
    assert "该理事未登记出席本次会议" in response.content.decode()
    assert not Ballot.objects.exists()


def test_show_of_hands_totals_over_the_number_present_are_refused_on_the_form(client, two_alliances):
    x, _ = two_alliances
    meeting, _seats, staff = _centres_in_session(x, present=4)
    motion = MotionFactory(meeting=meeting, counting=Motion.Counting.SHOW_OF_HANDS)
    motion = services.vote_open(actor=staff, motion=motion)
    client.force_login(staff)
    url = reverse("admin:governance_motion_record_hands", args=[motion.pk])
    response = client.post(url, {"votes_for": 4, "votes_against": 1, "abstentions": 0, "tellers": "李明"})
    assert response.status_code == 200
    assert "不能超过出席理事人数（4 人）" in response.content.decode()
    assert not HandCount.objects.exists()
    response = client.post(url, {"votes_for": 3, "votes_against": 1, "abstentions": 0, "tellers": "李明"})
    assert response.status_code == 302
    page = client.get(reverse("admin:governance_motion_change", args=[motion.pk])).content.decode()
    assert "已登记：赞成 3，反对 1，弃权 0（计票人：李明" in page


def test_staff_of_another_alliance_cannot_open_the_recording_pages(client, two_alliances):
    x, y = two_alliances
    meeting, seats, staff = _centres_in_session(x, present=6)
    motion = services.vote_open(actor=staff, motion=MotionFactory(meeting=meeting))
    client.force_login(staff_of(y))
    for name in ("record_ballot", "record_hands"):
        url = reverse(f"admin:governance_motion_{name}", args=[motion.pk])
        assert client.post(url, {"seat": seats[0].pk, "choice": "for"}).status_code == 404
    assert not Ballot.objects.exists()


def _passed_exception(alliance):
    body, seats = council_with_directors(3, alliance=alliance)
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.OFFICER_EXCEPTION, title="陈莉任职例外",
                           officer_role="chair", officer_name="陈莉", officer_start_date=datetime.date(2026, 1, 1))
    for seat in seats:
        services.attendance_check_in(actor=seat.user, meeting=motion.meeting)
    services.vote_open(actor=None, motion=motion)
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    services.vote_close(actor=None, motion=motion)
    return motion


def test_staff_approve_a_passed_officer_exception_with_an_admin_action(client, two_alliances):
    x, _ = two_alliances
    motion = _passed_exception(x)
    staff = staff_of(x)
    client.force_login(staff)
    client.post(reverse("admin:governance_motion_changelist"),
                {"action": "approve_exceptions", "_selected_action": [motion.pk]})
    motion.refresh_from_db()
    assert motion.approved_by == staff and motion.approved_at is not None


def test_a_term_extension_ticked_on_the_seat_form_is_approved_by_the_staff_who_save_it(client, two_alliances):
    x, _ = two_alliances
    x.rules.officer_term_years = 4
    x.rules.save()
    body = BodyFactory(alliance=x)
    staff = staff_of(x)
    client.force_login(staff)
    form = {"body": body.pk, "role": "chair", "person_name": "陈莉", "unit_name": "", "title": "", "user": "",
            "start_date": "2026-01-01", "end_date": "2030-06-30", "birth_date": "", "exception_motion": "",
            "order": 0}
    response = client.post(reverse("admin:governance_seat_add"), form)
    assert response.status_code == 200 and "经秘书处批准同意" in response.content.decode()
    assert not body.seats.exists()
    assert client.post(reverse("admin:governance_seat_add"), {**form, "term_extension": "on"}).status_code == 302
    seat = body.seats.get()
    assert (seat.end_date, seat.extension_approved_by) == (datetime.date(2030, 6, 30), staff)


def test_the_seat_form_offers_an_exception_once_the_secretariat_has_approved_it(client, two_alliances):
    x, _ = two_alliances
    motion = _passed_exception(x)
    staff = staff_of(x)
    client.force_login(staff)
    url = reverse("admin:governance_seat_add")
    assert "陈莉任职例外" not in client.get(url).content.decode()
    services.officer_exception_approve(actor=staff, motion=motion)
    assert "陈莉任职例外" in client.get(url).content.decode()


def _open_motion_with_three_present(alliance, **motion_fields):
    body, seats = council_with_directors(3, alliance=alliance)
    motion = MotionFactory(meeting=MeetingFactory(body=body), **motion_fields)
    check_in(motion.meeting, seats)
    staff = staff_of(alliance)
    return services.vote_open(actor=staff, motion=motion), seats, staff


def test_closing_a_vote_asks_first_warning_of_missing_ballots_and_naming_the_effect(client, two_alliances):
    x, _ = two_alliances
    motion, seats, staff = _open_motion_with_three_present(x, kind=Motion.Kind.ADMIT_MEMBER, subject_ids=[1, 2])
    services.ballot_cast(actor=seats[0].user, motion=motion, choice="for")
    client.force_login(staff)
    response = client.post(reverse("admin:governance_motion_changelist"),
                           {"action": "close_votes", "_selected_action": [motion.pk]})
    page = response.content.decode()
    motion.refresh_from_db()
    assert motion.status == Motion.Status.OPEN
    assert "尚有 2 位出席理事未投票" in page and "通过后将吸收 2 个成员入会" in page
    assert "确认结束表决并计票" in page


def test_only_the_confirming_post_closes_a_vote_and_the_message_names_the_motion(client, two_alliances):
    x, _ = two_alliances
    motion, seats, staff = _open_motion_with_three_present(x, title="审定2027年度工作计划")
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    client.force_login(staff)
    url = reverse("admin:governance_meeting_changelist")
    client.get(url, {"action": "close_votes", "_selected_action": [motion.meeting.pk]})
    motion.refresh_from_db()
    assert motion.status == Motion.Status.OPEN
    response = client.post(url, {"action": "close_votes", "_selected_action": [motion.meeting.pk], "confirm": "1"},
                           follow=True)
    motion.refresh_from_db()
    assert motion.status == Motion.Status.PASSED
    assert "已结束 1 项议案的表决：审定2027年度工作计划。" in response.content.decode()


def test_closing_a_vote_by_correspondence_before_its_deadline_warns(client, two_alliances):
    from django.utils import timezone

    x, _ = two_alliances
    body, seats = council_with_directors(3, alliance=x)
    meeting = MeetingFactory(body=body, form="correspondence",
                             correspondence_deadline=timezone.now() + datetime.timedelta(days=3))
    staff = staff_of(x)
    motion = services.vote_open(actor=staff, motion=MotionFactory(meeting=meeting))
    client.force_login(staff)
    page = client.post(reverse("admin:governance_motion_changelist"),
                       {"action": "close_votes", "_selected_action": [motion.pk]}).content.decode()
    assert "尚未到，提前结束将不再接受表决票" in page
    motion.refresh_from_db()
    assert motion.status == Motion.Status.OPEN


def test_the_meeting_list_shows_a_meeting_held_once_its_first_vote_is_counted(client, two_alliances):
    from governance.models import Meeting

    x, _ = two_alliances
    motion, seats, staff = _open_motion_with_three_present(x)
    client.force_login(staff)
    url = reverse("admin:governance_meeting_changelist")
    assert client.get(url).context["cl"].result_list[0].status == Meeting.Status.SCHEDULED
    client.post(url, {"action": "close_votes", "_selected_action": [motion.meeting.pk], "confirm": "1"})
    response = client.get(url)
    assert response.context["cl"].result_list[0].status == Meeting.Status.HELD
    assert "已召开" in response.content.decode()
