"""Checks of the codes people type (phones, postcodes, 统一社会信用代码, 居民身份证号码), with the message they read.

Every check first normalises what was typed (NFKC: full-width digits and letters from a Chinese input method
become ASCII, "（" becomes "("), then accepts only ASCII digits: "١٢٣" or "²" are not digits of a phone number.
"""

from django.utils.translation import gettext
import re
import unicodedata

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
# Area code 0xx or 0xxx, 7–8 digit number, optional extension: 010-68902177, (010)58800182, 0471 1234567-8.
LANDLINE_RE = re.compile(r"^(?:0[0-9]{2,3}|\(0[0-9]{2,3}\))[- ]?[0-9]{7,8}(?:-[0-9]{1,6})?$")
POSTCODE_RE = re.compile(r"^[0-9]{6}$")

# GB 32100-2015's alphabet (no I, O, Z, S, V); python-stdnum checks the code, this names the allowed characters.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalised(value):
    """value as NFKC, without surrounding spaces: what every check here reads and what a form stores."""
    return unicodedata.normalize("NFKC", value or "").strip()


def _compact(value):
    return re.sub(r"\s+", "", normalised(value))


def validate_mobile(value):
    if not MOBILE_RE.match(_compact(value)):
        raise ValidationError(gettext("请输入 11 位中国大陆手机号码，例如 13812345678。"), code="mobile")


def validate_landline(value):
    if not LANDLINE_RE.match(normalised(value)):
        raise ValidationError(gettext("请输入带区号的固定电话，例如 010-68902177。"), code="landline")


def validate_phone(value):
    """A mobile number or a landline with its area code."""
    if MOBILE_RE.match(_compact(value)) or LANDLINE_RE.match(normalised(value)):
        return
    raise ValidationError(gettext("请输入手机号码或带区号的固定电话，例如 13812345678 或 010-68902177。"), code="phone")


def validate_postcode(value):
    if not POSTCODE_RE.match(normalised(value)):
        raise ValidationError(gettext("邮编须为 6 位数字。"), code="postcode")


def credit_code_check_char(first17):
    return uscc.calc_check_digit(first17)


def validate_credit_code(value):
    """统一社会信用代码 (GB 32100-2015), checked by python-stdnum."""
    code = _compact(value).upper()
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidLength:
        raise ValidationError(gettext("统一社会信用代码须为 18 位。"), code="credit_code_length") from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(gettext("统一社会信用代码校验位不正确，请核对。"), code="credit_code_check") from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            gettext("统一社会信用代码前 8 位为数字，其余为数字和大写字母（不含 I、O、Z、S、V）。"), code="credit_code_chars"
        ) from None


def validate_resident_id(value):
    """居民身份证号码 (GB 11643-1999): 18 characters, the birth date and the check character, by python-stdnum."""
    number = _compact(value).upper()
    try:
        ric.validate(number)
    except stdnum_errors.InvalidLength:
        raise ValidationError(gettext("居民身份证号码须为 18 位。"), code="ric_length") from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(gettext("居民身份证号码校验位不正确，请核对。"), code="ric_check") from None
    except stdnum_errors.ValidationError:
        raise ValidationError(gettext("请填写有效的 18 位居民身份证号码。"), code="ric") from None


# A form stores what these read (alliance.forms.NormalisedCodesMixin): "１３８…" is kept as "138…".
for _check in (validate_mobile, validate_landline, validate_phone, validate_postcode, validate_credit_code,
               validate_resident_id):
    _check.normalises = True
# ... and gives a phone a telephone keypad on a phone (<input type="tel">).
for _check in (validate_mobile, validate_landline, validate_phone):
    _check.phone = True
