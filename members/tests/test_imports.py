"""Bringing an alliance's roster in from the members export's spreadsheet (dry run, confirm, progress)."""

import base64
import datetime
import io

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from alliance.tests.factories import AllianceFactory, staff_of
from members import services
from members.exports import COLUMNS
from members.models import Certificate, Kind, Member, MemberImport

pytestmark = pytest.mark.django_db

HEADER = [title for title, _getter in COLUMNS["members"]]
GOOD_CODE, BAD_CODE = "91350100M000100Y43", "91350100M000100Y44"


def roster(*rows, name="名册.xlsx"):
    wb = Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append([row.get(title, "") for title in HEADER])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def unit(name, **extra):
    return {"成员名称": name, "类型": "单位成员", "入会日期": "2026-03-01", **extra}


@pytest.fixture
def world():
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    existing = services.member_enrol_by_charter(
        actor=staff, alliance=alliance, name="广州大学", kind=Kind.UNIT, admitted_on=datetime.date(2019, 5, 1),
        reference="章程第五条")
    code = alliance.code
    rows = [
        {"成员名称": "李华", "类型": "个人成员", "入会日期": "2026-05-01"},  # no number: the charter's format
        unit("首都师范大学", **{"成员编号": f"{code}-2026-0007", "统一社会信用代码": GOOD_CODE, "联络员": "张敏霞",
                              "联络员电话": "13812345678", "联络员邮箱": "zhangmx@example.cn"}),
        unit("北京师范大学", **{"联络员": "王陆", "联络员电话": "12345", "联络员邮箱": "wanglu@example.cn"}),
        unit("华东师范大学", **{"统一社会信用代码": BAD_CODE}),
        unit("首都师范大学"),  # the same name again
        {"联盟": alliance.name, "成员编号": existing.number, "成员名称": "广州大学", "类型": "单位成员",
         "联络员": "陈静", "联络员电话": "020-39366000", "联络员邮箱": "chenj@example.cn"},
    ]
    return alliance, staff, existing, rows


def table_counts(*, skip=()):
    return {model._meta.label: model._default_manager.count() for model in apps.get_models() if model not in skip}


def by_line(plans):
    return {plan.line: (plan.action, plan.reason) for plan in plans}


def test_the_dry_run_lists_each_rows_outcome_and_reason_and_writes_nothing(world):
    alliance, staff, existing, rows = world
    before = table_counts()
    outcome = by_line(services.members_import_plan(actor=staff, alliance=alliance, upload=roster(*rows)))
    assert table_counts() == before  # every table, the history tables and the number counters among them
    assert outcome[2] == ("create", "按章程编号格式自动编号")
    assert outcome[3] == ("create", f"保留编号 {alliance.code}-2026-0007")
    assert outcome[4][0] == "refused" and "手机号码或带区号的固定电话" in outcome[4][1]
    assert outcome[5][0] == "refused" and "校验位不正确" in outcome[5][1]
    assert outcome[6] == ("refused", "与第 3 行重复（编号或名称相同）。")
    assert outcome[7] == ("update", "联络员")


def _imported(staff, alliance, upload, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.members_import_start(actor=staff, alliance=alliance, upload=upload)
    assert len(callbacks) == 1  # the import handed to a worker
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.members_import_run(import_id=job.pk)
    return job, callbacks


def test_confirming_applies_exactly_the_good_rows_with_kept_and_charter_numbers(
        world, django_capture_on_commit_callbacks):
    alliance, staff, existing, rows = world
    job, callbacks = _imported(staff, alliance, roster(*rows), django_capture_on_commit_callbacks)
    code = alliance.code
    assert (job.status, job.total, job.done, job.errors) == (MemberImport.Status.DONE, 6, 6, 3)
    assert set(Member.objects.filter(alliance=alliance).values_list("name", "number")) == {
        ("广州大学", existing.number), ("首都师范大学", f"{code}-2026-0007"), ("李华", f"{code}-2026-0008")}
    capital = Member.objects.get(alliance=alliance, name="首都师范大学")
    assert capital.credit_code == GOOD_CODE and capital.liaison.phone == "13812345678"
    assert capital.history.first().history_user == staff
    existing.refresh_from_db()
    assert (existing.liaison.name, existing.liaison.email) == ("陈静", "chenj@example.cn")
    queued = Certificate.objects.filter(member__name__in=["首都师范大学", "李华"], status=Certificate.Status.PENDING)
    assert queued.count() == 2
    assert len(callbacks) >= 2  # the two certificates' renders


def test_a_second_import_of_the_same_file_changes_nothing(world, django_capture_on_commit_callbacks):
    alliance, staff, existing, rows = world
    _imported(staff, alliance, roster(*rows), django_capture_on_commit_callbacks)
    before = table_counts(skip=[MemberImport])
    job, _callbacks = _imported(staff, alliance, roster(*rows), django_capture_on_commit_callbacks)
    assert table_counts(skip=[MemberImport]) == before
    assert {row["action"] for row in job.outcome} == {"unchanged", "refused"}


def test_a_new_number_drawn_after_the_import_continues_after_the_kept_ones(world, django_capture_on_commit_callbacks):
    alliance, staff, existing, rows = world
    _imported(staff, alliance, roster(rows[1]), django_capture_on_commit_callbacks)
    member = services.member_enrol_by_charter(actor=staff, alliance=alliance, name="新成员", kind=Kind.UNIT,
                                              admitted_on=datetime.date(2026, 6, 1), reference="章程")
    assert member.number == f"{alliance.code}-2026-0008"


def test_staff_of_another_alliance_cannot_import_into_it(world, client):
    alliance, staff, existing, rows = world
    other = staff_of(AllianceFactory())
    with pytest.raises(PermissionDenied):
        services.members_import_plan(actor=other, alliance=alliance, upload=roster(*rows))
    with pytest.raises(PermissionDenied):
        services.members_import_start(actor=other, alliance=alliance, upload=roster(*rows))
    client.force_login(other)
    response = client.post(reverse("admin:members_member_import"),
                           {"alliance": alliance.pk, "file": roster(*rows), "confirm": "1"})
    assert "alliance" in response.context["form"].errors
    assert not MemberImport.objects.exists()


def test_staff_of_another_alliance_cannot_follow_its_import(world, client, django_capture_on_commit_callbacks):
    alliance, staff, existing, rows = world
    job, _callbacks = _imported(staff, alliance, roster(*rows), django_capture_on_commit_callbacks)
    client.force_login(staff_of(AllianceFactory()))
    assert client.get(reverse("admin:members_member_import_progress", args=[job.pk])).status_code == 403


@pytest.mark.parametrize("content", [b"%PDF-1.4 not a roster", b"PK\x03\x04 a zip that is no workbook", b"a,b\n"])
def test_a_file_that_is_not_an_excel_workbook_is_refused_in_chinese(world, client, content):
    alliance, staff, existing, rows = world
    with pytest.raises(ValidationError) as exc:
        services.members_import_plan(actor=staff, alliance=alliance,
                                     upload=SimpleUploadedFile("名册.xlsx", content))
    assert "不是 Excel（.xlsx） 格式的成员名册" in exc.value.messages[0]
    client.force_login(staff)
    response = client.post(reverse("admin:members_member_import"),
                           {"alliance": alliance.pk, "file": SimpleUploadedFile("名册.xlsx", content)})
    assert "不是 Excel（.xlsx） 格式的成员名册" in str(response.context["form"].errors["file"])


def test_the_template_download_has_the_exports_columns(world, client):
    alliance, staff, existing, rows = world
    client.force_login(staff)
    response = client.get(reverse("admin:members_member_import_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in wb.worksheets[0][1]] == HEADER
    assert [row[0] for row in wb["填写说明"].iter_rows(min_row=2, values_only=True)] == HEADER


def test_an_exported_roster_imports_back_unchanged(world, client, django_capture_on_commit_callbacks):
    alliance, staff, existing, rows = world
    client.force_login(staff)
    exported = client.post(reverse("admin:members_member_changelist"),
                           {"action": "export_excel", "_selected_action": [existing.pk]}).content
    plans = services.members_import_plan(actor=staff, alliance=alliance,
                                         upload=SimpleUploadedFile("members.xlsx", exported))
    assert [(plan.action, plan.name) for plan in plans] == [("unchanged", "广州大学")]


def test_the_admin_dry_run_then_confirm_imports_and_shows_the_progress(
        world, client, django_capture_on_commit_callbacks):
    alliance, staff, existing, rows = world
    client.force_login(staff)
    assert reverse("admin:members_member_import") in client.get(reverse("admin:members_member_changelist")).text
    url = reverse("admin:members_member_import")
    response = client.post(url, {"alliance": alliance.pk, "file": roster(*rows), "dry_run": "1"})
    assert "保留编号" in response.text and not MemberImport.objects.exists()
    content = response.context["form"].initial["content"]
    assert base64.b64decode(content)
    with django_capture_on_commit_callbacks():
        response = client.post(url, {"alliance": alliance.pk, "content": content, "file_name": "名册.xlsx",
                                     "confirm": "1"})
    job = MemberImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:members_member_import_progress",
                                                                    args=[job.pk])
    page = client.get(response.url).text
    assert 'http-equiv="refresh"' in page and "已处理 3 / 6 行" in page
    services.members_import_run(import_id=job.pk)
    page = client.get(response.url).text
    assert 'http-equiv="refresh"' not in page and "已处理 6 / 6 行，其中 3 行未导入" in page


def test_the_import_task_applies_the_rows_and_a_rerun_does_nothing_more(world, django_capture_on_commit_callbacks):
    from members import tasks

    alliance, staff, existing, rows = world
    with django_capture_on_commit_callbacks():
        job = services.members_import_start(actor=staff, alliance=alliance, upload=roster(*rows))
        tasks.members_import_run(job.pk)
        before = table_counts()
        tasks.members_import_run(job.pk)  # a redelivered task (acks_late)
    assert table_counts() == before
    job.refresh_from_db()
    assert (job.status, job.done, job.errors) == (MemberImport.Status.DONE, 6, 3)
