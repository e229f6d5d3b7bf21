"""The admin's stock phrases read as natural Chinese (the project's catalogue, locale/zh_Hans)."""

import json
import re

import pytest
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, staff_of

pytestmark = pytest.mark.django_db


def test_a_changelist_asks_to_select_what_to_change_in_natural_chinese(client):
    client.force_login(staff_of(AllianceFactory()))
    html = client.get(reverse("admin:members_application_changelist")).content.decode()
    assert "选择要修改的成员申请" in html
    assert "选择 成员申请 来修改" not in html


def test_the_admins_javascript_catalogue_has_the_select_filter_strings_in_chinese(client):
    client.force_login(staff_of(AllianceFactory()))
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert {key: catalog.get(key) for key in ["Available %s", "Chosen %s", "Choose all %s", "Remove all %s",
                                              "Choose selected %s", "Remove selected %s", "Filter"]} == {
        "Available %s": "可选的%s", "Chosen %s": "已选的%s", "Choose all %s": "全部选择%s",
        "Remove all %s": "全部移除%s", "Choose selected %s": "选择选中的%s", "Remove selected %s": "移除选中的%s",
        "Filter": "筛选"}
