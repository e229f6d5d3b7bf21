"""The footer's operator and ICP 备案号 lines come from the settings, and appear only when set."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(SITE_OPERATOR="某某教育科技有限公司", SITE_ICP="京ICP备12345678号-1")
def test_the_footer_names_the_operator_and_links_the_icp_number_when_set(client):
    page = client.get("/accounts/login/").content.decode()
    assert "运营单位：某某教育科技有限公司" in page
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">京ICP备12345678号-1</a>' in page


@override_settings(SITE_OPERATOR="", SITE_ICP="")
def test_the_footer_shows_no_empty_lines_when_unset(client):
    page = client.get("/accounts/login/").content.decode()
    assert "运营单位" not in page and "beian.miit.gov.cn" not in page
