"""The one check of an uploaded file: its type judged by its content (never by its name or the browser's claimed
type), its size, how many a record may hold, and a name safe to show. Each app declares the kinds it accepts
(``UploadKind``); a file is stored under a random name ending in the type its content has (``stored_name``).

Private files are streamed back only through alliance/downloads.py.
"""

import re
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIGNATURES = [(b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"PK\x03\x04", XLSX)]
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", XLSX: ".xlsx"}
# The parts every Excel workbook holds: any other zip (a .docx, an archive) is not a workbook.
XLSX_PARTS = {"[Content_Types].xml", "xl/workbook.xml"}
IMAGE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
                Image.DecompressionBombError)


@dataclass(frozen=True)
class UploadKind:
    """What one upload field of an app accepts: ``what`` is the file's name in messages ("附件"), ``record`` the
    record holding up to ``max_count`` of them ("申请"), ``types_label`` the types in words ("PDF、JPG 或 PNG")."""

    what: str
    record: str
    types: tuple
    types_label: str
    max_bytes: int
    max_count: int

    @property
    def help_text(self):
        """A form field's help text, translated when the form is shown."""
        return lazy(self._help_text, str)()

    def _help_text(self):
        return _("%(types)s，每个不超过 %(mb)s MB，每份%(record)s最多 %(count)s 个。") % {
            "types": self.types_label, "mb": self.max_bytes // MB, "record": self.record, "count": self.max_count}


SIGNATURE_BYTES = 16


def type_by_signature(head):
    """The type the first ``SIGNATURE_BYTES`` bytes name, or None; nothing past them is checked."""
    return next((t for magic, t in SIGNATURES if head.startswith(magic)), None)


def content_type_of(fileobj):
    """The type the first bytes say, or None. A picture must also decode within Pillow's pixel limit."""
    fileobj.seek(0)
    head = fileobj.read(SIGNATURE_BYTES)
    fileobj.seek(0)
    content_type = type_by_signature(head)
    if content_type in (JPEG, PNG):
        try:
            with warnings.catch_warnings():
                # A picture that would decode to more pixels than Pillow's limit (a decompression bomb) is
                # refused, not left to exhaust the memory of the worker that prints it.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                Image.open(fileobj).verify()
        except IMAGE_ERRORS:
            content_type = None
        fileobj.seek(0)
    if content_type == XLSX:
        try:
            if not XLSX_PARTS <= set(zipfile.ZipFile(fileobj).namelist()):
                content_type = None
        except zipfile.BadZipFile:
            content_type = None
        fileobj.seek(0)
    return content_type


def extension_for(content_type):
    return EXTENSIONS.get(content_type, ".bin")


def stored_name(folder, content_type):
    """A random name ending in the type the content has: the uploader's name never reaches the disk."""
    return f"{folder}/{uuid.uuid4().hex}{extension_for(content_type)}"


def safe_name(name, *, max_length=100):
    """A display name safe to show and to put in a Content-Disposition header: no path, no control characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"|?*;\x00]', "_", name).strip(" .")
    if not name:
        name = _("附件")
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: max_length - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else name[:max_length]
    return name


def upload_check(upload, *, kind):
    """The content type of one upload, or ValidationError. The answer is kept on the upload as ``checked_type``
    for the stored name (``checked_type_of``)."""
    params = {"name": safe_name(upload.name), "mb": kind.max_bytes // MB, "types": kind.types_label,
              "what": kind.what}
    if upload.size == 0:
        raise ValidationError(_("“%(name)s”是空文件。"), code="empty", params=params)
    if upload.size > kind.max_bytes:
        raise ValidationError(_("“%(name)s”超过 %(mb)s MB。"), code="too_large", params=params)
    content_type = content_type_of(upload)
    if content_type not in kind.types:
        raise ValidationError(_("“%(name)s”不是 %(types)s 格式的%(what)s（按文件内容判断）。"), code="file_type",
                              params=params)
    upload.checked_type = content_type
    return content_type


def count_check(count, *, kind):
    if count > kind.max_count:
        raise ValidationError(_("每份%(record)s最多上传 %(count)s 个%(what)s。"), code="too_many",
                              params={"record": kind.record, "what": kind.what, "count": kind.max_count})


def uploads_check(uploads, *, kind, held=0):
    """The content type of each upload once they all fit beside the ``held`` ones; every file's refusal at once."""
    count_check(held + len(uploads), kind=kind)
    types, errors = [], []
    for upload in uploads:
        try:
            types.append(upload_check(upload, kind=kind))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return types


def checked_type_of(upload):
    """The type ``upload_check`` found for this upload; an upload that was never checked is judged now."""
    return getattr(upload, "checked_type", None) or content_type_of(upload)
