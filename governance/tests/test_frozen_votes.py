"""A vote counts by the roll and the charter rules as they were when it opened (the review's findings 3 and 6).

Staff who saw the live ballots changed the pass fraction to 1/2 before closing, and a 2–2 motion "passed" under a
result quoting "2/3 以上"; staff seated themselves, back-dated, while a vote was open, then voted.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse

from alliance.models import CharterRules
from alliance.services import charter_rules_update
from alliance.tests.factories import staff_of
from governance import services
from governance.models import Ballot, Motion, Seat
from governance.tests.factories import MeetingFactory, MotionFactory, SeatFactory, council_with_directors

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_all():
    """Four directors under a 2/3 charter, all present; the vote is open and stands 2–2."""
    body, seats = council_with_directors(4, pass_numerator=2, pass_denominator=3,
                                         pass_rule_text="第十二条：其决议须经到会理事 2/3 以上表决通过方能生效")
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    for seat in seats:
        services.attendance_check_in(actor=seat.user, meeting=motion.meeting)
    services.vote_open(actor=None, motion=motion)
    for seat, choice in zip(seats, [Ballot.Choice.FOR] * 2 + [Ballot.Choice.AGAINST] * 2, strict=True):
        services.ballot_cast(actor=seat.user, motion=motion, choice=choice)
    return motion, seats


def test_staff_changing_the_pass_fraction_while_a_vote_is_open_is_refused(two_all):
    motion, _ = two_all
    rules = motion.meeting.body.alliance.rules
    with pytest.raises(ValidationError, match="修改章程议案"):
        charter_rules_update(actor=staff_of(rules.alliance), rules=rules, pass_numerator=1, pass_denominator=2)
    rules.refresh_from_db()
    assert (rules.pass_numerator, rules.pass_denominator) == (2, 3)


def _alliance_form(alliance, **rules_values):
    data = {name: value for name, value in model_to_dict(alliance).items() if name not in ("id", "logo")}
    rules = alliance.rules
    data.update({"rules-TOTAL_FORMS": 1, "rules-INITIAL_FORMS": 1, "rules-MIN_NUM_FORMS": 0,
                 "rules-MAX_NUM_FORMS": 1})
    for name, value in {**model_to_dict(rules), **rules_values}.items():
        if value is None or value is False:
            continue  # an empty field; an unticked box is not posted
        data[f"rules-0-{name}"] = value
    return data


def test_the_charter_rules_form_keeps_the_fraction_from_staff_and_takes_their_texts(client, two_all):
    motion, _ = two_all
    alliance = motion.meeting.body.alliance
    staff = staff_of(alliance)
    client.force_login(staff)
    url = reverse("admin:alliance_alliance_change", args=[alliance.pk])
    response = client.post(url, _alliance_form(alliance, pass_numerator=1, pass_denominator=2,
                                               rights_text="参加联盟组织的活动"))
    assert response.status_code == 302
    rules = CharterRules.objects.get(alliance=alliance)
    assert (rules.pass_numerator, rules.pass_denominator, rules.rights_text) == (2, 3, "参加联盟组织的活动")
    record = rules.history.latest("history_id")
    assert (record.history_user, record.history_change_reason) == (staff, "修改章程规则")
    assert services.vote_close(actor=None, motion=motion).pass_threshold == 3


def test_a_superuser_setting_the_fraction_on_the_form_is_refused_once_the_alliance_has_voted(client, two_all):
    from alliance.tests.factories import UserFactory

    motion, _ = two_all
    alliance = motion.meeting.body.alliance
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:alliance_alliance_change", args=[alliance.pk]),
                           _alliance_form(alliance, pass_numerator=1, pass_denominator=2))
    assert response.status_code == 200 and "已有表决记录" in response.content.decode()
    assert CharterRules.objects.get(alliance=alliance).pass_numerator == 2


def test_rules_written_after_the_opening_do_not_change_the_count(two_all):
    """2–2 under 2/3 fails, even when the rules in the database say 1/2 by the close."""
    motion, _ = two_all
    CharterRules.objects.filter(alliance=motion.meeting.body.alliance).update(
        pass_numerator=1, pass_denominator=2, abstentions_in_base=False, pass_rule_text="过半数通过")
    result = services.vote_close(actor=None, motion=motion)
    assert (result.votes_for, result.votes_against, result.base) == (2, 2, 4)
    assert result.pass_threshold == 3 and not result.passed
    assert result.pass_rule == "赞成票不少于表决基数的 2/3（含本数）——第十二条：其决议须经到会理事 2/3 以上表决通过方能生效"
    assert result.base_rule.startswith("表决基数为出席理事人数")


def test_a_result_states_the_fraction_it_used_not_a_wording_that_disagrees():
    from .helpers import run_vote

    result = run_vote(in_office=4, present=4, votes_for=2, against=2, pass_numerator=1, pass_denominator=2,
                      pass_rule_text="第十二条：其决议须经到会理事 2/3 以上表决通过方能生效",
                      quorum_rule_text="第十二条：须有三分之二以上理事出席")
    assert result.passed
    assert result.pass_rule == "赞成票不少于表决基数的 1/2（含本数）"
    assert result.quorum_rule == "出席理事不少于在任理事的 2/3——第十二条：须有三分之二以上理事出席"


def test_staff_who_seat_themselves_back_dated_during_a_vote_cannot_vote_in_it(client, two_all):
    motion, seats = two_all
    body = motion.meeting.body
    staff = staff_of(body.alliance)
    client.force_login(staff)
    response = client.post(reverse("admin:governance_seat_add"), {
        "body": body.pk, "role": Seat.Role.DIRECTOR, "person_name": "秘书", "unit_name": "", "title": "",
        "user": staff.pk, "start_date": "2020-01-01", "end_date": "", "birth_date": "", "exception_motion": "",
        "order": 9,
    })
    assert response.status_code == 302
    seat = Seat.objects.get(user=staff)
    record = seat.history.get()
    assert (record.history_user, record.history_change_reason) == (staff, "任职：理事")
    with pytest.raises(ValidationError, match="本次表决开始时不在任"):
        services.ballot_cast(actor=staff, motion=motion, choice=Ballot.Choice.FOR)
    result = services.vote_close(actor=None, motion=motion)
    assert (result.in_office, result.votes_for) == (4, 2) and not result.passed


def test_a_seat_moved_back_into_office_during_a_vote_does_not_join_its_roll(two_all):
    motion, seats = two_all
    later = SeatFactory(body=motion.meeting.body, user=staff_of(motion.meeting.body.alliance),
                        start_date=datetime.date.today() + datetime.timedelta(days=30))
    services.seat_update(actor=None, seat=later, start_date=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="本次表决开始时不在任"):
        services.ballot_cast(actor=later.user, motion=motion, choice=Ballot.Choice.FOR)
    assert services.vote_close(actor=None, motion=motion).in_office == 4


def test_a_director_whose_seat_ended_during_the_vote_leaves_its_roll(two_all):
    motion, seats = two_all
    services.seat_end(actor=None, seat=seats[3], end_date=datetime.date(2025, 6, 1), reason="辞职")
    result = services.vote_close(actor=None, motion=motion)
    assert (result.in_office, result.votes_for, result.votes_against) == (3, 2, 1)
    assert result.passed  # 2 of 3 under 2/3


def test_a_closed_motions_page_and_its_meetings_agenda_change_nothing(client, two_all):
    """The meeting's motion inline edited the title and kind of open and closed motions (finding 4)."""
    motion, _ = two_all
    meeting = motion.meeting
    client.force_login(staff_of(meeting.body.alliance))
    data = {"title": meeting.title, "form": meeting.form, "date": meeting.date.isoformat(), "place": meeting.place,
            "agenda": "", "correspondence_deadline": "", "status": meeting.status,
            "attendances-TOTAL_FORMS": 0, "attendances-INITIAL_FORMS": 0,
            "motions-TOTAL_FORMS": 1, "motions-INITIAL_FORMS": 1, "motions-0-id": motion.pk,
            "motions-0-meeting": meeting.pk, "motions-0-order": 1, "motions-0-kind": Motion.Kind.EXPEL_MEMBER,
            "motions-0-title": "改写的标题"}
    response = client.post(reverse("admin:governance_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302
    response = client.post(reverse("admin:governance_motion_change", args=[motion.pk]),
                           {"title": "改写的标题", "kind": Motion.Kind.EXPEL_MEMBER, "meeting": meeting.pk})
    assert response.status_code in (200, 403)
    motion.refresh_from_db()
    assert (motion.title, motion.kind) != ("改写的标题", Motion.Kind.EXPEL_MEMBER)
    assert motion.status == Motion.Status.OPEN
