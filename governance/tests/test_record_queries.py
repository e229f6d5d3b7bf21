"""The changelists of the alliance's record and its page ask as many queries for one row as for six."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services
from governance.models import Body
from members.tests.factories import admitted_member, decided_motion

pytestmark = pytest.mark.django_db


def _report(alliance, staff, n):
    services.annual_report_create(actor=staff, alliance=alliance, year=2000 + n, title=f"报告{n}", text="正文")


def _follow_up(alliance, staff, n):
    motion = decided_motion(alliance=alliance, kind="other", body_kind=Body.Kind.ASSEMBLY, title=f"决议{n}")
    services.follow_up_record(actor=staff, motion=motion, action="执行", acted_on=datetime.date(2026, 1, n + 1))


def _target(alliance, staff, n):
    target = services.target_create(actor=staff, alliance=alliance, title=f"目标{n}", measure="更新率", unit="%",
                                    threshold=Decimal(20), start_date=datetime.date(2025, 1, 1),
                                    end_date=datetime.date(2030, 1, 1))
    services.target_progress_record(actor=staff, target=target, recorded_on=datetime.date(2026, 1, 1), value=n)


def _task(alliance, staff, n):
    member = alliance.members.first()
    services.lead_task_create(actor=staff, alliance=alliance, title=f"任务{n}", lead_member=member)


def _agreement(alliance, staff, n):
    services.agreement_create(actor=staff, alliance=alliance, title=f"协议{n}", parties="甲\n乙",
                              signed_on=datetime.date(2010, 6, 30))


CHANGELISTS = [("annualreport", _report), ("resolutionfollowup", _follow_up), ("target", _target),
               ("targetprogress", _target), ("leadtask", _task), ("agreement", _agreement)]


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("model", "add"), CHANGELISTS)
def test_a_record_changelist_asks_as_many_queries_for_one_row_as_for_six(client, django_assert_num_queries, model,
                                                                        add):
    member, staff = admitted_member()
    alliance = member.alliance
    client.force_login(staff)
    url = reverse(f"admin:governance_{model}_changelist")
    add(alliance, staff, 0)
    one = _count(client, url)
    for n in range(1, 6):
        add(alliance, staff, n)
    with django_assert_num_queries(one):
        client.get(url)


def test_the_alliance_page_asks_as_many_queries_for_one_record_of_each_kind_as_for_six(client,
                                                                                      django_assert_num_queries):
    member, staff = admitted_member()
    alliance = member.alliance
    for add in (_target, _task, _agreement):
        add(alliance, staff, 0)
    one = _count(client, alliance.get_absolute_url())
    for n in range(1, 6):
        for add in (_target, _task, _agreement):
            add(alliance, staff, n)
    with django_assert_num_queries(one):
        client.get(alliance.get_absolute_url())
