from decimal import Decimal

import pytest

from finance.money import amount_in_capitals, format_yuan, to_yuan


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("0.01", "壹分"),
        ("0.10", "壹角"),
        ("0", "零元整"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),
        ("100.5", "壹佰元伍角"),
        ("100.05", "壹佰元零伍分"),
        ("1001", "壹仟零壹元整"),
        ("1010", "壹仟零壹拾元整"),
        ("12000", "壹万贰仟元整"),
        ("10000", "壹万元整"),
        ("10500", "壹万零伍佰元整"),
        ("100000", "壹拾万元整"),
        ("1000000", "壹佰万元整"),
        ("1000001", "壹佰万零壹元整"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("100000000", "壹亿元整"),
        ("105000000.3", "壹亿零伍佰万元叁角"),
    ],
)
def test_amount_in_chinese_capitals_as_on_a_receipt(amount, capitals):
    assert amount_in_capitals(Decimal(amount)) == capitals


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        to_yuan(0.1)


def test_amounts_round_half_up_to_the_fen():
    assert to_yuan("2.345") == Decimal("2.35")


def test_yuan_are_shown_with_two_places_and_thousands_separators():
    assert format_yuan(Decimal("12345.6")) == "12,345.60 元"
