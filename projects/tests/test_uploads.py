"""Project scans and award pictures go through the one upload check: type by content, size, count and a safe
name; they are stored and served under the type their content has, never under the uploader's name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Award
from projects.tests.factories import (
    PDF_BYTES, ProjectFactory, community_application, county_application, edit_post, organiser_of, png_bytes,
)

pytestmark = pytest.mark.django_db
HOSTILE_NAME = '../../<img src=x onerror=alert(1)>";.html'


@pytest.fixture
def draft(client):
    project = ProjectFactory()
    organiser = organiser_of(project)
    client.force_login(organiser)
    return county_application(project, organiser, scan=False)


@pytest.fixture
def community_draft(client):
    project = ProjectFactory()
    organiser = organiser_of(project)
    client.force_login(organiser)
    return community_application(project, organiser)


def _save(client, application, **changes):
    return client.post(reverse("projects:application_edit", args=[application.pk]), edit_post(application, **changes))


def _awards(count, content):
    post = {"awards-TOTAL_FORMS": str(count)}
    for i in range(count):
        post[f"awards-{i}-title"] = f"省级教学成果奖{i}"
        post[f"awards-{i}-evidence"] = SimpleUploadedFile(f"奖状{i}.png", content, content_type="image/png")
    return post


def test_a_scan_named_html_is_stored_and_served_as_the_pdf_it_is(client):
    project = ProjectFactory()
    organiser = organiser_of(project)
    application = county_application(project, organiser, scan=False)
    # As the form stores it: the upload assigned to the field, written when the row is saved.
    application.opinion_scan = SimpleUploadedFile("盖章意见.html", PDF_BYTES)
    application.opinion_scan_name = "盖章意见.html"
    application.save()
    assert application.opinion_scan.name.endswith(".pdf")

    client.force_login(organiser)
    response = client.get(reverse("projects:application_scan", args=[application.pk, "opinion_scan"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert ".pdf" in response["Content-Disposition"] and ".html" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_scan_whose_content_is_a_web_page_is_refused_on_its_field_and_not_stored(client, draft):
    scan = SimpleUploadedFile("盖章意见.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    response = _save(client, draft, opinion_scan=scan)
    assert response.status_code == 200
    assert response.context["form"].errors["opinion_scan"] == [
        "“盖章意见.pdf”不是 PDF、JPG 或 PNG 格式的加盖公章的扫描件（按文件内容判断）。"]
    draft.refresh_from_db()
    assert not draft.opinion_scan and not draft.opinion_scan_name


def test_a_scan_over_10_mb_is_refused_on_its_field(client, draft):
    scan = SimpleUploadedFile("大.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    response = _save(client, draft, opinion_scan=scan)
    assert response.status_code == 200
    assert response.context["form"].errors["opinion_scan"] == ["“大.pdf”超过 10 MB。"]
    draft.refresh_from_db()
    assert not draft.opinion_scan


def test_a_scans_hostile_name_is_kept_only_made_safe_and_the_file_stored_under_its_type(client, draft):
    response = _save(client, draft, opinion_scan=SimpleUploadedFile(HOSTILE_NAME, png_bytes()))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert "img src=x" in draft.opinion_scan_name and not set('<>"/\\;') & set(draft.opinion_scan_name)
    assert draft.opinion_scan.name.endswith(".png") and "img" not in draft.opinion_scan.name
    response = client.get(reverse("projects:application_scan", args=[draft.pk, "opinion_scan"]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('.png"') and ".html" not in response["Content-Disposition"]
    assert "<img src=x" not in client.get(reverse("projects:application_detail", args=[draft.pk])).content.decode()


def test_an_award_picture_that_is_a_pdf_is_refused_next_to_it(client, community_draft):
    response = _save(client, community_draft, **_awards(1, PDF_BYTES))
    assert response.status_code == 200
    awards = dict(response.context["formsets"][1][2].forms[0].errors)
    assert awards["evidence"] == ["“奖状0.png”不是 JPG 或 PNG 格式的获奖证明图片（按文件内容判断）。"]
    assert not Award.objects.exists()


def test_more_than_twenty_award_pictures_are_refused_and_none_is_stored(client, community_draft):
    response = _save(client, community_draft, **_awards(21, png_bytes()))
    assert response.status_code == 200
    assert "每份申报表最多上传 20 个获奖证明图片。" in response.content.decode()
    assert not Award.objects.exists()
    response = _save(client, community_draft, **_awards(20, png_bytes()))
    assert response.status_code == 302
    assert Award.objects.filter(application=community_draft).exclude(evidence="").count() == 20
    assert all(award.evidence.name.endswith(".png") for award in Award.objects.all())
