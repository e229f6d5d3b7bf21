"""A project scan is stored and served under the type its content has, never under the uploader's name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.tests.factories import PDF_BYTES, ProjectFactory, county_application, organiser_of

pytestmark = pytest.mark.django_db


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
    response = client.get(reverse("projects:application_scan", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert ".pdf" in response["Content-Disposition"] and ".html" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
