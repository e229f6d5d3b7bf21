"""Directors' pages: who may see and vote, what they see before and after the close, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from governance import selectors, services
from governance.models import Ballot
from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, SeatFactory, council_with_directors
from governance.tests.helpers import check_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    body, seats = council_with_directors(3)
    meeting = MeetingFactory(body=body, title="2026年度理事会")
    motion = MotionFactory(meeting=meeting, title="审定2026年度工作计划", text="计划正文<script>x</script>")
    check_in(meeting, seats)
    services.vote_open(actor=None, motion=motion)
    return meeting, motion, seats


def test_a_director_sees_my_meetings_and_the_motion_with_ballot_buttons(client, meeting):
    mtg, motion, seats = meeting
    client.force_login(seats[0].user)
    response = client.get(reverse("governance:meeting_list"))
    assert "2026年度理事会" in response.content.decode()
    page = client.get(mtg.get_absolute_url()).content.decode()
    assert "审定2026年度工作计划" in page
    assert "计划正文&lt;script&gt;" in page  # motion text is escaped
    assert 'name="choice" value="for"' in page
    assert "实时计票" not in page


def test_a_director_votes_changes_the_vote_and_sees_the_result_only_after_the_close(client, meeting):
    mtg, motion, seats = meeting
    client.force_login(seats[0].user)
    url = reverse("governance:motion_vote", args=[motion.pk])
    client.post(url, {"choice": "against"})
    client.post(url, {"choice": "for"})
    assert Ballot.objects.get(motion=motion, voter=seats[0].user).choice == "for"
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "我的表决" in page and "表决结果" not in page
    services.vote_close(actor=None, motion=motion)
    response = client.post(url, {"choice": "against"}, follow=True)
    assert "表决已结束，您的选票未被计入。" in response.content.decode()
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "表决结果" in page and "赞成" in page


@pytest.mark.parametrize("who", ["anonymous", "non_director", "other_body", "other_alliance_staff"])
def test_outsiders_can_neither_see_nor_vote(client, meeting, who):
    mtg, motion, seats = meeting
    if who == "non_director":
        client.force_login(UserFactory())
    elif who == "other_body":
        client.force_login(SeatFactory(body=BodyFactory(alliance=mtg.body.alliance), user=UserFactory()).user)
    elif who == "other_alliance_staff":
        client.force_login(staff_of(AllianceFactory()))
    for url in (mtg.get_absolute_url(), motion.get_absolute_url()):
        response = client.get(url)
        assert response.status_code in (302, 404)
    response = client.post(reverse("governance:motion_vote", args=[motion.pk]), {"choice": "for"})
    assert response.status_code in (302, 404)
    assert not Ballot.objects.filter(motion=motion).exists()
    if who != "anonymous":
        assert mtg not in selectors.meeting_list_for_user(user=response.wsgi_request.user)


def test_staff_who_hold_no_seat_see_the_motion_but_cannot_vote(client, meeting):
    mtg, motion, seats = meeting
    client.force_login(staff_of(mtg.body.alliance))
    assert client.get(motion.get_absolute_url()).status_code == 200
    assert client.post(reverse("governance:motion_vote", args=[motion.pk]), {"choice": "for"}).status_code == 403
    assert client.post(reverse("governance:motion_vote", args=[motion.pk + 1000]), {"choice": "for"}).status_code == 404
    assert not Ballot.objects.filter(motion=motion).exists()


def test_a_director_does_not_see_other_directors_ballots(client, meeting):
    mtg, motion, seats = meeting
    services.ballot_cast(actor=seats[1].user, motion=motion, choice="against")
    assert not selectors.ballots_visible_to(user=seats[0].user, motion=motion).exists()
    client.force_login(seats[0].user)
    assert "表决票" not in client.get(motion.get_absolute_url()).content.decode()


def test_staff_see_the_live_count_attendance_and_ballots(client, meeting):
    mtg, motion, seats = meeting
    services.attendance_check_in(actor=seats[0].user, meeting=mtg)
    services.ballot_cast(actor=seats[1].user, motion=motion, choice="against")
    client.force_login(staff_of(mtg.body.alliance))
    page = client.get(mtg.get_absolute_url()).content.decode()
    assert "实时计票" in page and "反对 1" in page
    assert seats[0].person_name in page  # attendance
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "表决票" in page and seats[1].person_name in page


def test_a_director_checks_in(client, meeting):
    mtg, _, seats = meeting
    client.force_login(seats[2].user)
    client.post(reverse("governance:meeting_check_in", args=[mtg.pk]))
    client.post(reverse("governance:meeting_check_in", args=[mtg.pk]))
    assert mtg.attendances.filter(seat=seats[2]).count() == 1


def _meeting_with(n_motions, viewer_is_staff, closed):
    body, seats = council_with_directors(6)
    mtg = MeetingFactory(body=body)
    check_in(mtg, seats)
    for _ in range(n_motions):
        motion = MotionFactory(meeting=mtg)
        services.vote_open(actor=None, motion=motion)
        for seat in seats:
            services.ballot_cast(actor=seat.user, motion=motion, choice="for")
        if closed:
            services.vote_close(actor=None, motion=motion)
    return mtg, (staff_of(body.alliance) if viewer_is_staff else seats[0].user)


@pytest.mark.parametrize("closed", [False, True])
@pytest.mark.parametrize("viewer_is_staff", [False, True])
@pytest.mark.parametrize("page", ["meeting", "motion", "list"])
def test_meeting_and_motion_pages_make_as_many_queries_for_1_motion_as_for_6(
    client, django_assert_num_queries, viewer_is_staff, page, closed
):
    def url_of(mtg):
        return {"meeting": mtg.get_absolute_url(), "motion": mtg.motions.last().get_absolute_url(),
                "list": reverse("governance:meeting_list")}[page]

    mtg, viewer = _meeting_with(1, viewer_is_staff, closed)
    client.force_login(viewer)
    url = url_of(mtg)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    expected = len(one.captured_queries)  # read now: the next request resets the query log
    mtg, viewer = _meeting_with(6, viewer_is_staff, closed)
    client.force_login(viewer)
    url = url_of(mtg)
    client.get(url)
    assert expected >= 2  # the user and the page's own reads (the session and the navigation's facts are cached)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_a_director_elects_candidates_on_the_site(client):
    from governance.models import Candidate, Motion, Seat

    body, seats = council_with_directors(3)
    body.alliance.rules.officer_age_limit = None
    body.alliance.rules.save()
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=1)
    a = Candidate.objects.create(motion=motion, person_name="甲", role=Seat.Role.VICE_CHAIR)
    b = Candidate.objects.create(motion=motion, person_name="乙", role=Seat.Role.VICE_CHAIR)
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    client.force_login(seats[0].user)
    page = client.get(motion.get_absolute_url()).content.decode()
    assert 'name="candidate"' in page and "应选 1 名" in page
    response = client.post(reverse("governance:motion_vote", args=[motion.pk]),
                           {"candidate": [a.pk, b.pk]}, follow=True)
    assert "最多可选 1 名候选人。" in response.content.decode()
    client.post(reverse("governance:motion_vote", args=[motion.pk]), {"candidate": [b.pk]})
    assert list(Ballot.objects.get(motion=motion).candidates.all()) == [b]
    assert "我的表决：<strong>乙" in client.get(motion.get_absolute_url()).content.decode()


def test_the_briefing_list_makes_as_many_queries_for_1_briefing_as_for_6(client, django_assert_num_queries):
    import datetime

    body, seats = council_with_directors(1)

    def publish(n):
        for _ in range(n):
            b = services.briefing_create(actor=None, alliance=body.alliance, issued_on=datetime.date(2026, 1, 1),
                                         issuers=[body], articles=[(1, "标题", "正文")])
            services.briefing_publish(actor=None, briefing=b)

    client.force_login(seats[0].user)
    url = reverse("governance:briefing_list")
    publish(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    expected = len(one.captured_queries)
    publish(5)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.content.decode().count("工作简报 2026年第") == 6


def test_an_outsider_cannot_download_a_briefing(client):
    import datetime

    body, seats = council_with_directors(1)
    b = services.briefing_create(actor=None, alliance=body.alliance, issued_on=datetime.date(2026, 1, 1),
                                 issuers=[body], articles=[(1, "标题", "正文")])
    services.briefing_publish(actor=None, briefing=b)
    from governance import tasks

    tasks.briefing_render_pdf(b.pk)
    client.force_login(UserFactory())
    assert client.get(reverse("governance:briefing_pdf", args=[b.pk])).status_code == 404
    client.force_login(seats[0].user)
    assert client.get(reverse("governance:briefing_pdf", args=[b.pk])).status_code == 200


def test_the_chair_breaks_a_tie_on_the_site(client):
    from governance.models import Candidate, Motion, Seat

    body, seats = council_with_directors(4, pass_numerator=1, pass_denominator=2, officer_age_limit=None,
                                         tie_rule="chair_decides")
    Seat.objects.filter(pk=seats[0].pk).update(role=Seat.Role.CHAIR)
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=1)
    a = Candidate.objects.create(motion=motion, person_name="甲", role=Seat.Role.VICE_CHAIR, order=1)
    b = Candidate.objects.create(motion=motion, person_name="乙", role=Seat.Role.VICE_CHAIR, order=2)
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    for seat, cand in zip(seats, (a, a, b, b), strict=True):
        services.ballot_cast(actor=seat.user, motion=motion, choice="", candidate_ids=[cand.pk])
    services.vote_close(actor=None, motion=motion)
    client.force_login(seats[1].user)
    assert "确定当选人" not in client.get(motion.get_absolute_url()).content.decode()
    client.force_login(seats[0].user)
    assert "确定当选人" in client.get(motion.get_absolute_url()).content.decode()
    client.post(reverse("governance:motion_tie_break", args=[motion.pk]), {"candidate": [a.pk]})
    assert Seat.objects.get(elected_by=motion).person_name == "甲"


def test_a_director_sees_the_check_in_button_on_the_meeting_day_only(client):
    import datetime

    from django.utils import timezone

    body, seats = council_with_directors(1)
    later = MeetingFactory(body=body, date=timezone.localdate() + datetime.timedelta(days=60))
    client.force_login(seats[0].user)
    page = client.get(later.get_absolute_url()).content.decode()
    assert "签到在会议当日进行。" in page
    assert reverse("governance:meeting_check_in", args=[later.pk]) not in page
    today = MeetingFactory(body=body)
    assert reverse("governance:meeting_check_in", args=[today.pk]) in client.get(today.get_absolute_url()).content.decode()


def test_a_director_gets_no_ballot_buttons_on_a_motion_counted_by_show_of_hands(client, meeting):
    from governance.models import Motion

    mtg, _motion, seats = meeting
    hands = MotionFactory(meeting=mtg, counting=Motion.Counting.SHOW_OF_HANDS)
    services.vote_open(actor=None, motion=hands)
    client.force_login(seats[0].user)
    page = client.get(hands.get_absolute_url()).content.decode()
    assert "本议案以举手表决" in page and 'name="choice"' not in page


def test_my_meetings_are_paged_without_counting_them(client, monkeypatch):
    import datetime

    from governance import views

    monkeypatch.setattr(views, "MEETINGS_PER_PAGE", 2)
    body, seats = council_with_directors(1)
    for day in (1, 2, 3):
        MeetingFactory(body=body, title=f"第{day}次理事会", date=datetime.date(2026, 3, day))
    client.force_login(seats[0].user)
    first = client.get(reverse("governance:meeting_list")).content.decode()
    assert "第3次理事会" in first and "第2次理事会" in first and "第1次理事会" not in first
    assert "?page=2" in first
    second = client.get(reverse("governance:meeting_list"), {"page": 2}).content.decode()
    assert "第1次理事会" in second and "第3次理事会" not in second and "?page=1" in second
