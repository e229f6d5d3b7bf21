"""Secretariat staff act only inside their own alliance: the helpers and the admin, denied cases first."""

import pytest
from django.urls import reverse

from alliance.models import Alliance, Announcement
from alliance.permissions import alliances_managed_by, can_manage_alliance, scope_to_managed
from alliance.tests.factories import AllianceFactory, AnnouncementFactory, UserFactory, staff_of
from governance.models import Seat
from governance.tests.factories import BodyFactory, SeatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_alliances():
    x, y = AllianceFactory(name="联盟甲"), AllianceFactory(name="联盟乙")
    return x, y


def test_anonymous_manages_nothing(two_alliances):
    from django.contrib.auth.models import AnonymousUser

    assert not alliances_managed_by(AnonymousUser()).exists()


def test_a_signed_in_person_without_a_grant_manages_nothing(two_alliances):
    assert not alliances_managed_by(UserFactory()).exists()


def test_a_staff_flag_alone_grants_no_alliance(two_alliances):
    assert not alliances_managed_by(UserFactory(is_staff=True)).exists()


def test_staff_of_x_manage_x_and_not_y(two_alliances):
    x, y = two_alliances
    staff = staff_of(x)
    assert list(alliances_managed_by(staff)) == [x]
    assert can_manage_alliance(staff, x)
    assert not can_manage_alliance(staff, y)


def test_an_inactive_account_loses_its_grant(two_alliances):
    x, _ = two_alliances
    staff = staff_of(x)
    staff.is_active = False
    staff.save()
    assert not can_manage_alliance(staff, x)


def test_superuser_manages_every_alliance(two_alliances):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert set(alliances_managed_by(admin)) == set(two_alliances)


def test_scope_follows_a_path_through_related_rows(two_alliances):
    x, y = two_alliances
    SeatFactory(body=BodyFactory(alliance=x))
    SeatFactory(body=BodyFactory(alliance=y))
    staff = staff_of(x)
    seats = scope_to_managed(Seat.objects.all(), staff, path="body__alliance")
    assert [s.body.alliance for s in seats] == [x]


@pytest.mark.parametrize("model_name", ["alliance", "announcement", "body", "seat"])
def test_admin_changelist_shows_only_the_staff_members_alliance(client, two_alliances, model_name):
    x, y = two_alliances
    for alliance in two_alliances:
        AnnouncementFactory(alliance=alliance, title=f"{alliance.name}的公告")
        SeatFactory(body=BodyFactory(alliance=alliance, name=f"{alliance.name}理事会"), person_name=f"{alliance.name}理事")
    client.force_login(staff_of(x))
    app = "alliance" if model_name in ("alliance", "announcement") else "governance"
    response = client.get(reverse(f"admin:{app}_{model_name}_changelist"))
    assert response.status_code == 200
    result_list = response.context["cl"].result_list
    assert len(result_list) >= 1
    for obj in result_list:
        owner = obj if isinstance(obj, Alliance) else getattr(obj, "alliance", None) or obj.body.alliance
        assert owner == x


@pytest.mark.parametrize(
    ("factory", "url_name"),
    [
        (lambda y: y, "admin:alliance_alliance_change"),
        (lambda y: AnnouncementFactory(alliance=y), "admin:alliance_announcement_change"),
        (lambda y: BodyFactory(alliance=y), "admin:governance_body_change"),
        (lambda y: SeatFactory(body=BodyFactory(alliance=y)), "admin:governance_seat_change"),
    ],
)
def test_staff_cannot_open_another_alliances_record_in_the_admin(client, two_alliances, factory, url_name):
    x, y = two_alliances
    other = factory(y)
    client.force_login(staff_of(x))
    response = client.get(reverse(url_name, args=[other.pk]))
    # The admin treats rows outside the queryset as missing: it redirects to the index.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    response = client.post(reverse(url_name, args=[other.pk]), {"name": "篡改"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert getattr(other, "name", "") != "篡改"


def test_staff_cannot_create_a_record_in_another_alliance(client, two_alliances):
    x, y = two_alliances
    client.force_login(staff_of(x))
    response = client.post(
        reverse("admin:alliance_announcement_add"),
        {"alliance": y.pk, "title": "越权公告", "body": "正文", "published_at_0": "2026-11-01",
         "published_at_1": "10:00:00", "is_published": "on"},
    )
    assert response.status_code == 200  # the form is shown again with the error
    assert "alliance" in response.context["adminform"].form.errors
    assert not Announcement.objects.filter(title="越权公告").exists()


def test_staff_can_create_a_record_in_their_own_alliance(client, two_alliances):
    x, _ = two_alliances
    client.force_login(staff_of(x))
    response = client.post(
        reverse("admin:alliance_announcement_add"),
        {"alliance": x.pk, "title": "本联盟公告", "body": "正文", "published_at_0": "2026-11-01",
         "published_at_1": "10:00:00", "is_published": "on"},
    )
    assert response.status_code == 302
    assert Announcement.objects.get(title="本联盟公告").alliance == x


def test_staff_cannot_add_or_delete_alliances(client, two_alliances):
    x, _ = two_alliances
    client.force_login(staff_of(x))
    assert client.get(reverse("admin:alliance_alliance_add")).status_code == 403
    assert client.post(reverse("admin:alliance_alliance_delete", args=[x.pk]), {"post": "yes"}).status_code == 403
    assert Alliance.objects.filter(pk=x.pk).exists()


def test_staff_cannot_see_user_accounts_in_the_admin(client, two_alliances):
    client.force_login(staff_of(two_alliances[0]))
    assert client.get(reverse("admin:alliance_user_changelist")).status_code == 403


def test_a_plain_member_cannot_enter_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


@pytest.mark.parametrize("url_name", ["admin:governance_body_changelist", "admin:governance_seat_changelist",
                                      "admin:alliance_announcement_changelist"])
def test_admin_changelist_query_count_does_not_grow_with_rows(client, django_assert_num_queries, url_name):
    x = AllianceFactory()
    staff = staff_of(x)
    client.force_login(staff)

    def add_rows(n):
        for _ in range(n):
            AnnouncementFactory(alliance=x)
            SeatFactory(body=BodyFactory(alliance=x))

    add_rows(1)
    client.get(reverse(url_name))  # warm the session and content-type caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse(url_name))
    add_rows(5)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse(url_name))
