"""Field checks for the application form, with the message a person reads next to the field."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.uploads import JPEG, MB, PDF, PNG, XLSX, UploadKind

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0xx or 0xxx, 7–8 digit number, optional extension: 010-68902177, (010)58800182, 0471 1234567-8.
LANDLINE_RE = re.compile(r"^(?:0\d{2,3}|\(0\d{2,3}\)|（0\d{2,3}）)[- ]?\d{7,8}(?:-\d{1,6})?$")
POSTCODE_RE = re.compile(r"^\d{6}$")

# GB 32100-2015: 18 characters from this 31-character alphabet (no I, O, Z, S, V); the last one is a check
# character: weights 3^i mod 31, check = 31 - (sum mod 31), with 31 written as 0.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def _compact(value):
    return re.sub(r"\s+", "", value or "")


def validate_mobile(value):
    if not MOBILE_RE.match(_compact(value)):
        raise ValidationError("请输入 11 位中国大陆手机号码，例如 13812345678。", code="mobile")


def validate_landline(value):
    if not LANDLINE_RE.match(value.strip()):
        raise ValidationError("请输入带区号的固定电话，例如 010-68902177。", code="landline")


def validate_phone(value):
    """A mobile number or a landline with its area code."""
    if MOBILE_RE.match(_compact(value)) or LANDLINE_RE.match(value.strip()):
        return
    raise ValidationError("请输入手机号码或带区号的固定电话，例如 13812345678 或 010-68902177。", code="phone")


def validate_postcode(value):
    if not POSTCODE_RE.match(value.strip()):
        raise ValidationError("邮编须为 6 位数字。", code="postcode")


def credit_code_check_char(first17):
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value):
    code = value.strip().upper()
    if len(code) != 18:
        raise ValidationError("统一社会信用代码须为 18 位。", code="credit_code_length")
    if any(c not in USCC_ALPHABET for c in code):
        raise ValidationError("统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V）。", code="credit_code_chars")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位不正确，请核对。", code="credit_code_check")


def validate_not_future(value):
    if value > timezone.localdate():
        raise ValidationError("日期不能晚于今天。", code="future")


def validate_birth_date(value):
    validate_not_future(value)
    if value < datetime.date(1900, 1, 1):
        raise ValidationError("请填写真实的出生日期。", code="too_old")


# Attachments (证明材料): judged by alliance.uploads, by their content, never by the name or the browser's type.
ATTACHMENTS = UploadKind(
    what=_("附件"), record=_("申请"), types=(PDF, PNG, JPEG), types_label=_("PDF、JPG 或 PNG"), max_bytes=10 * MB,
    max_count=10,
)

# A roster to import (members/services/imports.py): one Excel workbook; a few thousand rows fit well under the cap.
ROSTER = UploadKind(
    what=_("成员名册"), record=_("导入"), types=(XLSX,), types_label=_("Excel（.xlsx）"), max_bytes=2 * MB, max_count=1,
)
