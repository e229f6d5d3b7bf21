"""Staff and organisers posting what the pages' forms never send, or a picture built to exhaust memory, get a
clear answer, never a server error."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.tests.factories import staff_of
from projects.files import validate_scan
from projects.tests.factories import ProjectFactory, png_bytes

pytestmark = pytest.mark.django_db


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bomb_png(width=40000, height=40000):
    """A few hundred bytes whose header promises 1.6 billion pixels (Pillow's limit is ~179 million)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + _chunk(b"IEND", b""))


def test_a_decompression_bomb_scan_is_refused_with_the_scan_message():
    with pytest.raises(ValidationError, match="扫描件"):
        validate_scan(SimpleUploadedFile("盖章.png", _bomb_png(), content_type="image/png"))
    validate_scan(SimpleUploadedFile("盖章.png", png_bytes(), content_type="image/png"))  # a real one passes


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999", ""])
def test_the_selection_page_answers_a_key_that_is_not_one_with_404(client, value):
    project = ProjectFactory()
    client.force_login(staff_of(project.alliance))
    response = client.post(reverse("projects:selection", args=[project.pk]), {"application": value, "selected": "1"})
    assert response.status_code == 404
