"""What an election's result says: 当选 only when it passed, a failed motion's PDF is a vote record, and
candidates breaking an officer rule are flagged before the vote opens (000 arts. 12, 14–16)."""

import datetime
import subprocess

import pytest
from django.urls import reverse

from alliance.tests.factories import staff_of
from governance import services, tasks
from governance.models import Candidate, Motion, Seat
from governance.tests.factories import MeetingFactory, MotionFactory, council_with_directors

pytestmark = pytest.mark.django_db


def _pdf_text(field):
    return subprocess.run(["pdftotext", field.path, "-"], capture_output=True, text=True, check=True).stdout


def _election(*, in_office, present, votes):
    """An election for one vice-chair between 孙丽华 and 王强; the first `votes` present directors choose 孙丽华."""
    body, seats = council_with_directors(in_office, officer_age_limit=None)
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=1,
                           title="选举副理事长")
    sun = Candidate.objects.create(motion=motion, person_name="孙丽华", role=Seat.Role.VICE_CHAIR, order=1)
    Candidate.objects.create(motion=motion, person_name="王强", role=Seat.Role.VICE_CHAIR, order=2)
    for seat in seats[:present]:
        services.attendance_check_in(actor=seat.user, meeting=motion.meeting)
    services.vote_open(actor=None, motion=motion)
    for seat in seats[:votes]:
        services.ballot_cast(actor=seat.user, motion=motion, choice="", candidate_ids=[sun.pk])
    return motion, seats, services.vote_close(actor=None, motion=motion)


def test_an_inquorate_election_shows_no_one_elected_on_the_page_or_in_the_pdfs(client):
    motion, seats, result = _election(in_office=6, present=1, votes=1)
    assert not result.quorum_met and not result.passed
    client.force_login(seats[0].user)
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "孙丽华 1 票" in page and "当选" not in page
    tasks.result_render_pdfs(result.pk)
    result.refresh_from_db()
    for field in (result.resolution_pdf, result.minutes_pdf):
        text = _pdf_text(field)
        assert "孙丽华" in text and "当选" not in text


def test_a_passed_election_marks_the_winner_elected():
    motion, seats, result = _election(in_office=3, present=3, votes=3)
    assert result.passed
    assert [(row["name"], row["elected"]) for row in result.standings] == [("孙丽华", True), ("王强", False)]


def test_a_failed_motions_resolution_pdf_is_titled_as_a_vote_record(client):
    motion, seats, result = _election(in_office=6, present=1, votes=1)
    tasks.result_render_pdfs(result.pk)
    result.refresh_from_db()
    text = _pdf_text(result.resolution_pdf)
    assert "选举副理事长”的表决记录" in text.replace("\n", "") and "决议" not in text
    client.force_login(seats[0].user)
    response = client.get(reverse("governance:result_pdf", args=[motion.pk, "resolution"]))
    assert "表决记录" in response["Content-Disposition"] or "%E8%A1%A8%E5%86%B3" in response["Content-Disposition"]


def test_a_passed_motions_resolution_pdf_is_titled_as_a_resolution():
    _motion, _seats, result = _election(in_office=3, present=3, votes=3)
    tasks.result_render_pdfs(result.pk)
    result.refresh_from_db()
    assert "选举副理事长”的决议" in _pdf_text(result.resolution_pdf).replace("\n", "")


def test_a_candidate_over_the_age_limit_is_flagged_before_the_vote(client):
    body, seats = council_with_directors(3, officer_age_limit=70, officer_rules_article="第十四条")
    staff = staff_of(body.alliance)
    meeting = MeetingFactory(body=body, date=datetime.date(2026, 6, 1))
    motion = MotionFactory(meeting=meeting, kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=1, title="选举副理事长")
    services.candidate_save(actor=staff, motion=motion, person_name="老专家", role=Seat.Role.VICE_CHAIR,
                            birth_date=datetime.date(1950, 1, 1))
    services.candidate_save(actor=staff, motion=motion, person_name="青年学者", role=Seat.Role.VICE_CHAIR,
                            birth_date=datetime.date(1980, 1, 1))
    client.force_login(seats[0].user)
    page = client.get(motion.get_absolute_url()).content.decode()
    flagged, fine = page.split("老专家")[1].split("</li>")[0], page.split("青年学者")[1].split("</li>")[0]
    assert "不符合任职条件" in flagged and "年满 76 岁" in flagged and "第十四条" in flagged
    assert "不符合任职条件" not in fine
    client.force_login(staff)
    admin_page = client.get(reverse("admin:governance_motion_change", args=[motion.pk])).content.decode()
    assert "超过最高任职年龄 70 岁" in admin_page


def test_the_flag_is_not_shown_once_the_vote_is_open(client):
    body, seats = council_with_directors(3, officer_age_limit=70)
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=1)
    services.candidate_save(actor=None, motion=motion, person_name="老专家", role=Seat.Role.VICE_CHAIR,
                            birth_date=datetime.date(1940, 1, 1))
    services.vote_open(actor=None, motion=motion)
    client.force_login(seats[0].user)
    assert "不符合任职条件" not in client.get(motion.get_absolute_url()).content.decode()
