"""Lists that cost the same however long they grow: the admin counts up to a cap, the site's lists count nothing."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.pagination import CappedCountPaginator, page_of
from finance.admin import InvoiceAdmin
from finance.models import Invoice
from finance.tests.factories import billed_member
from members.admin import MemberAdmin
from members.tests.factories import admitted_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    Group.objects.bulk_create([Group(name=f"组{i}") for i in range(7)])
    return Group.objects.filter(name__startswith="组").order_by("name")


def test_the_count_is_exact_below_the_cap(groups, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 10)
    paginator = CappedCountPaginator(groups, 3, page_number=1)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (7, False, 3)


def test_the_count_stops_past_the_cap_from_the_page_asked_for(groups, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    first = CappedCountPaginator(groups, 2, page_number=1)
    assert (first.count, first.capped, first.at_least) == (3, True, 2)
    third = CappedCountPaginator(groups, 2, page_number=3)  # rows 5–7: 4 before, then 3 more than the cap of 2
    assert (third.count, third.capped) == (7, True)
    assert [g.name for g in third.page(3).object_list] == ["组4", "组5"]
    last = CappedCountPaginator(groups, 2, page_number=4)
    assert (last.count, last.capped, last.num_pages) == (7, False, 4)


def test_a_page_past_the_end_counts_every_row_so_the_admin_can_send_the_person_back(groups):
    paginator = CappedCountPaginator(groups, 2, page_number=9)
    assert paginator.count == 7


def test_a_lookahead_page_knows_its_neighbours_without_a_count(groups, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_of(groups, 3, "2")
        assert [g.name for g in page] == ["组3", "组4", "组5"]
    assert page.has_previous() and page.has_next() and page.next_page_number() == 3
    last = page_of(groups, 3, "3")
    assert len(last) == 1 and not last.has_next()
    assert page_of(groups, 3, "x").number == 1  # a bad page number is the first page


def test_a_changelist_past_the_cap_says_more_than_and_still_pages_on(client, monkeypatch):
    invoice, staff = billed_member()
    for _ in range(4):
        billed_member(invoice.alliance)
    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    monkeypatch.setattr(InvoiceAdmin, "list_per_page", 1)
    client.force_login(staff)
    url = reverse("admin:finance_invoice_changelist")
    page = client.get(url).content.decode()
    assert "2 个以上会费账单" in page
    response = client.get(url, {"p": 5})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [Invoice.objects.order_by("member_id").last()]
    assert "5 会费账单" in response.content.decode()  # counted to the end from page 5: exact


def test_select_all_past_the_cap_says_more_than_not_a_total(client, monkeypatch):
    first, staff = admitted_member()
    for i in range(4):
        admitted_member(alliance=first.alliance, unit_name=f"单位{i}")
    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    monkeypatch.setattr(MemberAdmin, "list_per_page", 1)
    client.force_login(staff)
    page = client.get(reverse("admin:members_member_changelist")).content.decode()
    assert "选中全部 2 个以上成员" in page and "已选中全部 2 个以上" in page
    assert "选中所有的 3" not in page and "3 个被选中" not in page


def test_the_capped_count_does_not_compute_the_lists_annotations(groups):
    # As the applications' changelist counts each row's attachments.
    annotated = groups.annotate(shown=Subquery(Group.objects.filter(pk=OuterRef("pk")).values("name")[:1]))
    with CaptureQueriesContext(connection) as queries:
        assert CappedCountPaginator(annotated, 3, page_number=1).count == 7
    assert "shown" not in queries.captured_queries[0]["sql"]
