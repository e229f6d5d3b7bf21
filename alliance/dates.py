"""Dates as the portal writes them: on pages and in messages in the page's language (``day_text``:
2026年11月22日, or 22 November 2026), and in Chinese on sealed documents, whatever the language: 2026年11月22日
in sentences (no leading zeros), and in Chinese numerals, 二〇二六年十二月二日, where an office dates a document it
seals (certificates, resolutions, letters)."""

from django.utils.formats import date_format

DIGITS = "〇一二三四五六七八九"


def day_text(day):
    """The day as the active language writes it (its DATE_FORMAT): 2026年11月22日, or 22 November 2026."""
    return date_format(day, "DATE_FORMAT")


def moment_text(when):
    """A date and time in the active language's DATETIME_FORMAT: 2026年11月22日 14:30, or 22 November 2026 14:30."""
    return date_format(when, "DATETIME_FORMAT")


def cn_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def cn_number(n):
    """1 to 31 as counted in Chinese: 一 … 十, 十一 … 十九, 二十, 二十一 … 三十一."""
    tens, units = divmod(n, 10)
    return f"{DIGITS[tens] if tens > 1 else ''}{'十' if tens else ''}{DIGITS[units] if units else ''}"


def cn_date_numerals(day):
    """The year digit by digit (二〇二六), the month and day counted (十二月二日)."""
    year = "".join(DIGITS[int(digit)] for digit in str(day.year))
    return f"{year}年{cn_number(day.month)}月{cn_number(day.day)}日"
