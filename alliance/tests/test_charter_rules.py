"""Charter rules as data: the exact integer arithmetic of quorum and passing (000 art. 12)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from alliance.models import CharterRules


def two_thirds(**overrides):
    fields = {"quorum_numerator": 2, "quorum_denominator": 3, "pass_numerator": 2, "pass_denominator": 3}
    return CharterRules(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("in_office", "present", "met"),
    [
        (9, 6, True),  # exactly 2/3: 以上 includes the number
        (9, 5, False),
        (13, 9, True),
        (13, 8, False),
        (3, 2, True),
        (0, 0, False),  # a body with nobody in office cannot meet
    ],
)
def test_quorum_is_at_least_two_thirds_of_directors_in_office(in_office, present, met):
    assert two_thirds().quorum_met(present=present, in_office=in_office) is met


@pytest.mark.parametrize(("in_office", "threshold"), [(9, 6), (13, 9), (10, 7), (1, 1)])
def test_quorum_threshold_is_the_smallest_count_that_meets_it(in_office, threshold):
    rules = two_thirds()
    assert rules.quorum_threshold(in_office=in_office) == threshold
    assert rules.quorum_met(present=threshold, in_office=in_office)
    assert not rules.quorum_met(present=threshold - 1, in_office=in_office)


@pytest.mark.parametrize(
    ("votes_for", "base", "passes"),
    [(4, 6, True), (3, 6, False), (6, 9, True), (5, 9, False), (0, 0, False)],
)
def test_motion_passes_with_two_thirds_of_those_present(votes_for, base, passes):
    assert two_thirds().motion_passes(votes_for=votes_for, base=base) is passes


def test_abstentions_count_against_when_the_charter_puts_them_in_the_base():
    counting = two_thirds(abstentions_in_base=True)
    base = counting.pass_base(votes_for=4, votes_against=1, abstentions=2)
    assert base == 7
    assert not counting.motion_passes(votes_for=4, base=base)

    ignoring = two_thirds(abstentions_in_base=False)
    base = ignoring.pass_base(votes_for=4, votes_against=1, abstentions=2)
    assert base == 5
    assert ignoring.motion_passes(votes_for=4, base=base)


def test_a_majority_rule_is_data_not_code():
    majority = CharterRules(pass_numerator=1, pass_denominator=2)
    assert majority.motion_passes(votes_for=3, base=6)
    assert majority.pass_threshold(base=7) == 4


def test_clean_refuses_a_fraction_above_one_with_a_chinese_message():
    rules = two_thirds(quorum_numerator=4)
    with pytest.raises(ValidationError) as exc:
        rules.clean()
    assert "分子不大于分母" in str(exc.value.message_dict["quorum_numerator"])


def test_clean_refuses_an_unknown_member_number_placeholder():
    with pytest.raises(ValidationError) as exc:
        two_thirds(member_number_format="{code}-{month}").clean()
    assert "member_number_format" in exc.value.message_dict


@pytest.mark.django_db
def test_database_refuses_a_zero_pass_numerator():
    from alliance.tests.factories import AllianceFactory

    alliance = AllianceFactory()
    with pytest.raises(IntegrityError):
        CharterRules.objects.filter(alliance=alliance).update(pass_numerator=0)


@pytest.mark.django_db
def test_member_number_follows_the_alliance_format():
    from alliance.tests.factories import AllianceFactory

    alliance = AllianceFactory(code="COP")
    assert alliance.rules.format_member_number(year=2026, seq=1) == "COP-2026-0001"
