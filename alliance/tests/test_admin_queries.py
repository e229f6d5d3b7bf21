"""Admin pages ask once per request which alliances the staff manage: the app list asks for each registered
model, and a changelist narrows its rows, filters and counts by them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, staff_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["admin:index", "admin:members_application_changelist"])
def test_admin_pages_ask_for_the_managed_alliances_once_not_per_model(client, url_name):
    client.force_login(staff_of(AllianceFactory()))
    client.get(reverse(url_name))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(url_name)).status_code == 200
    guardian = [q["sql"] for q in ctx.captured_queries if "guardian_userobjectpermission" in q["sql"]]
    assert len(guardian) == 1
