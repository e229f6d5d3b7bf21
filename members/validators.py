"""Field checks for the application form, with the message a person reads next to the field."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone

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


# Attachments: judged by their first bytes, never by the name or the browser's claimed type.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]
ALLOWED_TYPES = ["application/pdf", "image/png", "image/jpeg"]
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def extension_for(content_type):
    return EXTENSIONS.get(content_type, "")


def sniff_type(head):
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def inspect_upload(uploaded):
    """Return the content type of an uploaded file judged by its content, or raise ValidationError."""
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"“{sanitize_filename(uploaded.name)}”超过 10 MB。", code="too_large")
    if uploaded.size == 0:
        raise ValidationError(f"“{sanitize_filename(uploaded.name)}”是空文件。", code="empty")
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    content_type = sniff_type(head)
    if content_type is None:
        raise ValidationError(
            f"“{sanitize_filename(uploaded.name)}”不是 PDF、JPG 或 PNG 文件（按文件内容判断）。", code="file_type"
        )
    return content_type


def sanitize_filename(name, *, max_length=100):
    """A display name safe to show and to put in a Content-Disposition header: no path, no control characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"|?*;\x00]', "_", name).strip(" .")
    if not name:
        name = "附件"
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: max_length - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else name[:max_length]
    return name
