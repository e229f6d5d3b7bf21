"""The 400, 403, 404 and 500 pages: in the site's layout, in the chosen language, saying what to do."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_chinese_404_in_the_sites_layout(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and 'class="site-header"' in page and "返回首页" in page
    assert '<html lang="zh-hans">' in page


def test_the_refusal_of_a_service_reaches_the_person_on_the_403_page():
    request = RequestFactory().get("/")
    response = defaults.permission_denied(request, PermissionDenied("只有会议主持人可以决定平票。"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "只有会议主持人可以决定平票。" in page and "无权访问" in page


@pytest.mark.parametrize("view, status, words", [
    (defaults.bad_request, 400, "Bad request"),
    (defaults.page_not_found, 404, "Page not found"),
])
def test_the_error_pages_speak_english_when_english_is_chosen(view, status, words):
    with translation.override("en"):
        response = view(RequestFactory().get("/"), Exception())
    page = response.content.decode()
    assert response.status_code == status and '<html lang="en">' in page
    assert words in page


def test_a_damaged_certificate_link_says_what_to_do(client):
    response = client.get("/verify/not-a-real-token/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "未找到该证书" in page and "二维码是否完整" in page and "联盟秘书处" in page
