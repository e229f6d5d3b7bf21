"""The files a project application takes, checked by alliance.uploads: the stamped opinion scan (附件1/附件2) and
a picture for each award (附件2 三)."""

from django.utils.translation import gettext_lazy as _

from alliance.uploads import JPEG, MB, PDF, PNG, UploadKind, upload_check

SCAN = UploadKind(
    what=_("盖章意见扫描件"), record=_("申报表"), types=(PDF, JPEG, PNG), types_label=_("PDF、JPG 或 PNG"),
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
