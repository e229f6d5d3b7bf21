"""What a motion acts on: rows of the one model its kind names, of its own alliance, picked by name.

The review's exploits: COP staff put a 除名 motion on their council naming "User #1" (the key of GZ's member), or
a 吸收成员 motion naming NMG's application; when the council passed it, the other alliance's member was expelled
or its applicant admitted.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliance.models import CharterRules, User
from governance import effects, services
from governance.models import Motion, Seat
from governance.tests.factories import MeetingFactory, SeatFactory, council_with_directors
from members.models import Application, Member
from members.services import admit_member_on_motion, expel_member_on_motion, member_enrol_by_charter
from members.tests.factories import admitted_member, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def cop():
    """COP's council of three directors, a meeting, its staff; a submitted application and a member of COP."""
    member, staff = admitted_member()
    alliance = member.alliance
    # 000 art. 11 (二): the council decides admissions.
    CharterRules.objects.filter(alliance=alliance).update(admission_route=CharterRules.AdmissionRoute.MOTION,
                                                          admission_body_kind="council")
    alliance.rules.refresh_from_db()
    body, seats = council_with_directors(3, alliance=alliance)
    meeting = MeetingFactory(body=body)
    for seat in seats:
        services.attendance_check_in(actor=seat.user, meeting=meeting)
    return {"alliance": alliance, "staff": staff, "meeting": meeting, "seats": seats, "member": member,
            "application": submitted_application(alliance=alliance)}


@pytest.fixture
def gz():
    """Another alliance's member and applicant (GZ's and NMG's in the review)."""
    member, _ = admitted_member()
    return {"member": member, "application": submitted_application(alliance=member.alliance)}


def _pass(motion, seats):
    services.vote_open(actor=None, motion=motion)
    for seat in seats:
        services.ballot_cast(actor=seat.user, motion=motion, choice="for")
    return services.vote_close(actor=None, motion=motion)


def test_an_expulsion_naming_an_account_is_refused_at_creation(cop, gz):
    user = User.objects.get(pk=gz["member"].user_id)
    with pytest.raises(ValidationError, match="类型与议案类型不符"):
        services.motion_create(actor=cop["staff"], meeting=cop["meeting"], kind=Motion.Kind.EXPEL_MEMBER,
                               title="除名", subjects=[user])
    assert not Motion.objects.filter(kind=Motion.Kind.EXPEL_MEMBER).exists()


def test_a_motion_naming_another_alliances_application_or_member_is_refused_at_creation(cop, gz):
    for kind, subject in [(Motion.Kind.ADMIT_MEMBER, gz["application"]), (Motion.Kind.EXPEL_MEMBER, gz["member"]),
                          (Motion.Kind.SANCTION_MEMBER, gz["member"])]:
        with pytest.raises(ValidationError, match="须为本联盟的"):
            services.motion_create(actor=cop["staff"], meeting=cop["meeting"], kind=kind, title="议案",
                                   subjects=[subject])
    assert not Motion.objects.exists()


def test_each_kind_accepts_only_its_own_model(cop):
    seat = cop["seats"][0]
    for kind, subject in [(Motion.Kind.ADMIT_MEMBER, cop["member"]), (Motion.Kind.EXPEL_MEMBER, cop["application"]),
                          (Motion.Kind.REMOVE_OFFICER, cop["member"]), (Motion.Kind.APPROVE_PLAN, seat),
                          (Motion.Kind.OFFICER_EXCEPTION, seat)]:
        with pytest.raises(ValidationError):
            services.motion_create(actor=None, meeting=cop["meeting"], kind=kind, title="议案", subjects=[subject],
                                   officer_role=Seat.Role.CHAIR, officer_name="陈莉")
    assert not Motion.objects.exists()


def test_a_motion_whose_alliance_cannot_be_told_names_no_subject(cop):
    motion = Motion(kind=Motion.Kind.EXPEL_MEMBER, title="除名", subject_ids=[cop["member"].pk])
    with pytest.raises(ValidationError) as exc:
        motion.full_clean()
    assert "无法确定议案所属联盟" in str(exc.value)


def test_admission_expulsion_and_removal_must_name_their_subject(cop):
    for kind in (Motion.Kind.ADMIT_MEMBER, Motion.Kind.EXPEL_MEMBER, Motion.Kind.REMOVE_OFFICER):
        with pytest.raises(ValidationError, match="须指明"):
            services.motion_create(actor=None, meeting=cop["meeting"], kind=kind, title="议案")
    with pytest.raises(ValidationError, match="只能针对一个成员"):
        services.motion_create(actor=None, meeting=cop["meeting"], kind=Motion.Kind.EXPEL_MEMBER, title="除名",
                               subjects=[cop["member"], member_enrol_by_charter(
                                   actor=None, alliance=cop["alliance"], name="第二家成员单位", kind="unit",
                                   admitted_on=datetime.date(2026, 1, 1), reference="章程")])


def test_an_officer_exception_names_its_person_office_and_term(cop):
    with pytest.raises(ValidationError, match="任职例外议案须填写"):
        services.motion_create(actor=None, meeting=cop["meeting"], kind=Motion.Kind.OFFICER_EXCEPTION, title="例外",
                               officer_role=Seat.Role.CHAIR)


def test_one_admission_motion_admits_several_applications_of_its_alliance(cop):
    second = submitted_application(alliance=cop["alliance"])
    motion = services.motion_create(actor=None, meeting=cop["meeting"], kind=Motion.Kind.ADMIT_MEMBER,
                                    title="吸收两家成员单位", subjects=[cop["application"], second])
    assert _pass(motion, cop["seats"]).passed
    assert set(Member.objects.filter(application__in=[cop["application"], second]).values_list(
        "admission_reference", flat=True)) == {"吸收成员：吸收两家成员单位"}


def test_a_passed_motion_whose_subject_was_rewritten_to_another_alliance_is_refused_at_the_close(cop, gz):
    """The handler reads its subjects again under the lock: a key written around Motion.clean is refused."""
    motion = services.motion_create(actor=None, meeting=cop["meeting"], kind=Motion.Kind.EXPEL_MEMBER,
                                    title="除名", subjects=[cop["member"]])
    Motion.objects.filter(pk=motion.pk).update(subject_ids=[gz["member"].pk])
    with pytest.raises(ValidationError, match="须为本联盟的成员"):
        _pass(motion, cop["seats"])
    gz["member"].refresh_from_db()
    cop["member"].refresh_from_db()
    assert gz["member"].status == cop["member"].status == Member.Status.ACTIVE
    assert Motion.objects.get(pk=motion.pk).status == Motion.Status.OPEN


def _rewritten(motion, **fields):
    Motion.objects.filter(pk=motion.pk).update(**fields)
    return Motion.objects.select_related("meeting__body").get(pk=motion.pk)


def test_the_handlers_refuse_a_subject_of_another_type_or_alliance_and_change_nothing(cop, gz):
    admit = services.motion_create(actor=None, meeting=cop["meeting"], kind=Motion.Kind.ADMIT_MEMBER,
                                   title="吸收", subjects=[cop["application"]])
    expel = services.motion_create(actor=None, meeting=cop["meeting"], kind=Motion.Kind.EXPEL_MEMBER,
                                   title="除名", subjects=[cop["member"]])
    cases = [
        (admit_member_on_motion, expel, "不是成员申请"),  # an expulsion's member read as an application
        (expel_member_on_motion, admit, "不是成员"),  # an admission's application read as a member
        (admit_member_on_motion, _rewritten(admit, subject_ids=[gz["application"].pk]), "须为本联盟的成员申请"),
        (expel_member_on_motion, _rewritten(expel, subject_ids=[gz["member"].pk]), "须为本联盟的成员"),
        (expel_member_on_motion, _rewritten(expel, kind=Motion.Kind.OTHER, subject_ids=[gz["member"].pk]), "不是成员"),
    ]
    for handler, motion, message in cases:
        with pytest.raises(ValidationError, match=message):
            handler(motion=motion, actor=cop["staff"])
    assert set(Member.objects.values_list("status", flat=True)) == {Member.Status.ACTIVE}
    assert Member.objects.count() == 2
    assert Application.objects.filter(status=Application.Status.SUBMITTED).count() == 2


def test_a_removal_reads_its_seat_in_the_motions_alliance_under_the_lock(cop):
    foreign = SeatFactory()
    motion = services.motion_create(actor=None, meeting=cop["meeting"], kind=Motion.Kind.REMOVE_OFFICER,
                                    title="罢免", subjects=[cop["seats"][2]])
    Motion.objects.filter(pk=motion.pk).update(subject_ids=[foreign.pk])
    with pytest.raises(ValidationError, match="须为本联盟的职务任职"):
        _pass(motion, cop["seats"])
    foreign.refresh_from_db()
    assert foreign.end_date is None


# ---- the admin's motion form


def _motion_form(meeting, **fields):
    return {"meeting": meeting.pk, "order": 1, "kind": Motion.Kind.OTHER, "title": "议案", "text": "",
            "officer_role": "", "officer_name": "", "officer_unit": "", "officer_user": "", "officer_birth_date": "",
            "officer_start_date": "", "seats_to_fill": 0, "counting": "ballots", "candidates-TOTAL_FORMS": 0,
            "candidates-INITIAL_FORMS": 0, **fields}


def test_the_review_exploit_through_the_admin_is_refused_on_the_form(client, cop, gz):
    """COP staff post kind 除名 with the User content type and GZ's member's key: nothing is created."""
    client.force_login(cop["staff"])
    url = reverse("admin:governance_motion_add")
    posts = [
        _motion_form(cop["meeting"], kind=Motion.Kind.EXPEL_MEMBER,
                     subject_type=ContentType.objects.get_for_model(User).pk, subject_id=gz["member"].pk),
        _motion_form(cop["meeting"], kind=Motion.Kind.EXPEL_MEMBER, subjects_members_member=gz["member"].pk),
        _motion_form(cop["meeting"], kind=Motion.Kind.ADMIT_MEMBER,
                     subjects_members_application=[gz["application"].pk]),
    ]
    for data in posts:
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
        assert not Motion.objects.exists()
    gz["member"].refresh_from_db()
    assert gz["member"].status == Member.Status.ACTIVE


def test_the_motion_form_picks_subjects_by_name_from_the_staffs_own_alliance(client, cop, gz):
    client.force_login(cop["staff"])
    response = client.get(reverse("admin:governance_motion_add"))
    form = response.context["adminform"].form
    assert "subject_type" not in form.fields and "subject_id" not in form.fields
    page = response.content.decode()
    assert str(cop["member"]) in page and str(cop["application"]) in page
    assert str(gz["member"]) not in page  # its name and number
    assert set(form.fields["subjects_members_member"].queryset) == {cop["member"]}


def test_a_motion_added_in_the_admin_names_its_subject_through_the_service(client, cop):
    client.force_login(cop["staff"])
    response = client.post(reverse("admin:governance_motion_add"), _motion_form(
        cop["meeting"], kind=Motion.Kind.EXPEL_MEMBER, title="除名某单位", subjects_members_member=cop["member"].pk))
    assert response.status_code == 302
    motion = Motion.objects.get()
    assert motion.subjects() == [cop["member"]]
    record = motion.history.get()
    assert (record.history_user, record.history_change_reason) == (cop["staff"], "提出议案")


def test_a_subject_picked_in_the_wrong_picker_for_the_kind_is_shown_next_to_it(client, cop):
    client.force_login(cop["staff"])
    response = client.post(reverse("admin:governance_motion_add"), _motion_form(
        cop["meeting"], kind=Motion.Kind.ADMIT_MEMBER, subjects_members_member=cop["member"].pk))
    errors = response.context["adminform"].form.errors
    assert "subjects_members_member" in errors and "subjects_members_application" in errors
    assert not Motion.objects.exists()
    assert not [m for m in response.context["messages"] if m.level_tag == "success"]


def test_every_registered_subject_kind_names_one_model_with_an_alliance():
    for kind, subject in effects.subjects().items():
        assert kind in Motion.Kind.values
        subject.model._default_manager.filter(**{subject.alliance_path: 1}).exists()
