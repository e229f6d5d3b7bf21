"""The one upload check: type by content, size, count and a safe name; the stored name from the checked type."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from alliance import uploads

KIND = uploads.UploadKind(what="材料", record="申请", types=(uploads.PDF, uploads.PNG), types_label="PDF 或 PNG",
                          max_bytes=1024, max_count=2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_the_type_comes_from_the_content_and_is_kept_for_the_stored_name():
    upload = SimpleUploadedFile("扫描.html", _png(), content_type="text/html")
    assert uploads.upload_check(upload, kind=KIND) == "image/png"
    assert uploads.checked_type_of(upload) == "image/png"
    assert uploads.stored_name("x/1", uploads.checked_type_of(upload)).endswith(".png")
    assert not uploads.stored_name("x/1", None).endswith((".html", ".png", ".pdf"))


@pytest.mark.parametrize("content", [
    b"<html>", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, b"\xff\xd8\xff\xe0" + b"\0" * 9,
])
def test_content_of_another_type_is_refused_whatever_the_name(content):
    with pytest.raises(ValidationError) as exc:
        uploads.upload_check(SimpleUploadedFile("证明.pdf", content, content_type="application/pdf"), kind=KIND)
    assert exc.value.messages == ["“证明.pdf”不是 PDF 或 PNG 格式的材料（按文件内容判断）。"]


def test_an_excel_workbook_is_told_from_another_zip_by_its_parts():
    workbook, other = io.BytesIO(), io.BytesIO()
    Workbook().save(workbook)
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert uploads.content_type_of(workbook) == uploads.XLSX
    assert uploads.content_type_of(other) is None
    assert uploads.content_type_of(io.BytesIO(b"PK\x03\x04 broken")) is None


def test_a_picture_promising_more_pixels_than_pillow_allows_is_refused():
    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 0, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
    assert uploads.content_type_of(io.BytesIO(bomb + _chunk(b"IEND", b""))) is None


def test_an_empty_or_too_large_file_is_refused_with_its_name():
    with pytest.raises(ValidationError, match="“a.pdf”是空文件"):
        uploads.upload_check(SimpleUploadedFile("a.pdf", b""), kind=KIND)
    with pytest.raises(ValidationError, match="“a.pdf”超过"):
        uploads.upload_check(SimpleUploadedFile("a.pdf", PDF + b"0" * 1024), kind=KIND)


def test_too_many_files_are_refused_and_each_bad_file_is_named():
    with pytest.raises(ValidationError, match="每份申请最多上传 2 个材料"):
        uploads.uploads_check([SimpleUploadedFile("b.pdf", PDF)], kind=KIND, held=2)
    with pytest.raises(ValidationError) as exc:
        uploads.uploads_check([SimpleUploadedFile("a.exe", b"MZ"), SimpleUploadedFile("b.exe", b"MZ")], kind=KIND)
    first, second = exc.value.messages
    assert first.startswith("“a.exe”不是") and second.startswith("“b.exe”不是")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\证明.pdf", "证明.pdf"),
        ("a\x00b\r\n.pdf", "ab.pdf"),
        ('x";filename="evil.exe', "x__filename=_evil.exe"),
        ("<script>alert(1)</script>.pdf", "script_.pdf"),
        ("...", "附件"),
    ],
)
def test_file_names_are_made_safe_to_show(name, expected):
    assert uploads.safe_name(name) == expected


def test_long_file_names_keep_their_extension():
    assert uploads.safe_name("长" * 300 + ".pdf").endswith(".pdf")
    assert len(uploads.safe_name("长" * 300 + ".pdf")) <= 100
