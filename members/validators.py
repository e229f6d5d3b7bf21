"""Field checks for the application form, with the message a person reads next to the field.

The checks of phones, postcodes and codes live in alliance.validators (the accounts' profile uses them too);
they are named here as the members' validators.
"""

from django.utils.translation import gettext
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.uploads import JPEG, MB, PDF, PNG, XLSX, UploadKind
from alliance.validators import (  # noqa: F401
    LANDLINE_RE, MOBILE_RE, POSTCODE_RE, USCC_ALPHABET, credit_code_check_char, normalised, validate_credit_code,
    validate_landline, validate_mobile, validate_phone, validate_postcode, validate_resident_id,
)


def validate_not_future(value):
    if value > timezone.localdate():
        raise ValidationError(gettext("日期不能晚于今天。"), code="future")


def validate_birth_date(value):
    validate_not_future(value)
    if value < datetime.date(1900, 1, 1):
        raise ValidationError(gettext("请填写真实的出生日期。"), code="too_old")


# Attachments (证明材料): judged by alliance.uploads, by their content, never by the name or the browser's type.
ATTACHMENTS = UploadKind(
    what=_("附件"), record=_("申请"), types=(PDF, PNG, JPEG), types_label=_("PDF、JPG 或 PNG"), max_bytes=10 * MB,
    max_count=10,
)

# A roster to import (members/services/imports.py): one Excel workbook; a few thousand rows fit well under the cap.
ROSTER = UploadKind(
    what=_("成员名册"), record=_("导入"), types=(XLSX,), types_label=_("Excel（.xlsx）"), max_bytes=2 * MB, max_count=1,
)
