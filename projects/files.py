"""The files the project's forms take, checked by alliance.uploads: the stamped scans (004 三 3, each form's
blocks in ``Application.SCANS`` and the 项目联系表's) and a picture for each award (附件2 三)."""

from django.utils.translation import gettext_lazy as _

from alliance.uploads import JPEG, MB, PDF, PNG, UploadKind, upload_check

# One file per scan field: each stamped block is its own field.
SCAN = UploadKind(
    what=_("加盖公章的扫描件"), record=_("盖章栏"), types=(PDF, JPEG, PNG), types_label=_("PDF、JPG 或 PNG"),
    max_bytes=10 * MB, max_count=1,
)
# The seed sets no number of awards; twenty pictures is more than a community lists, and bounds one form's files.
AWARD_PICTURE = UploadKind(
    what=_("获奖证明图片"), record=_("申报表"), types=(JPEG, PNG), types_label=_("JPG 或 PNG"), max_bytes=10 * MB,
    max_count=20,
)


def validate_scan(upload):
    upload_check(upload, kind=SCAN)


def validate_image(upload):
    upload_check(upload, kind=AWARD_PICTURE)
