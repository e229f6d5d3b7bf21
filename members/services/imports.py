"""Bringing an alliance's roster in: the members export's spreadsheet, checked row by row, then applied.

``members_import_plan`` is the dry run: it reads the database and writes nothing. ``members_import_start`` records
the confirmed rows on a MemberImport and hands them to a worker; ``members_import_run`` applies them one row per
transaction (``member_import_row``), so the progress shows as it goes and a second run of the same file, or of
the same import, finds every row unchanged.
"""

import datetime
import re
import string
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from alliance import numbering
from alliance.permissions import require_manage_alliance
from alliance.queueing import enqueue_on_commit
from alliance.services import checked_and_saved
from alliance.uploads import safe_name, upload_check

from .. import validators as v
from ..exports import COLUMNS
from ..models import Kind, Member, MemberEvent, MemberImport
from .applications import _next_member_number
from .certificates import _certificate_issue
from .common import _years_later
from .lifecycle import liaison_set

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"
ACTIONS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "无变化", REFUSED: "不导入"}
REQUIRED_COLUMNS = ("成员名称", "类型")
KINDS = {label: value for value, label in Kind.choices}
LIAISON_FIELDS = {"联络员": "name", "联络员电话": "phone", "联络员邮箱": "email"}
REASON = "导入成员名册"


@dataclass
class RowPlan:
    """What one row of the file will do: ``action`` (CREATE, UPDATE, UNCHANGED or REFUSED) and why."""

    line: int
    values: dict
    action: str = UNCHANGED
    reason: str = ""
    member: Member | None = None
    changes: list = field(default_factory=list)

    @property
    def name(self):
        return self.values.get("成员名称", "")

    @property
    def action_label(self):
        return ACTIONS[self.action]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number
    text = str(value).strip()
    # The export keeps a cell starting with = + - @ as text with a leading apostrophe (exports._safe).
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def roster_rows(upload):
    """The rows of an uploaded roster as {column title: text}, with their line numbers, or ValidationError."""
    upload_check(upload, kind=v.ROSTER)
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged workbook
        raise ValidationError(_("无法读取该 Excel 文件，请使用导入模板。"), code="unreadable") from exc
    header = [_text(title) for title in (rows[0] if rows else ())]
    missing = [title for title in REQUIRED_COLUMNS if title not in header]
    if missing:
        raise ValidationError(_("文件缺少列：%(columns)s。请使用导入模板。") % {"columns": "、".join(missing)},
                              code="columns")
    known = {title for title, _getter in COLUMNS["members"]}
    result = []
    for line, row in enumerate(rows[1:], start=2):
        values = {title: _text(cell) for title, cell in zip(header, row, strict=False) if title in known}
        if any(values.values()):
            result.append((line, values))
    return result


def _date(text, label):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("%(label)s“%(text)s”不是日期，格式如 2026-11-22。") % {"label": label, "text": text}) \
            from None


def _number_seq(rules, number):
    """(year, seq) when ``number`` is written in the charter's format (``member_number_format``), else None."""
    pattern = ""
    for literal, name, _spec, _conv in string.Formatter().parse(rules.member_number_format):
        pattern += re.escape(literal)
        if name == "code":
            pattern += re.escape(rules.alliance.code)
        elif name in ("year", "seq"):
            pattern += rf"(?P<{name}>\d+)"
    match = re.fullmatch(pattern, number)
    if match is None or "seq" not in match.groupdict():
        return None
    return int(match.groupdict().get("year") or 0) or None, int(match["seq"])


def _liaison_values(values, kind):
    liaison = {key: values.get(title, "") for title, key in LIAISON_FIELDS.items()}
    if not any(liaison.values()):
        return None
    if kind != Kind.UNIT:
        raise ValidationError(_("只有单位成员需要指定联络员。"))
    if not liaison["name"] or not liaison["email"]:
        raise ValidationError(_("填写联络员时须同时填写联络员姓名和邮箱。"))
    if liaison["phone"]:
        v.validate_phone(liaison["phone"])
    validate_email(liaison["email"])
    return liaison


def _matched(alliance, number, name):
    if number:
        member = Member.objects.filter(alliance=alliance, number=number).select_related("liaison").first()
        if member is not None and member.name != name:
            raise ValidationError(_("编号 %(number)s 已属于成员“%(name)s”。") % {"number": number, "name": member.name})
        if member is not None:
            return member
    member = Member.objects.filter(alliance=alliance, name=name).select_related("liaison").first()
    if member is not None and number:
        raise ValidationError(_("成员“%(name)s”已有编号 %(number)s，与文件中的编号不符。")
                              % {"name": name, "number": member.number})
    return member


def _plan_row(alliance, line, values):
    """The plan of one row against the database as it is now (reads only)."""
    plan = RowPlan(line=line, values=values)
    name, number = values.get("成员名称", ""), values.get("成员编号", "")
    if not name:
        raise ValidationError(_("缺少成员名称。"))
    if values.get("联盟") and values["联盟"] != alliance.name:
        raise ValidationError(_("该行属于“%(other)s”，不是%(alliance)s。") % {"other": values["联盟"],
                                                                         "alliance": alliance.name})
    kind = KINDS.get(values.get("类型", ""))
    if kind is None:
        raise ValidationError(_("类型须为“单位成员”或“个人成员”。"))
    credit_code = values.get("统一社会信用代码", "").upper()
    if credit_code:
        if kind != Kind.UNIT:
            raise ValidationError(_("个人成员不填写统一社会信用代码。"))
        v.validate_credit_code(credit_code)
    liaison = _liaison_values(values, kind)
    plan.member = _matched(alliance, number, name)
    if plan.member is not None:
        if plan.member.kind != kind:
            raise ValidationError(_("成员“%(name)s”的类型为%(kind)s，与文件不符。")
                                  % {"name": name, "kind": plan.member.get_kind_display()})
        current = getattr(plan.member, "liaison", None)
        if credit_code and credit_code != plan.member.credit_code:
            plan.changes.append("统一社会信用代码")
        if liaison and (current is None or any(getattr(current, key) != liaison[key] for key in liaison)):
            plan.changes.append("联络员")
        plan.action = UPDATE if plan.changes else UNCHANGED
        plan.reason = "、".join(plan.changes) if plan.changes else _("与现有记录一致")
        return plan
    if values.get("状态") not in ("", Member.Status.ACTIVE.label):
        raise ValidationError(_("新成员的状态只能为“正常”：其他状态须经决定办理。"))
    if not values.get("入会日期"):
        raise ValidationError(_("新成员须填写入会日期。"))
    admitted_on = _date(values["入会日期"], _("入会日期"))
    term_years = alliance.rules.member_term_years
    term_ends_on = _date(values["任期届满"], _("任期届满")) if values.get("任期届满") else (
        _years_later(admitted_on, term_years) if term_years else None)
    plan.member = Member(
        alliance=alliance, kind=kind, name=name, number=number, credit_code=credit_code, admitted_on=admitted_on,
        term_ends_on=term_ends_on, admission_reference=values.get("入会决定依据", ""),
    )
    plan.member.full_clean(exclude=[] if number else ["number"])
    plan.action = CREATE
    plan.reason = _("保留编号 %(number)s") % {"number": number} if number else _("按章程编号格式自动编号")
    return plan


def _plans(alliance, rows):
    plans, seen = [], {}
    for line, values in rows:
        keys = [("成员编号", values.get("成员编号")), ("成员名称", values.get("成员名称"))]
        twin = next((seen[key] for key in keys if key[1] and key in seen), None)
        if twin is not None:
            plans.append(RowPlan(line=line, values=values, action=REFUSED,
                                 reason=_("与第 %(line)s 行重复（编号或名称相同）。") % {"line": twin}))
            continue
        seen.update({key: line for key in keys if key[1]})
        try:
            plans.append(_plan_row(alliance, line, values))
        except ValidationError as exc:
            plans.append(RowPlan(line=line, values=values, action=REFUSED, reason="；".join(exc.messages)))
    return plans


def members_import_plan(*, actor, alliance, upload):
    """The dry run: each row's outcome and its reason. Nothing is written."""
    require_manage_alliance(actor, alliance)
    return _plans(alliance, roster_rows(upload))


def _member_create(member, *, actor):
    rules = member.alliance.rules
    if member.number:
        taken = _number_seq(rules, member.number)
        if taken is not None:
            # A number kept from the old roster in the charter's format: the counter continues after it.
            numbering.numbers_taken(kind=numbering.Kind.MEMBER, alliance=member.alliance,
                                    year=taken[0] or member.admitted_on.year, value=taken[1])
    else:
        member.number = _next_member_number(member.alliance, member.admitted_on.year)
    checked_and_saved(member, actor=actor, reason=REASON)
    MemberEvent.objects.create(member=member, to_status=member.status, actor=actor, step=MemberEvent.Step.IMPORTED,
                               reference=member.admission_reference)
    _certificate_issue(member, actor=actor)
    return member


@transaction.atomic
def member_import_row(*, actor, alliance, values):
    """Apply one row of a roster: create the member (numbered, certificate queued), or bring its credit code and
    liaison to the file's, or nothing when they agree. Returns the RowPlan; ValidationError when refused."""
    require_manage_alliance(actor, alliance)
    plan = _plan_row(alliance, 0, values)
    member = plan.member
    if plan.action == CREATE:
        _member_create(member, actor=actor)
    if "统一社会信用代码" in plan.changes:
        member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
        member.credit_code = values["统一社会信用代码"].upper()
        checked_and_saved(member, actor=actor, reason=REASON)
    liaison = _liaison_values(values, member.kind)
    if liaison and (plan.action == CREATE or "联络员" in plan.changes):
        liaison_set(actor=actor, member=member, title=getattr(getattr(member, "liaison", None), "title", ""),
                    **liaison)
    return plan


@transaction.atomic
def members_import_start(*, actor, alliance, upload):
    """Record the confirmed rows on a MemberImport and queue it: rows with a given number go first, so the
    numbers drawn for the others continue after them."""
    require_manage_alliance(actor, alliance)
    plans = members_import_plan(actor=actor, alliance=alliance, upload=upload)
    plans.sort(key=lambda plan: (plan.action == REFUSED, not plan.values.get("成员编号"), plan.line))
    job = MemberImport.objects.create(
        alliance=alliance, created_by=actor, file_name=safe_name(upload.name), total=len(plans),
        done=sum(plan.action == REFUSED for plan in plans), errors=sum(plan.action == REFUSED for plan in plans),
        outcome=[{"line": plan.line, "name": plan.name, "action": plan.action, "reason": plan.reason,
                  "values": plan.values, "applied": plan.action == REFUSED} for plan in plans],
    )
    enqueue_on_commit("members.tasks.members_import_run", job.pk)
    return job


def members_import_run(*, import_id):
    """Apply an import's rows not yet applied, one transaction each, counting them on the import as they go."""
    while True:
        with transaction.atomic():
            job = MemberImport.objects.select_for_update(of=("self",)).select_related(
                "alliance__rules", "created_by").get(pk=import_id)
            item = next((item for item in job.outcome if not item["applied"]), None)
            if item is None:
                if job.status != MemberImport.Status.DONE:
                    job.status, job.finished_at = MemberImport.Status.DONE, timezone.now()
                    job.save(update_fields=["status", "finished_at"])
                return job
            try:
                with transaction.atomic():
                    plan = member_import_row(actor=job.created_by, alliance=job.alliance, values=item["values"])
                item["action"], item["reason"] = plan.action, plan.reason
            except ValidationError as exc:
                item["action"], item["reason"] = REFUSED, "；".join(exc.messages)
                job.errors += 1
            except PermissionDenied as exc:
                item["action"], item["reason"] = REFUSED, str(exc)
                job.errors += 1
            item["applied"] = True
            job.done += 1
            job.save(update_fields=["outcome", "done", "errors"])
