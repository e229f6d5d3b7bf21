"""The decision rules change only by a passed amendment of the body holding that power (000 arts. 11, 22; 001
arts. 13, 24), from the votes opened after it; staff keep the texts; a superuser sets a new alliance's rules."""

import pytest
from django.core.exceptions import ValidationError

from alliance.models import CharterRules
from alliance.services import charter_rules_update
from alliance.tests.factories import UserFactory, staff_of
from governance import services
from governance.models import Ballot, Body, Motion
from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, council_with_directors

pytestmark = pytest.mark.django_db
MAJORITY = {"pass_numerator": 1, "pass_denominator": 2}


def _amendment(body, **values):
    return services.motion_create(actor=None, meeting=MeetingFactory(body=body), kind=Motion.Kind.AMEND_CHARTER,
                                  title="修改表决通过比例", charter_values=values or MAJORITY)


def _vote(motion, seats, choices):
    for seat in seats:
        services.attendance_check_in(actor=seat.user, meeting=motion.meeting)
    services.vote_open(actor=None, motion=motion)
    for seat, choice in zip(seats, choices, strict=False):
        services.ballot_cast(actor=seat.user, motion=motion, choice=choice)


def _superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_staff_changing_a_fraction_is_refused():
    body, _ = council_with_directors(3)
    rules = body.alliance.rules
    with pytest.raises(ValidationError) as exc:
        charter_rules_update(actor=staff_of(body.alliance), rules=rules, pass_numerator=1, pass_denominator=2)
    assert "修改章程议案" in exc.value.message_dict["pass_numerator"][0]
    rules.refresh_from_db()
    assert (rules.pass_numerator, rules.pass_denominator) == (2, 3)


def test_staff_change_the_texts_shown_to_people():
    body, _ = council_with_directors(3)
    staff = staff_of(body.alliance)
    rules = charter_rules_update(actor=staff, rules=body.alliance.rules, rights_text="参加联盟组织的活动",
                                 pass_rule_text="第十二条")
    assert (rules.rights_text, rules.pass_rule_text) == ("参加联盟组织的活动", "第十二条")
    assert rules.history.latest("history_id").history_change_reason == "修改章程规则"


def test_a_passed_charter_motion_changes_the_fraction():
    body, seats = council_with_directors(3)
    motion = _amendment(body)
    _vote(motion, seats, [Ballot.Choice.FOR] * 3)
    services.vote_close(actor=None, motion=motion)
    rules = CharterRules.objects.get(alliance=body.alliance)
    assert (rules.pass_numerator, rules.pass_denominator) == (1, 2)
    assert rules.history.latest("history_id").history_change_reason == "依据议案“修改表决通过比例”修改章程规则"
    motion.refresh_from_db()
    assert motion.effect_note == "已执行"


def test_a_failed_charter_motion_changes_nothing():
    body, seats = council_with_directors(3)
    motion = _amendment(body)
    _vote(motion, seats, [Ballot.Choice.AGAINST] * 3)
    services.vote_close(actor=None, motion=motion)
    assert CharterRules.objects.get(alliance=body.alliance).pass_numerator == 2


def test_a_vote_opened_before_the_amendment_passed_counts_by_the_old_rules():
    body, seats = council_with_directors(4)
    earlier = MotionFactory(meeting=MeetingFactory(body=body))
    _vote(earlier, seats, [Ballot.Choice.FOR] * 2 + [Ballot.Choice.AGAINST] * 2)
    amendment = _amendment(body)
    _vote(amendment, seats, [Ballot.Choice.FOR] * 4)
    services.vote_close(actor=None, motion=amendment)

    result = services.vote_close(actor=None, motion=earlier)
    assert (result.votes_for, result.base, result.pass_threshold, result.passed) == (2, 4, 3, False)
    later = MotionFactory(meeting=MeetingFactory(body=body))
    _vote(later, seats, [Ballot.Choice.FOR] * 2 + [Ballot.Choice.AGAINST] * 2)
    assert services.vote_close(actor=None, motion=later).passed  # 2 of 4 under the new 1/2


def test_an_amendment_is_voted_by_the_body_that_holds_the_power():
    """001 arts. 13, 24: the joint meeting revises the NMG charter, not the guidance committee."""
    joint = BodyFactory(kind=Body.Kind.JOINT_MEETING, name="联席会议")
    joint.alliance.rules.decision_body_kind = "joint_meeting"
    joint.alliance.rules.save()
    committee = BodyFactory(alliance=joint.alliance, kind=Body.Kind.GUIDANCE_COMMITTEE, name="指导委员会")
    with pytest.raises(ValidationError) as exc:
        _amendment(committee)
    assert "须由联席会议表决" in exc.value.message_dict["meeting"][0]
    assert _amendment(joint).charter_values == MAJORITY


def test_an_amendment_carries_only_decision_rules_the_charter_accepts():
    body, _ = council_with_directors(3)
    with pytest.raises(ValidationError, match="不在其列：rights_text"):
        _amendment(body, rights_text="新的权利")
    with pytest.raises(ValidationError, match="分子不大于分母"):
        _amendment(body, pass_numerator=4)
    with pytest.raises(ValidationError, match="须载明修改后的章程规则"):
        services.motion_create(actor=None, meeting=MeetingFactory(body=body), kind=Motion.Kind.AMEND_CHARTER,
                               title="空的修改")
    with pytest.raises(ValidationError, match="只有修改章程议案"):
        services.motion_create(actor=None, meeting=MeetingFactory(body=body), kind=Motion.Kind.APPROVE_PLAN,
                               title="年度计划", charter_values=MAJORITY)


def test_a_superuser_setting_a_new_alliances_rules_is_recorded():
    from alliance.services import alliance_create

    admin = _superuser()
    alliance = alliance_create(actor=admin, name="新联盟", slug="new", code="NEW")
    rules = charter_rules_update(actor=admin, rules=alliance.rules, officer_age_limit=70, **MAJORITY)
    assert (rules.officer_age_limit, rules.pass_numerator) == (70, 1)
    record = rules.history.latest("history_id")
    assert (record.history_user, record.history_change_reason) == (admin, "超级管理员设定新联盟的章程规则")


def test_a_superuser_cannot_set_the_rules_once_the_alliance_has_voted():
    body, seats = council_with_directors(3)
    _vote(MotionFactory(meeting=MeetingFactory(body=body)), seats, [])
    with pytest.raises(ValidationError, match="已有表决记录"):
        charter_rules_update(actor=_superuser(), rules=body.alliance.rules, **MAJORITY)
