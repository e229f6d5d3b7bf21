"""Dates in Chinese numerals, as an office dates a sealed document (二〇二六年十二月二日)."""

import datetime

import pytest
from django.utils import translation

from alliance.dates import cn_date, cn_date_numerals, cn_number, day_text


def test_every_digit_of_the_year_is_written_as_its_numeral_with_zero_as_ling():
    assert cn_date_numerals(datetime.date(2026, 12, 2)) == "二〇二六年十二月二日"
    assert cn_date_numerals(datetime.date(1987, 6, 5)) == "一九八七年六月五日"
    assert cn_date_numerals(datetime.date(2043, 1, 1)) == "二〇四三年一月一日"


@pytest.mark.parametrize(("n", "written"), [
    (1, "一"), (2, "二"), (3, "三"), (4, "四"), (5, "五"), (6, "六"), (7, "七"), (8, "八"), (9, "九"), (10, "十"),
    (11, "十一"), (12, "十二"), (19, "十九"), (20, "二十"), (21, "二十一"), (29, "二十九"), (30, "三十"),
    (31, "三十一"),
])
def test_months_and_days_are_counted_not_spelt_digit_by_digit(n, written):
    assert cn_number(n) == written


def test_month_and_day_forms_in_a_whole_date():
    assert cn_date_numerals(datetime.date(2030, 10, 20)) == "二〇三〇年十月二十日"
    assert cn_date_numerals(datetime.date(2026, 11, 30)) == "二〇二六年十一月三十日"
    assert cn_date_numerals(datetime.date(2026, 12, 31)) == "二〇二六年十二月三十一日"


def test_sentences_keep_arabic_digits_without_leading_zeros():
    assert cn_date(datetime.date(2026, 3, 7)) == "2026年3月7日"


def test_pages_write_the_day_in_their_language_and_sealed_documents_stay_chinese():
    day = datetime.date(2026, 11, 22)
    with translation.override("zh-hans"):
        assert day_text(day) == "2026年11月22日"
    with translation.override("en"):
        assert day_text(day) == "22 November 2026"
        assert cn_date(day) == "2026年11月22日"
