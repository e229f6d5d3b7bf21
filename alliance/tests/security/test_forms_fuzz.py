"""Property-based tests: hostile text in every field of every form a non-staff person can post.

0 server errors, every refusal comes with a message, and member text is escaped in the pages (the page after
the post is followed and checked too) and in PDFs.

Then values a person may type, up to each text field's limit (CJK included: PostgreSQL counts characters): a valid
post is read back whole from the database; a value one character too long is refused with the Chinese message on
its field, never a database error. Each example is rolled back, so every one starts from the same world.
"""

from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.forms import ProfileForm, SignupForm
from members.forms import ApplicationForm, LiaisonForm, WithdrawalForm

from alliance.tests.factories import shown_post

from .fuzz import FUZZ, LIMITS, MARK, TEXT, check, draw_fields, draw_typed, fields_of, refused_on_its_field, text_fields

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client(REMOTE_ADDR="10.9.9.9")
    if user is not None:
        client.force_login(user)
    return client


@FUZZ
@given(data=st.data())
def test_signup_survives_hostile_text(world, data):
    post = draw_fields(data, fields_of(SignupForm()))
    check(_client().post(reverse("signup"), post, follow=True))


@FUZZ
@given(data=st.data())
def test_profile_survives_hostile_text(world, data):
    user = world.users["applicant_a"]
    check(_client(user).post(reverse("profile"), draw_fields(data, fields_of(ProfileForm())), follow=True))


@FUZZ
@given(data=st.data())
def test_login_and_password_reset_survive_hostile_text(world, data):
    check(_client().post(reverse("login"), draw_fields(data, ["username", "password"]), follow=True))
    check(_client().post(reverse("password_reset"), draw_fields(data, ["email"]), follow=True), refused_ok=False)


@FUZZ
@given(data=st.data())
def test_password_change_survives_hostile_text(world, data):
    post = draw_fields(data, ["old_password", "new_password1", "new_password2"])
    check(_client(world.users["applicant_b"]).post(reverse("password_change"), post, follow=True))


@pytest.fixture
def drafts(world):
    """A draft membership application of each kind in X, by a fresh applicant."""
    from alliance.tests.factories import UserFactory
    from members.models import Kind
    from members.tests.factories import ApplicationFactory

    return {kind: ApplicationFactory(alliance=world.x.alliance, applicant=UserFactory(), kind=kind)
            for kind in (Kind.UNIT, Kind.INDIVIDUAL)}


@pytest.mark.parametrize("kind", ["unit", "individual"])
@FUZZ
@given(data=st.data())
def test_the_membership_application_forms_survive_hostile_text(world, drafts, kind, data):
    application = drafts[kind]
    form = ApplicationForm(kind=kind, alliance=application.alliance)
    post = draw_fields(data, fields_of(form))
    if data.draw(st.booleans(), label="submit"):
        post["submit"] = "1"
    client = _client(application.applicant)
    check(client.post(reverse("members:application_edit", args=[application.pk]), post, follow=True))
    check(client.get(reverse("members:application_detail", args=[application.pk])))


@FUZZ
@given(data=st.data())
def test_the_withdrawal_and_liaison_forms_survive_hostile_text(world, data):
    member = world.x.objects["member"]
    client = _client(member.user)
    check(client.post(reverse("members:member_withdrawal_request", args=[member.pk]),  # the confirming post
                      {**draw_fields(data, fields_of(WithdrawalForm())), "confirm": "1"}, follow=True))
    check(client.post(reverse("members:member_liaison", args=[member.pk]),
                      draw_fields(data, fields_of(LiaisonForm())), follow=True))


@pytest.fixture
def open_motion(world):
    from governance import services
    from governance.tests.factories import MotionFactory

    motion = MotionFactory(meeting=world.x.objects["meeting"])
    services.vote_open(actor=world.users["staff_x"], motion=motion)
    return motion


@FUZZ
@given(data=st.data())
def test_the_ballot_form_survives_hostile_text(world, open_motion, data):
    post = draw_fields(data, ["choice", "next"])
    post["candidate"] = [data.draw(TEXT, label="candidate") for _ in range(data.draw(st.integers(0, 3)))]
    check(_client(world.users["director_x"]).post(reverse("governance:motion_vote", args=[open_motion.pk]), post,
                                                  follow=True))


@pytest.fixture
def project_draft(world):
    from projects.tests.factories import county_application

    project = world.x.objects["project"]
    return county_application(project, world.users["applicant_a"], status="draft", scan=False, county="草稿县")


def _formset_post(data, formsets):
    post = {}
    for prefix, _heading, formset in formsets:
        management = formset.management_form
        for name in management.fields:
            post[f"{prefix}-{name}"] = management.initial.get(name, 0)
        for i, form in enumerate(formset.forms[:formset.initial_form_count()]):
            post[f"{prefix}-{i}-id"] = form.instance.pk
            post.update(draw_fields(data, [n for n in fields_of(form) if n not in ("id", "DELETE", "application")],
                                    prefix=f"{prefix}-{i}-"))
    return post


@settings(FUZZ, max_examples=5)  # ~2 s an example: the form and its five formsets, saved and re-rendered
@given(data=st.data())
def test_the_project_application_form_survives_hostile_text(world, project_draft, data):
    from projects.forms import build_forms

    form, formsets = build_forms(project_draft)
    post = {**draw_fields(data, fields_of(form)), **_formset_post(data, formsets)}
    if data.draw(st.booleans(), label="submit"):
        post["submit"] = "1"
    client = _client(world.users["applicant_a"])
    check(client.post(reverse("projects:application_edit", args=[project_draft.pk]), post, follow=True))
    check(client.get(reverse("projects:application_detail", args=[project_draft.pk])))


@FUZZ
@given(data=st.data())
def test_the_project_contact_and_score_forms_survive_hostile_text(world, data):
    from projects.forms import ContactForm

    project = world.x.objects["project"]
    post = draw_fields(data, fields_of(ContactForm()))
    if data.draw(st.booleans(), label="submit"):
        post["submit"] = "1"
    check(_client(world.users["applicant_a"]).post(reverse("projects:contact", args=[project.pk]), post,
                                                   follow=True))
    assignment = world.x.objects["assignment"]
    criteria = assignment.application.project.criteria.filter(kind=assignment.application.kind)
    post = draw_fields(data, ["comment"] + [f"c{c.pk}" for c in criteria])
    check(_client(assignment.expert).post(reverse("projects:review_score", args=[assignment.pk]), post,
                                          follow=True))


@FUZZ
@given(data=st.data())
def test_the_language_switch_survives_hostile_text(world, data):
    response = _client().post(reverse("set_language"), draw_fields(data, ["language", "next"]))
    assert response.status_code in (302, 204, 400)
    location = response.get("Location", "/")  # a relative (quoted) path at most: never another site
    assert "://" not in location and not location.startswith(("//", "\\")) and "<" not in location


@contextmanager
def rolled_back():
    """What an example saved is undone after its checks (a savepoint, not an atomic block: the services'
    durable transactions still run as they do in a request)."""
    point = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(point)


def _typed_post(data, *forms):
    """The page's forms as shown with every text field typed anew, maybe one of them too long: (post, the too-long
    key or None, [(form, its text fields)])."""
    typed = [(form, text_fields(form)) for form in forms]
    post, overlong = draw_typed(data, {key: field for _form, fields in typed for key, field in fields.items()})
    return {**shown_post(*forms), **post}, overlong, typed


def _assert_saved_whole(post, overlong, typed, *, all_or_nothing, row=None):
    """Each typed value read back from its row (the form's instance, or ``row``); the too-long one (with
    all_or_nothing, every one) not saved."""
    for form, fields in typed:
        saved = row or type(form.instance).objects.get(pk=form.instance.pk)
        for key, (_limit, _values, name) in fields.items():
            if key == overlong or (overlong and all_or_nothing):
                assert getattr(saved, name) != post[key], key
            else:
                assert getattr(saved, name) == post[key], (key, getattr(saved, name), post[key])


@pytest.mark.parametrize("kind", ["unit", "individual"])
@LIMITS
@given(data=st.data())
def test_the_membership_application_forms_save_what_is_typed_up_to_each_limit(world, drafts, kind, data):
    application = drafts[kind]
    post, overlong, typed = _typed_post(data, ApplicationForm(kind=kind, alliance=application.alliance,
                                                              instance=application))
    with rolled_back():
        response = check(_client(application.applicant).post(
            reverse("members:application_edit", args=[application.pk]), {**post, "save": "1"}, follow=True))
        if overlong:
            refused_on_its_field(response, overlong, post)
        # A draft keeps what passed the checks even when another field was refused.
        _assert_saved_whole(post, overlong, typed, all_or_nothing=False)


@LIMITS
@given(data=st.data())
def test_the_profile_liaison_and_withdrawal_forms_save_what_is_typed_up_to_each_limit(world, data):
    from members.models import Liaison, Member, MemberEvent

    member = world.x.objects["member"]
    client = _client(member.user)
    with rolled_back():
        post, overlong, typed = _typed_post(data, ProfileForm(instance=member.user))
        response = check(client.post(reverse("profile"), post, follow=True))
        if overlong:
            refused_on_its_field(response, overlong, post)
        _assert_saved_whole(post, overlong, typed, all_or_nothing=True)

        post, overlong, typed = _typed_post(data, LiaisonForm(instance=Liaison.objects.filter(member=member).first()))
        response = check(client.post(reverse("members:member_liaison", args=[member.pk]), post, follow=True))
        liaison = Liaison.objects.filter(member=member).first()
        if overlong:
            refused_on_its_field(response, overlong, post)
        if liaison or not overlong:
            _assert_saved_whole(post, overlong, typed, all_or_nothing=True, row=liaison)

        post, overlong, _typed = _typed_post(data, WithdrawalForm())
        response = check(client.post(reverse("members:member_withdrawal_request", args=[member.pk]),
                                     {**post, "confirm": "1"}, follow=True))  # the confirming post
        event = MemberEvent.objects.filter(member=member).order_by("pk").last()
        history = Member.history.filter(id=member.pk).order_by("history_id").last()
        if overlong:
            refused_on_its_field(response, overlong, post)
            assert event.reason != post["reason"]
        else:
            assert event.reason == post["reason"] and history.history_change_reason == event.summary


@pytest.fixture
def community_draft(world):
    from projects.tests.factories import community_application

    return community_application(world.x.objects["project"], world.users["applicant_a"])


@pytest.mark.parametrize("kind", ["county", "community"])
@settings(LIMITS, max_examples=4)  # ~2 s an example: the form and its formsets, saved, read back and re-rendered
@given(data=st.data())
def test_the_project_application_form_saves_what_is_typed_up_to_each_limit(world, project_draft, community_draft,
                                                                            kind, data):
    from projects.forms import build_forms
    from projects.tests.factories import edit_post

    application = project_draft if kind == "county" else community_draft
    form, formsets = build_forms(application)
    rows = [row for _prefix, _heading, formset in formsets for row in formset.forms[:formset.initial_form_count()]]
    post, overlong, typed = _typed_post(data, form, *rows)
    with rolled_back():
        response = check(_client(world.users["applicant_a"]).post(
            reverse("projects:application_edit", args=[application.pk]), {**edit_post(application), **post},
            follow=True))
        if overlong:
            refused_on_its_field(response, overlong, post)
        # The form and its rows are saved together or not at all.
        _assert_saved_whole(post, overlong, typed, all_or_nothing=True)


@LIMITS
@given(data=st.data())
def test_the_project_contact_and_score_forms_save_what_is_typed_up_to_each_limit(world, data):
    from projects.forms import ContactForm, ScoreForm
    from projects.models import Assignment, ProvincialContact

    project = world.x.objects["project"]
    organiser = world.users["applicant_a"]
    contacts = ProvincialContact.objects.filter(project=project, created_by=organiser)
    with rolled_back():
        post, overlong, typed = _typed_post(data, ContactForm(instance=contacts.first()))
        response = check(_client(organiser).post(reverse("projects:contact", args=[project.pk]), post, follow=True))
        if overlong:
            refused_on_its_field(response, overlong, post)
        if contacts.exists() or not overlong:
            _assert_saved_whole(post, overlong, typed, all_or_nothing=True, row=contacts.first())

        assignment = world.x.objects["assignment"]
        criteria = assignment.application.project.criteria.filter(kind=assignment.application.kind)
        scores = {f"c{c.pk}": data.draw(st.integers(0, c.max_score), label=f"c{c.pk}") for c in criteria}
        post, _overlong, _typed = _typed_post(data, ScoreForm(criteria=criteria))  # a comment has no limit
        check(_client(assignment.expert).post(reverse("projects:review_score", args=[assignment.pk]),
                                              {**post, **scores}, follow=True))
        assignment = Assignment.objects.get(pk=assignment.pk)
        assert assignment.comment == post["comment"]
        assert {f"c{s.criterion_id}": s.value for s in assignment.scores.all()} == scores


def test_member_text_with_html_stays_text_in_a_pdf(world, project_draft, tmp_path):
    import subprocess

    project_draft.applicant_unit = f"<b>粗体</b>{MARK}"
    project_draft.save()
    response = _client(world.users["applicant_a"]).get(reverse("projects:application_pdf", args=[project_draft.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "draft.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "<b>粗体</b>" in text.replace("\n", "") and "xss()" in text


def test_the_pdf_renderer_keeps_autoescape():
    from alliance import pdf

    source = open(pdf.__file__, encoding="utf-8").read()
    assert "autoescape=False" not in source and "|safe" not in source and "mark_safe" not in source
