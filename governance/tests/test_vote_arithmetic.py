"""The quorum and pass tests, in integers from the charter rules (000 art. 12: 2/3 present, 2/3 of them)."""

import pytest

from governance.models import Motion

from .helpers import run_vote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("in_office", "present", "quorum_met", "quorum_threshold"),
    [(9, 6, True, 6), (9, 5, False, 6), (13, 9, True, 9), (13, 8, False, 9), (3, 2, True, 2)],
)
def test_quorum_is_two_thirds_of_directors_in_office(in_office, present, quorum_met, quorum_threshold):
    result = run_vote(in_office=in_office, present=present, votes_for=present)
    assert (result.in_office, result.present) == (in_office, present)
    assert result.quorum_met is quorum_met
    assert result.quorum_threshold == quorum_threshold
    assert result.passed is quorum_met


@pytest.mark.parametrize(
    ("in_office", "present", "votes_for", "against", "abstain", "passed", "pass_threshold"),
    [
        (9, 6, 4, 2, 0, True, 4),  # exactly 2/3 of those present: 以上 includes the number
        (9, 6, 3, 3, 0, False, 4),
        (13, 9, 6, 3, 0, True, 6),  # exactly 2/3 again
        (13, 9, 5, 4, 0, False, 6),
        (9, 9, 6, 0, 3, True, 6),
        (9, 6, 3, 1, 2, False, 4),  # abstentions in the base count against the motion
        (9, 6, 4, 0, 0, True, 4),  # two present who cast no ballot weigh like abstentions
        (9, 6, 3, 0, 0, False, 4),
    ],
)
def test_motion_passes_with_two_thirds_of_those_present(in_office, present, votes_for, against, abstain, passed,
                                                        pass_threshold):
    result = run_vote(in_office=in_office, present=present, votes_for=votes_for, against=against, abstain=abstain)
    assert result.base == present
    assert result.pass_threshold == pass_threshold
    assert result.passed is passed
    assert result.motion.status == (Motion.Status.PASSED if passed else Motion.Status.FAILED)


def test_abstentions_outside_the_base_do_not_count_against():
    result = run_vote(in_office=9, present=6, votes_for=3, against=1, abstain=2, abstentions_in_base=False)
    assert result.base == 4
    assert result.pass_threshold == 3
    assert result.passed


def test_a_charter_with_a_simple_majority_is_read_from_data():
    result = run_vote(in_office=10, present=6, votes_for=3, against=3, pass_numerator=1, pass_denominator=2,
                      quorum_numerator=1, quorum_denominator=2)
    assert result.quorum_threshold == 5 and result.pass_threshold == 3
    assert result.passed


def test_without_quorum_a_unanimous_vote_fails():
    result = run_vote(in_office=9, present=5, votes_for=5)
    assert not result.quorum_met
    assert not result.passed


def test_exactly_the_threshold_is_no_tie_to_break_it_passes():
    result = run_vote(in_office=6, present=6, votes_for=3, against=3, pass_numerator=1, pass_denominator=2)
    assert result.passed and not result.tie


def test_the_result_stores_counts_thresholds_and_rule_texts_as_integers_and_text():
    result = run_vote(in_office=9, present=6, votes_for=4, against=1, abstain=1,
                      quorum_rule_text="第十二条：理事会须有 2/3 以上理事出席方能召开",
                      pass_rule_text="第十二条：其决议须经到会理事 2/3 以上表决通过方能生效")
    assert (result.votes_for, result.votes_against, result.abstentions, result.not_voting) == (4, 1, 1, 0)
    assert result.quorum_rule == "出席理事不少于在任理事的 2/3——第十二条：理事会须有 2/3 以上理事出席方能召开"
    assert result.pass_rule == "赞成票不少于表决基数的 2/3（含本数）——第十二条：其决议须经到会理事 2/3 以上表决通过方能生效"
    for name in ("in_office", "present", "votes_for", "base", "quorum_threshold", "pass_threshold"):
        assert type(getattr(result, name)) is int
    assert len(result.in_office_at_close) == 9 and len(result.present_at_close) == 6
    assert len(result.in_office_at_open) == 9 and len(result.present_at_open) == 6
