"""Money in yuan: Decimal with two places, formatted for people and written in Chinese capitals."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ["", "拾", "佰", "仟"]
BIG_UNITS = ["", "万", "亿", "万亿"]


def to_yuan(value):
    """A Decimal rounded to the fen. Floats are refused: they cannot hold money exactly."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float.")
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc


def format_yuan(value):
    """12345.6 -> '12,345.60 元'"""
    return _("%(amount)s 元") % {"amount": f"{to_yuan(value):,.2f}"}


def format_amount(value):
    """12345.6 -> '¥12,345.60', as a receipt writes its amount in figures (金额（小写）)."""
    return f"¥{to_yuan(value):,.2f}"


def _four_digits(number):
    """Capitals for 0 < number < 10000, with inner zeros collapsed (1001 -> 壹仟零壹)."""
    out = []
    zero_pending = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(DIGITS[digit] + SMALL_UNITS[position])
    return "".join(out)


def _integer_capitals(number):
    if number == 0:
        return ""
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    out = []
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or group < 1000):
            out.append("零")
        out.append(_four_digits(group) + BIG_UNITS[index])
        need_zero = False
    return "".join(out)


def amount_in_capitals(value):
    """The amount as written on a Chinese receipt: 12000 -> 壹万贰仟元整, 100.5 -> 壹佰元伍角."""
    amount = to_yuan(value)
    if amount < 0:
        raise ValueError("A receipt amount cannot be negative.")
    fen_total = int(amount * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    text = _integer_capitals(yuan)
    if yuan:
        text += "元"
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text
