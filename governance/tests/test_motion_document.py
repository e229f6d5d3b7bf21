"""The document a motion puts to the vote, and how a ballot shows the choice made."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from governance import services
from governance.models import Candidate, Motion, Seat
from governance.tests.factories import MeetingFactory, MotionFactory, council_with_directors
from governance.tests.helpers import check_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="2027年度工作计划.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def council():
    body, seats = council_with_directors(2)
    motion = MotionFactory(meeting=MeetingFactory(body=body), title="审定2027年度工作计划")
    return motion, seats, staff_of(body.alliance)


def test_staff_attach_the_document_and_a_director_downloads_it_from_the_motion(client, council):
    motion, seats, staff = council
    services.motion_document_attach(actor=staff, motion=motion, uploaded=pdf())
    motion.refresh_from_db()
    assert motion.document_name == "2027年度工作计划.pdf" and "工作计划" not in motion.document.name
    assert motion.history.first().history_change_reason == "上传议案文件"
    client.force_login(seats[0].user)
    page = client.get(motion.get_absolute_url()).content.decode()
    url = reverse("governance:motion_document", args=[motion.pk])
    assert f'href="{url}" download>2027年度工作计划.pdf</a>' in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_people_without_a_seat_cannot_download_the_document(client, council):
    motion, _seats, staff = council
    services.motion_document_attach(actor=staff, motion=motion, uploaded=pdf())
    client.force_login(UserFactory())
    assert client.get(reverse("governance:motion_document", args=[motion.pk])).status_code in (403, 404)


def test_a_file_that_is_not_a_pdf_is_refused_by_its_content(council):
    motion, _seats, staff = council
    with pytest.raises(ValidationError) as refused:
        services.motion_document_attach(actor=staff, motion=motion, uploaded=pdf("计划.pdf", b"MZ\x90\x00 not a pdf"))
    assert "document" in refused.value.error_dict
    motion.refresh_from_db()
    assert not motion.document


def test_another_alliances_staff_cannot_attach_a_document(council):
    motion, _seats, _staff = council
    with pytest.raises(PermissionDenied):
        services.motion_document_attach(actor=staff_of(AllianceFactory()), motion=motion, uploaded=pdf())


def test_the_document_cannot_be_replaced_once_the_vote_opens(council):
    motion, seats, staff = council
    services.motion_document_attach(actor=staff, motion=motion, uploaded=pdf("原稿.pdf"))
    check_in(motion.meeting, seats)
    services.vote_open(actor=staff, motion=motion)
    with pytest.raises(services.VoteRefused):
        services.motion_document_attach(actor=staff, motion=motion, uploaded=pdf("改稿.pdf"))
    motion.refresh_from_db()
    assert motion.document_name == "原稿.pdf"


def _admin_form(motion, **extra):
    return {"meeting": motion.meeting.pk, "order": 1, "kind": motion.kind, "title": motion.title, "text": "",
            "officer_role": "", "officer_name": "", "officer_unit": "", "officer_user": "", "officer_birth_date": "",
            "officer_start_date": "", "seats_to_fill": 1, "counting": "ballots", "candidates-TOTAL_FORMS": 0,
            "candidates-INITIAL_FORMS": 0, **extra}


def test_staff_attach_the_document_in_the_admin_through_the_service(client, council):
    motion, _seats, staff = council
    client.force_login(staff)
    url = reverse("admin:governance_motion_change", args=[motion.pk])
    assert client.post(url, _admin_form(motion, document=pdf())).status_code == 302
    motion.refresh_from_db()
    assert motion.document_name == "2027年度工作计划.pdf"
    assert motion.history.first().history_user == staff
    assert reverse("governance:motion_document", args=[motion.pk]) in client.get(url).content.decode()


def test_a_refused_document_shows_on_the_admin_form_with_nothing_saved(client, council):
    motion, _seats, staff = council
    client.force_login(staff)
    url = reverse("admin:governance_motion_change", args=[motion.pk])
    response = client.post(url, _admin_form(motion, title="改过的标题", document=pdf("计划.pdf", b"GIF89a")))
    assert response.status_code == 200
    assert "document" in response.context["adminform"].form.errors
    motion.refresh_from_db()
    assert motion.title == "审定2027年度工作计划" and not motion.document


# ---- the ballot on the page


def test_the_chosen_vote_is_pressed_and_the_others_are_not(client, council):
    motion, seats, staff = council
    check_in(motion.meeting, seats)
    services.vote_open(actor=staff, motion=motion)
    services.ballot_cast(actor=seats[0].user, motion=motion, choice="against")
    client.force_login(seats[0].user)
    page = client.get(motion.get_absolute_url()).content.decode()
    assert 'value="against" aria-pressed="true"' in page
    assert 'value="for" aria-pressed="false"' in page and 'value="abstain" aria-pressed="false"' in page
    assert "disabled" not in page[page.index('class="ballot"'):page.index("</form>", page.index('class="ballot"'))]


@pytest.mark.parametrize(("seats_to_fill", "input_type"), [(1, "radio"), (2, "checkbox")])
def test_an_election_for_one_seat_offers_radio_buttons_and_for_more_checkboxes(client, seats_to_fill, input_type):
    body, seats = council_with_directors(2)
    body.alliance.rules.officer_age_limit = None
    body.alliance.rules.save()
    motion = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER,
                           seats_to_fill=seats_to_fill)
    for name in ("甲", "乙", "丙"):
        Candidate.objects.create(motion=motion, person_name=name, role=Seat.Role.VICE_CHAIR)
    check_in(motion.meeting, seats)
    services.vote_open(actor=None, motion=motion)
    client.force_login(seats[0].user)
    page = client.get(motion.get_absolute_url()).content.decode()
    assert page.count(f'type="{input_type}" name="candidate"') == 3
