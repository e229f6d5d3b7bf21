"""Two requests of one person creating the same application at once (a double click, a second tab)."""

import pytest
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, UserFactory
from members import services, views
from members.models import Application
from members.tests.test_views import unit_post

pytestmark = pytest.mark.django_db


def test_the_second_of_two_simultaneous_creates_is_answered_with_the_first_application(client, monkeypatch):
    alliance, person = AllianceFactory(), UserFactory()
    client.force_login(person)
    real_save, first = services.application_save, []

    def other_request_wins(**kwargs):
        # The other request passed the same "no open application yet" check and committed its draft first.
        if not first:
            first.append(real_save(actor=person, alliance=alliance, kind="unit", data={"unit_name": "先到的草稿"}))
        return real_save(**kwargs)

    monkeypatch.setattr(views.services, "application_save", other_request_wins)
    response = client.post(reverse("members:application_create", args=[alliance.slug, "unit"]), unit_post())
    assert response.status_code == 302 and response["Location"] == first[0].get_absolute_url()
    assert list(Application.objects.filter(applicant=person)) == first
