"""The admin index is the secretariat's workbench: counts of what waits, each linking to exactly its rows, and the
charts of the staff member's own alliances with their numbers in a table."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance.tests.factories import UserFactory
from finance import services as finance
from finance.tests.factories import dues_alliance
from governance.models import Motion
from governance.tests.factories import MeetingFactory, MotionFactory
from members import services as members
from members.models import Application, Member
from members.tests.factories import ApplicationFactory, admitted_member, submitted_application

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
COUNTS = ["待审核申请", "待理事会审议", "退会申请", "表决中议案", "逾期会费", "待生成/生成失败的收据"]


def waiting_work(alliance, n=1):
    """n rows of each count in one alliance with dues: submitted and ratifiable applications, members leaving,
    motions in vote, overdue dues partly paid (their receipts not yet printed)."""
    staff = None
    for _ in range(n):
        submitted_application(alliance=alliance)
        ApplicationFactory(alliance=alliance, status=Application.Status.PENDING_RATIFICATION,
                           submitted_at=timezone.now())
        member, staff = admitted_member(alliance=alliance)
        members.member_request_withdrawal(actor=member.user, member=member, reason="书面通知退出")
        MotionFactory(meeting=MeetingFactory(body__alliance=alliance, form="correspondence",
                                             correspondence_deadline=timezone.now() + datetime.timedelta(days=3)),
                      status=Motion.Status.OPEN, voting_opened_at=timezone.now())
    finance.dues_schedule_set(actor=staff, alliance=alliance, member_kind="unit", year=YEAR,
                              amount=Decimal("1000.00"), due_date=datetime.date(YEAR, 1, 1))
    finance.invoices_issue(actor=staff, alliance=alliance, year=YEAR)
    for invoice in alliance.invoices.all():
        finance.payment_record(actor=staff, invoice=invoice, amount=Decimal("100.00"),
                               paid_on=timezone.localdate(), method="bank_transfer")
    return staff


def shown_counts(html):
    """{label: number} of the index's counts, and {label: link}."""
    found = re.findall(r'<a href="([^"]+)"><span class="workbench-number">(\d+)</span> ([^<]+)</a>', html)
    return {label: int(n) for _, n, label in found}, {label: url.replace("&amp;", "&") for url, _, label in found}


def test_staff_see_their_alliances_counts_and_none_of_another_alliances(client):
    ours, theirs = dues_alliance(), dues_alliance()
    staff = waiting_work(ours, n=2)
    waiting_work(theirs, n=1)
    client.force_login(staff)
    counts, _ = shown_counts(client.get(reverse("admin:index")).content.decode())
    assert {label: counts[label] for label in COUNTS} == {
        "待审核申请": 2, "待理事会审议": 2, "退会申请": 2, "表决中议案": 2, "逾期会费": 2, "待生成/生成失败的收据": 2}


def test_a_superuser_sees_every_alliances_counts(client):
    waiting_work(dues_alliance(), n=2)
    waiting_work(dues_alliance(), n=1)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    counts, _ = shown_counts(client.get(reverse("admin:index")).content.decode())
    assert all(counts[label] == 3 for label in COUNTS)


def test_each_count_links_to_a_changelist_of_exactly_its_rows(client):
    ours, theirs = dues_alliance(), dues_alliance()
    staff = waiting_work(ours, n=2)
    waiting_work(theirs, n=1)
    ApplicationFactory(alliance=ours)  # a draft, counted nowhere
    client.force_login(staff)
    counts, links = shown_counts(client.get(reverse("admin:index")).content.decode())
    assert links["待审核申请"] == "/admin/members/application/?status=submitted"
    for label in COUNTS:
        page = client.get(links[label])
        assert page.status_code == 200
        assert page.context["cl"].result_count == counts[label] == 2, label


def test_the_motions_in_vote_are_listed_with_their_deadlines(client):
    alliance = dues_alliance()
    staff = waiting_work(alliance)
    client.force_login(staff)
    html = client.get(reverse("admin:index")).content.decode()
    deadline = timezone.localtime(Motion.objects.get().meeting.correspondence_deadline)
    assert f"截止 {deadline.year}年{deadline.month}月{deadline.day}日" in html


def test_the_index_asks_as_many_queries_for_six_rows_of_each_as_for_one(client, django_assert_num_queries):
    alliance = dues_alliance()
    staff = waiting_work(alliance, n=1)
    client.force_login(staff)
    client.get(reverse("admin:index"))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("admin:index"))
    waiting_work(alliance, n=5)
    Member.objects.filter(alliance=alliance).update(admitted_on=datetime.date(YEAR - 1, 5, 1))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("admin:index"))


def chart_table(html, title):
    """The rows of the table beside the chart titled title: [(label, [values])]."""
    figure = html.split(f"<figcaption>{title}</figcaption>", 1)[1].split("</figure>", 1)[0]
    body = figure.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [(label, re.findall(r"<td>([^<]*)</td>", cells))
            for label, cells in re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', body)]


def test_the_chart_tables_hold_the_numbers_of_the_staff_members_alliances(client):
    ours, theirs = dues_alliance(), dues_alliance()
    staff = waiting_work(ours, n=2)
    waiting_work(theirs, n=1)
    ApplicationFactory(alliance=ours, kind="individual", status=Application.Status.REJECTED,
                       submitted_at=timezone.now(), review_note="不符合章程第五条")
    client.force_login(staff)
    html = client.get(reverse("admin:index")).content.decode()
    month = timezone.localdate()
    assert chart_table(html, "成员类型") == [("单位成员", ["2"])]
    assert chart_table(html, "成员所在省份") == [("北京市", ["2"])]
    assert chart_table(html, "入会年度") == [(f"{YEAR}年", ["2"])]
    # submitted: two reviewed, two ratifiable, two admitted (reviewed), and one refused
    assert chart_table(html, "本年度入会申请") == [(f"{month.year}年{month.month}月", ["2", "1", "4"])]
    assert chart_table(html, "本年度会费（元）") == [("应缴", ["2000.00"]), ("已缴", ["200.00"]),
                                                  ("逾期未缴", ["1800.00"])]
    assert html.count('<svg role="img"') == 5
