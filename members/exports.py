"""Excel exports (openpyxl) of applications and members for the admin."""

import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from alliance.uploads import XLSX


def _d(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value


def _safe(value):
    # A cell starting with = + - @ would be read as a formula by a spreadsheet: keep it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


COLUMNS = {
    "applications": [
        ("联盟", lambda a: a.alliance.name), ("类型", lambda a: a.get_kind_display()),
        ("状态", lambda a: a.get_status_display()), ("名称", lambda a: a.display_name),
        ("单位类型", lambda a: a.unit_type), ("统一社会信用代码", lambda a: a.credit_code),
        ("省", lambda a: a.province), ("市", lambda a: a.city), ("县", lambda a: a.county),
        ("通讯地址", lambda a: a.address), ("邮编", lambda a: a.postcode),
        ("负责人", lambda a: a.head_name), ("负责人职务", lambda a: a.head_title),
        ("负责人电话", lambda a: a.head_phone), ("负责人邮箱", lambda a: a.head_email),
        ("联系人", lambda a: a.contact_name), ("联系人职务", lambda a: a.contact_title),
        ("办公电话", lambda a: a.contact_office_phone or a.office_phone), ("手机", lambda a: a.contact_mobile or a.mobile),
        ("电子邮箱", lambda a: a.contact_email or a.email), ("QQ或微信", lambda a: a.contact_im),
        ("性别", lambda a: a.get_gender_display()), ("出生日期", lambda a: _d(a.birth_date)),
        ("民族", lambda a: a.ethnicity), ("工作单位", lambda a: a.employer), ("职称", lambda a: a.professional_title),
        ("职务", lambda a: a.position), ("业务领域", lambda a: a.field_of_work),
        ("提交时间", lambda a: _d(a.submitted_at)), ("审批时间", lambda a: _d(a.decided_at)),
        ("审核意见", lambda a: a.review_note),
    ],
    "members": [
        ("联盟", lambda m: m.alliance.name), ("成员编号", lambda m: m.number), ("成员名称", lambda m: m.name),
        ("类型", lambda m: m.get_kind_display()), ("统一社会信用代码", lambda m: m.credit_code),
        ("状态", lambda m: m.get_status_display()),
        ("入会日期", lambda m: _d(m.admitted_on)), ("任期届满", lambda m: _d(m.term_ends_on)),
        ("联络员", lambda m: getattr(getattr(m, "liaison", None), "name", "")),
        ("联络员电话", lambda m: getattr(getattr(m, "liaison", None), "phone", "")),
        ("联络员邮箱", lambda m: getattr(getattr(m, "liaison", None), "email", "")),
        ("入会决定依据", lambda m: m.admission_reference), ("处分/退出决定", lambda m: m.decision.title if m.decision_id else ""),
        ("已取消的权利", lambda m: m.suspended_rights_display),
    ],
}
TITLES = {"applications": "成员申请", "members": "成员名单"}

# What the roster import (members/services/imports.py) reads from each column of the members export.
IMPORT_NOTES = {
    "联盟": "可留空；填写时须为导入的联盟。",
    "成员编号": "可留空，按章程的编号格式自动编号；填写时保留原编号。已有成员按编号匹配，无编号时按名称匹配。",
    "成员名称": "必填，同一文件内不得重复。",
    "类型": "必填：单位成员或个人成员。",
    "统一社会信用代码": "单位成员选填，18 位，按国家标准校验。",
    "状态": "可留空；新成员只能为“正常”，其余状态须经决定办理。",
    "入会日期": "新成员必填，格式 2026-11-22。",
    "任期届满": "可留空，按章程的任期计算。",
    "联络员": "单位成员选填；填写时须同时填写联络员邮箱。",
    "联络员电话": "手机号码或带区号的固定电话。",
    "联络员邮箱": "填写联络员时必填。",
    "入会决定依据": "选填。",
    "处分/退出决定": "导入时不读取：处分和退出须依决议办理。",
    "已取消的权利": "导入时不读取。",
}


def workbook_bytes(kind, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = TITLES[kind]
    columns = COLUMNS[kind]
    ws.append([title for title, _ in columns])
    for row in rows:
        ws.append([_safe(getter(row)) for _, getter in columns])
    for i in range(1, len(columns) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 16
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _attachment(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(kind, rows):
    return _attachment(workbook_bytes(kind, rows), f"{kind}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx")


def import_template_response():
    """The members export with no rows, and a second sheet saying what the import reads from each column."""
    wb = load_workbook(io.BytesIO(workbook_bytes("members", [])))
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for title, _ in COLUMNS["members"]:
        notes.append([title, IMPORT_NOTES[title]])
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 18, 80
    buffer = io.BytesIO()
    wb.save(buffer)
    return _attachment(buffer.getvalue(), "members-import-template.xlsx")


def assessment_response(round_, results):
    """A round's results, one row per member with a column per criterion (000 组织架构 1)."""
    criteria = list(round_.criteria.all())
    wb = Workbook()
    ws = wb.active
    ws.title = "业务考核"
    ws.append(["成员编号", "成员名称", *[f"{c.name}（满分{c.max_score}）" for c in criteria], "总分", "等级", "评语",
               "评分时间", "更正次数"])
    for result in results:
        scores = {s.criterion_id: s.score for s in result.scores.all()}
        ws.append([_safe(v) for v in [
            result.member.number, result.member.name, *[scores.get(c.pk) for c in criteria], result.total,
            result.get_grade_display(), result.comment, _d(result.assessed_at), len(result.corrections.all()),
        ]])
    for i in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(i)].width = 16
    ws.freeze_panes = "C2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _attachment(buffer.getvalue(), f"assessment-{round_.pk}.xlsx")
