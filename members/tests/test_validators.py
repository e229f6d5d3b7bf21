"""Field checks with good and bad examples; attachments judged by content."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from alliance.uploads import upload_check, uploads_check
from members import validators as v

GOOD = {
    v.validate_mobile: ["13812345678", "19912345678", "138 1234 5678"],
    v.validate_landline: ["010-68902177", "(010)58800182", "0471-1234567", "020 12345678", "010-66490229-227"],
    v.validate_phone: ["13812345678", "010-68902177"],
    v.validate_postcode: ["100048", "010010", "１０００４８"],
    v.validate_credit_code: ["91350100M000100Y43", "91110000600037341L", "９１３５０１００Ｍ０００１００Ｙ４３"],
    v.validate_resident_id: ["11010519491231002X", "110101198001010010"],
}
BAD = {
    v.validate_mobile: ["12812345678", "1381234567", "138123456789", "+8613812345678", "abc",
                        "١٣٨١٢٣٤٥٦٧٨"],
    v.validate_landline: ["68902177", "10-68902177", "010-123", "13812345678"],
    v.validate_phone: ["12345", "电话", "-----", "()- /+"],
    v.validate_postcode: ["10004", "1000481", "10004a", "١٠٠٠٤٨"],
    v.validate_credit_code: ["91350100M000100Y44", "91350100M000100Y4", "91350100M000100I43", "9135O100M000100Y43"],
    v.validate_resident_id: ["11010519491231002Y", "1101051949123100", "11010519491331002X"],
}


@pytest.mark.parametrize(("validator", "value"), [(f, x) for f, xs in GOOD.items() for x in xs])
def test_good_values_pass(validator, value):
    validator(value)


@pytest.mark.parametrize(("validator", "value"), [(f, x) for f, xs in BAD.items() for x in xs])
def test_bad_values_get_a_chinese_message(validator, value):
    with pytest.raises(ValidationError) as exc:
        validator(value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.messages[0])


def test_the_credit_code_check_character_follows_gb_32100():
    assert v.credit_code_check_char("91350100M000100Y4") == "3"


def test_python_stdnum_accepts_a_real_credit_code_and_refuses_a_wrong_check_character():
    v.validate_credit_code("91110000600037341L")
    with pytest.raises(ValidationError) as exc:
        v.validate_credit_code("91110000600037341M")
    assert exc.value.messages == ["统一社会信用代码校验位不正确，请核对。"]


def test_full_width_digits_and_parentheses_are_read_as_ascii():
    v.validate_mobile("１３８ １２３４ ５６７８")
    v.validate_landline("（０１０）５８８００１８２")
    assert v.normalised(" （010）５８８００１８２ ") == "(010)58800182"


def test_a_phone_of_dashes_is_refused_on_the_projects_forms_too():
    from projects.models import TeamMember

    with pytest.raises(ValidationError) as exc:
        TeamMember._meta.get_field("phone").run_validators("-----")
    assert "手机号码或带区号的固定电话" in exc.value.messages[0]


def test_a_birth_date_in_the_future_is_refused():
    with pytest.raises(ValidationError):
        v.validate_birth_date(datetime.date.today() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        v.validate_birth_date(datetime.date(1850, 1, 1))
    v.validate_birth_date(datetime.date(1980, 2, 29))


def _picture(fmt):
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, fmt)
    return buf.getvalue()


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = _picture("PNG")
JPG = _picture("JPEG")
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


@pytest.mark.parametrize(("content", "expected"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPG, "image/jpeg")])
def test_allowed_attachments_are_recognised_by_content(content, expected):
    assert upload_check(SimpleUploadedFile("whatever.bin", content), kind=v.ATTACHMENTS) == expected


@pytest.mark.parametrize("content", [ELF, EXE, b"<html><script>alert(1)</script>", b"PK\x03\x04zip",
                                     b"\x89PNG\r\n\x1a\n" + b"\x00" * 32])
def test_an_executable_named_pdf_is_refused_as_an_attachment(content):
    upload = SimpleUploadedFile("营业执照.pdf", content, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        upload_check(upload, kind=v.ATTACHMENTS)
    assert exc.value.messages == ["“营业执照.pdf”不是 PDF、JPG 或 PNG 格式的附件（按文件内容判断）。"]


def test_an_attachment_over_10_mb_is_refused():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        upload_check(upload, kind=v.ATTACHMENTS)
    assert exc.value.messages == ["“big.pdf”超过 10 MB。"]


def test_an_eleventh_attachment_is_refused():
    with pytest.raises(ValidationError) as exc:
        uploads_check([SimpleUploadedFile("11.pdf", PDF)], kind=v.ATTACHMENTS, held=10)
    assert exc.value.messages == ["每份申请最多上传 10 个附件。"]
