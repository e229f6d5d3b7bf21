"""Excel exports (openpyxl) of applications and members for the admin."""

import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        ("类型", lambda m: m.get_kind_display()), ("状态", lambda m: m.get_status_display()),
        ("入会日期", lambda m: _d(m.admitted_on)), ("任期届满", lambda m: _d(m.term_ends_on)),
        ("联络员", lambda m: getattr(getattr(m, "liaison", None), "name", "")),
        ("联络员电话", lambda m: getattr(getattr(m, "liaison", None), "phone", "")),
        ("联络员邮箱", lambda m: getattr(getattr(m, "liaison", None), "email", "")),
        ("入会决定依据", lambda m: m.admission_reference), ("处分/退出决定", lambda m: m.decision.title if m.decision_id else ""),
        ("已取消的权利", lambda m: m.suspended_rights_display),
    ],
}
TITLES = {"applications": "成员申请", "members": "成员名单"}


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


def export_response(kind, rows):
    response = HttpResponse(workbook_bytes(kind, rows), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.xlsx"'
    return response
