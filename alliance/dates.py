"""Dates as the portal writes them in Chinese sentences: 2026年11月22日 (no leading zeros)."""


def cn_date(day):
    return f"{day.year}年{day.month}月{day.day}日"
