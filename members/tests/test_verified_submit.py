"""An application is submitted only from an account whose e-mail address is verified; drafts are saved before."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alliance.models import Email
from alliance.tests.factories import AllianceFactory, UserFactory
from members import services
from members.models import Application
from members.tests.factories import UNIT_DATA
from members.tests.test_validators import PNG
from members.tests.test_views import unit_post

pytestmark = pytest.mark.django_db
S = Application.Status


def unverified_person():
    return UserFactory(email_verified_at=None)


def test_an_unverified_accounts_submit_is_refused_on_the_form_with_a_resend_link_and_kept_as_a_draft(client):
    alliance = AllianceFactory()
    person = unverified_person()
    client.force_login(person)
    data = unit_post(submit="1", attachments=SimpleUploadedFile("证明.png", PNG))
    response = client.post(reverse("members:application_create", args=[alliance.slug, "unit"]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"请先验证您的电子邮箱（{person.email}）再提交申请" in page
    assert reverse("email_verify_resend") in page
    app = Application.objects.get(applicant=person)
    assert app.status == S.DRAFT and app.unit_name == UNIT_DATA["unit_name"] and app.submitted_at is None
    assert app.attachments.get().original_name == "证明.png"
    assert [e.to_status for e in app.events.all()] == [S.DRAFT]
    assert not Email.objects.exists()  # no acknowledgement of a submission that did not happen


def test_an_unverified_account_saves_a_draft_and_is_told_to_verify_before_submitting(client):
    alliance = AllianceFactory()
    person = unverified_person()
    client.force_login(person)
    url = reverse("members:application_create", args=[alliance.slug, "unit"])
    response = client.post(url, {"unit_name": "草稿学校", "save": "1"}, follow=True)
    app = Application.objects.get(applicant=person)
    assert app.status == S.DRAFT and app.unit_name == "草稿学校"
    page = response.content.decode()
    assert "草稿已保存" in page and "尚未验证" in page and reverse("email_verify_resend") in page


def test_the_submit_service_refuses_an_unverified_account_and_accepts_it_once_verified():
    alliance = AllianceFactory()
    person = unverified_person()
    draft = services.application_save(actor=person, alliance=alliance, kind="unit", data=dict(UNIT_DATA))
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=person, application=draft)
    assert refused.value.code == "email_unverified"
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    person.email_verified_at = timezone.now()
    person.save(update_fields=["email_verified_at"])
    assert services.application_submit(actor=person, application=draft).status == S.SUBMITTED


def test_a_verified_account_sees_no_verification_notice_on_the_form(client):
    alliance = AllianceFactory()
    client.force_login(UserFactory())
    page = client.get(reverse("members:application_create", args=[alliance.slug, "unit"])).content.decode()
    assert 'id="email-unverified"' not in page
