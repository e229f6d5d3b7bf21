"""CSRF: every form a person can post is refused (403) without the token, and accepted past the check with it."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (role or None, URL name, kwargs from the world)
FORMS = [
    (None, "login", None), (None, "signup", None), (None, "password_reset", None), (None, "set_language", None),
    ("applicant_a", "profile", None), ("applicant_a", "password_change", None), ("applicant_a", "logout", None),
    ("applicant_a", "members:application_create", lambda w: {"slug": w.y.alliance.slug, "kind": "unit"}),
    ("applicant_a", "members:application_edit", lambda w: {"pk": w.x.objects["application"].pk}),
    ("applicant_a", "members:attachment_delete", lambda w: {"pk": w.x.objects["attachment"].pk}),
    ("member", "members:member_withdrawal_request", lambda w: {"pk": w.x.objects["member"].pk}),
    ("member", "members:member_liaison", lambda w: {"pk": w.x.objects["member"].pk}),
    ("director_x", "governance:meeting_check_in", lambda w: {"pk": w.x.objects["meeting"].pk}),
    ("director_x", "governance:motion_vote", lambda w: {"pk": w.x.objects["motion"].pk}),
    ("director_x", "governance:motion_tie_break", lambda w: {"pk": w.x.objects["motion"].pk}),
    ("applicant_a", "projects:application_new", lambda w: {"pk": w.x.objects["project"].pk, "kind": "county"}),
    ("applicant_a", "projects:application_edit", lambda w: {"pk": w.x.objects["project_application"].pk}),
    ("applicant_a", "projects:contact", lambda w: {"pk": w.x.objects["project"].pk}),
    ("staff_x", "projects:selection", lambda w: {"pk": w.x.objects["project"].pk}),
    ("staff_x", "projects:notice_publish", lambda w: {"pk": w.x.objects["project"].pk}),
    ("staff_x", "projects:notice_finalise", lambda w: {"pk": w.x.objects["notice"].pk}),
    ("applicant_a", "projects:pairing_activities", lambda w: {"pk": w.x.objects["pairing"].pk}),
    ("staff_x", "projects:activity_confirm", lambda w: {"pk": w.x.objects["activity"].pk}),
    ("staff_x", "admin:members_application_changelist", None),
    (None, "admin:login", None),
]


@pytest.mark.parametrize("role, name, kwargs", FORMS, ids=[f[1] for f in FORMS])
def test_a_form_posted_without_its_csrf_token_is_refused(world, role, name, kwargs):
    client = Client(enforce_csrf_checks=True)
    if role:
        client.force_login(world.users[role])
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    response = client.post(url, {"name": "x", "reason": "x"})
    assert response.status_code == 403, (url, response.status_code)
    assert "CSRF" in response.content.decode() or "csrf" in response.content.decode().lower()


def test_the_review_score_form_needs_its_token_too(world):
    assignment = world.x.objects["assignment"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(assignment.expert)
    assert client.post(reverse("projects:review_score", args=[assignment.pk]), {"comment": "x"}).status_code == 403
