"""Uploaded files are judged by their content, never by their name or the browser's content type."""

import warnings

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SIGNATURES = [
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
]


def sniff(fileobj):
    """Return (kind, content_type) from the first bytes, or (None, None). Images must also decode."""
    pos = fileobj.tell() if hasattr(fileobj, "tell") else 0
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    for magic, kind, content_type in SIGNATURES:
        if head.startswith(magic):
            if kind != "pdf":
                try:
                    with warnings.catch_warnings():
                        # A picture that would decode to more pixels than Pillow's limit (a decompression bomb)
                        # is refused, not left to exhaust the memory of the worker that prints it.
                        warnings.simplefilter("error", Image.DecompressionBombWarning)
                        Image.open(fileobj).verify()
                except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
                        Image.DecompressionBombWarning, Image.DecompressionBombError):
                    fileobj.seek(pos)
                    return None, None
            fileobj.seek(0)
            return kind, content_type
    fileobj.seek(pos)
    return None, None


def _check(upload, allowed, message):
    if upload is None:
        return
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("文件不能超过 10 MB。")
    kind, _ = sniff(upload)
    if kind not in allowed:
        raise ValidationError(message)


def validate_scan(upload):
    _check(upload, {"pdf", "jpg", "png"}, "请上传盖章后的扫描件（PDF、JPG 或 PNG 格式）。")


def validate_image(upload):
    _check(upload, {"jpg", "png"}, "请上传 JPG 或 PNG 格式的图片。")
