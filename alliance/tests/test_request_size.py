"""A request body over the cap is refused with the 413 page in the site's layout, never a server error, and
nothing of it is saved."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def _big_pdf(size):
    return SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def test_a_post_over_the_request_cap_gets_the_chinese_413_page_and_saves_nothing(client, settings):
    settings.REQUEST_MAX_BYTES = 1 * MB
    application = ApplicationFactory()
    client.force_login(application.applicant)
    response = client.post(reverse("members:application_edit", args=[application.pk]),
                           {"save": "1", "unit_name": "改过的名称", "attachments": _big_pdf(MB + 1)})
    page = response.content.decode()
    assert response.status_code == 413
    assert "提交的内容过大" in page and "不能超过 1 MB" in page and 'class="site-header"' in page
    assert '<html lang="zh-hans">' in page
    application.refresh_from_db()
    assert not application.attachments.exists() and application.unit_name != "改过的名称"


def test_a_post_under_the_cap_is_handled_as_usual(client, settings):
    settings.REQUEST_MAX_BYTES = 1 * MB
    application = ApplicationFactory()
    client.force_login(application.applicant)
    response = client.post(reverse("members:application_edit", args=[application.pk]),
                           {"save": "1", "attachments": _big_pdf(MB // 2)})
    assert response.status_code == 302 and application.attachments.count() == 1


def test_form_fields_over_djangos_own_limit_get_the_413_page_too(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(reverse("login"), {"username": "长" * 2000, "password": "x"})
    assert response.status_code == 413 and "提交的内容过大" in response.content.decode()


def test_the_413_page_speaks_english_when_english_is_chosen(client, settings):
    settings.REQUEST_MAX_BYTES = 1 * MB
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": "a", "file": _big_pdf(MB + 1)})
    page = response.content.decode()
    assert response.status_code == 413 and '<html lang="en">' in page
    assert "Too much sent at once" in page and "at most 1 MB" in page
