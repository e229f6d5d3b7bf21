"""Who decides (000 组织架构3, arts. 6, 10, 11; 001 arts. 13, 17–18, 22): only the body the charter names, through
its passed motion, chosen by name; never a typed reference."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.models import CharterRules
from alliance.tests.factories import UserFactory, staff_of
from governance import services as governance
from governance.models import Body, Motion
from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, SeatFactory
from members import services
from members.models import Application, Member
from members.tests.factories import admitted_member, alliance_with, decided_motion, submitted_application

pytestmark = pytest.mark.django_db
S = Application.Status
M = Member.Status
Route = CharterRules.AdmissionRoute


def _cop():
    """COP's rules: the secretariat reviews, the council ratifies (000 art. 6, art. 11 (二))."""
    return alliance_with(admission_route=Route.RATIFICATION, admission_body_kind="council")


def _nmg():
    """NMG's rules: the guidance committee consents (001 arts. 17–18); sanctions in two steps (art. 22 (二))."""
    return alliance_with(admission_route=Route.BODY_CONSENT, admission_body_kind="guidance_committee",
                         withdrawal_needs_approval=True, decision_body_kind="joint_meeting",
                         sanction_body_kinds="joint_meeting,guidance_committee")


def _council_meeting(alliance):
    body = BodyFactory(alliance=alliance, kind=Body.Kind.COUNCIL)
    for i in range(3):
        SeatFactory(body=body, user=UserFactory(), order=i)
    return MeetingFactory(body=body)


def _reviewed(alliance, n):
    staff = staff_of(alliance)
    applications = [submitted_application(alliance=alliance) for _ in range(n)]
    for application in applications:
        assert services.application_approve(actor=staff, application=application) is None
    return applications, staff


def _vote(motion, choice):
    seats = list(motion.meeting.body.seats.all())
    for seat in seats:
        governance.attendance_check_in(actor=seat.user, meeting=motion.meeting)
    governance.vote_open(actor=None, motion=motion)
    for seat in seats:
        governance.ballot_cast(actor=seat.user, motion=motion, choice=choice)
    return governance.vote_close(actor=None, motion=motion)


# --- only the named body decides ----------------------------------------------------------------------------


def test_an_expert_committee_motion_to_admit_is_refused_at_creation():
    alliance = _cop()
    [application], _ = _reviewed(alliance, 1)
    experts = MeetingFactory(body=BodyFactory(alliance=alliance, kind=Body.Kind.EXPERT_COMMITTEE))
    with pytest.raises(ValidationError, match="章程未授权") as exc:
        governance.motion_create(actor=None, meeting=experts, kind=Motion.Kind.ADMIT_MEMBER, title="吸收",
                                 subjects=[application])
    assert "meeting" in exc.value.message_dict
    assert not Motion.objects.exists()


def test_a_motion_cannot_be_moved_to_a_body_the_charter_does_not_name():
    alliance = _cop()
    [application], _ = _reviewed(alliance, 1)
    experts = MeetingFactory(body=BodyFactory(alliance=alliance, kind=Body.Kind.EXPERT_COMMITTEE))
    motion = MotionFactory(meeting=experts)
    with pytest.raises(ValidationError, match="章程未授权"):
        governance.motion_update(actor=None, motion=motion, kind=Motion.Kind.ADMIT_MEMBER, subjects=[application])
    assert Motion.objects.get(pk=motion.pk).kind == Motion.Kind.APPROVE_PLAN


def test_an_expert_committee_motion_to_expel_is_refused_at_creation():
    member, _ = admitted_member()
    experts = MeetingFactory(body=BodyFactory(alliance=member.alliance, kind=Body.Kind.EXPERT_COMMITTEE))
    with pytest.raises(ValidationError, match="章程未授权"):
        governance.motion_create(actor=None, meeting=experts, kind=Motion.Kind.EXPEL_MEMBER, title="除名",
                                 subjects=[member])


# --- COP: the secretariat reviews, the council ratifies ---------------------------------------------------------


def test_reviewed_applications_wait_for_the_council_and_are_not_yet_members():
    alliance = _cop()
    applications, _ = _reviewed(alliance, 2)
    assert {a.status for a in Application.objects.filter(pk__in=[a.pk for a in applications])} == {
        S.PENDING_RATIFICATION}
    assert not Member.objects.exists()


def test_one_council_motion_ratifies_all_reviewed_applications_and_numbers_them():
    alliance = _cop()
    applications, staff = _reviewed(alliance, 3)
    motion = services.applications_ratification_motion_create(actor=staff, meeting=_council_meeting(alliance))
    assert motion.kind == Motion.Kind.ADMIT_MEMBER and motion.subject_ids == [a.pk for a in applications]
    assert "3 名申请人" in motion.title
    assert _vote(motion, "for").passed
    members = Member.objects.filter(application__in=applications).order_by("number")
    assert [m.number for m in members] == [f"{alliance.code}-{datetime.date.today().year}-{n:04d}" for n in (1, 2, 3)]
    assert all(list(m.events.get().decisions.all()) == [motion] for m in members)


def test_a_failed_ratification_returns_the_applications_to_review_with_the_result_on_their_timeline():
    alliance = _cop()
    applications, staff = _reviewed(alliance, 2)
    motion = services.applications_ratification_motion_create(actor=staff, meeting=_council_meeting(alliance))
    assert not _vote(motion, "against").passed
    for application in Application.objects.filter(pk__in=[a.pk for a in applications]):
        assert application.status == S.SUBMITTED
        event = application.events.last()
        assert event.from_status == S.PENDING_RATIFICATION and "表决未通过（赞成 0，反对 3" in event.reason
        assert list(event.decisions.all()) == [motion]
    assert not Member.objects.exists()


def test_an_application_already_on_an_admission_motion_is_not_gathered_twice():
    alliance = _cop()
    (first, second), staff = _reviewed(alliance, 2)
    meeting = _council_meeting(alliance)
    services.applications_ratification_motion_create(actor=staff, meeting=meeting, applications=[first])
    later = services.applications_ratification_motion_create(actor=staff, meeting=meeting)
    assert later.subject_ids == [second.pk]
    with pytest.raises(ValidationError, match="尚未列入议案"):
        services.applications_ratification_motion_create(actor=staff, meeting=meeting)


def test_gathering_is_for_the_ratification_route_and_the_alliances_staff():
    alliance = _cop()
    _reviewed(alliance, 1)
    meeting = _council_meeting(alliance)
    with pytest.raises(PermissionDenied):
        services.applications_ratification_motion_create(actor=staff_of(_cop()), meeting=meeting)
    other = alliance_with(admission_route=Route.MOTION, admission_body_kind="council")
    with pytest.raises(ValidationError, match="不经理事会集中审议"):
        services.applications_ratification_motion_create(actor=staff_of(other), meeting=_council_meeting(other))


# --- NMG: the guidance committee's consent is its passed motion ---------------------------------------------------


def test_guidance_consent_must_be_a_passed_motion_of_the_guidance_committee_of_the_same_alliance():
    alliance = _nmg()
    application = submitted_application(alliance=alliance)
    staff = staff_of(alliance)
    refused = {
        "不属于本联盟": decided_motion(alliance=_nmg(), kind="other", body_kind="guidance_committee"),
        "不是指导委员会的决定": decided_motion(alliance=alliance, kind="other", body_kind="joint_meeting"),
        "未获通过": decided_motion(alliance=alliance, kind="other", body_kind="guidance_committee", passed=False),
        "类型与该决定不符": decided_motion(alliance=alliance, kind="approve_plan", body_kind="guidance_committee"),
    }
    for message, motion in refused.items():
        with pytest.raises(ValidationError, match=message):
            services.application_approve(actor=staff, application=application, decision=motion)
    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED
    consent = decided_motion(alliance=alliance, kind="other", body_kind="guidance_committee", title="同意吸收")
    member = services.application_approve(actor=staff, application=application, decision=consent)
    assert member.admission_reference == str(consent)


def test_a_guidance_committee_motion_to_admit_naming_another_application_is_no_consent():
    alliance = _nmg()
    application, other = submitted_application(alliance=alliance), submitted_application(alliance=alliance)
    motion = decided_motion(alliance=alliance, kind="admit_member", body_kind="guidance_committee", subjects=[other])
    assert Application.objects.get(pk=other.pk).status == S.APPROVED  # the passed motion admitted its own subject
    with pytest.raises(ValidationError, match="未列明"):
        services.application_approve(actor=staff_of(alliance), application=application, decision=motion)


def test_a_withdrawal_needing_approval_takes_the_guidance_committees_passed_motion():
    alliance = _nmg()
    member, staff = admitted_member(alliance=alliance)
    services.member_request_withdrawal(actor=member.user, member=member, reason="申请退出")
    with pytest.raises(ValidationError, match="不是指导委员会的决定"):
        services.member_withdraw(actor=staff, member=member,
                                 decision=decided_motion(alliance=alliance, kind="other", body_kind="joint_meeting"))
    approval = decided_motion(alliance=alliance, kind="other", body_kind="guidance_committee", title="批准退出")
    services.member_withdraw(actor=staff, member=member, decision=approval)
    member.refresh_from_db()
    assert member.status == M.WITHDRAWN and member.decision == approval


# --- expulsion and sanctions ---------------------------------------------------------------------------------------


def test_expulsion_takes_effect_only_from_a_passed_motion_of_the_decision_body():
    member, _ = admitted_member()
    decided_motion(alliance=member.alliance, kind="expel_member", subjects=[member], passed=False)
    assert Member.objects.get(pk=member.pk).status == M.ACTIVE
    motion = decided_motion(alliance=member.alliance, kind="expel_member", subjects=[member], title="除名决议")
    member.refresh_from_db()
    assert member.status == M.EXPELLED and member.decision == motion


def test_nmg_expulsion_needs_the_joint_meeting_then_the_guidance_committee():
    # 001 art. 22 (二): two recorded decisions.
    alliance = _nmg()
    member, _ = admitted_member(alliance=alliance)
    first = decided_motion(alliance=alliance, kind="expel_member", body_kind="joint_meeting", subjects=[member])
    assert Member.objects.get(pk=member.pk).status == M.ACTIVE
    second = decided_motion(alliance=alliance, kind="expel_member", body_kind="guidance_committee", subjects=[member])
    member.refresh_from_db()
    assert member.status == M.EXPELLED and member.decision == second
    event = member.events.get(to_status=M.EXPELLED)
    assert list(event.decisions.order_by("voting_closed_at")) == [first, second]


def test_nmg_sanction_needs_both_decisions_in_the_charters_order():
    alliance = _nmg()
    member, staff = admitted_member(alliance=alliance)
    agreed = decided_motion(alliance=alliance, kind="sanction_member", body_kind="guidance_committee",
                            subjects=[member])
    passed = decided_motion(alliance=alliance, kind="sanction_member", body_kind="joint_meeting", subjects=[member])
    for decisions, message in (([passed], "共 2 项"), ([agreed, passed], "不是联席会议的决定")):
        with pytest.raises(ValidationError, match=message):
            services.member_suspend(actor=staff, member=member, rights=["vote"], decisions=decisions)
    assert Member.objects.get(pk=member.pk).status == M.ACTIVE
    agreed = decided_motion(alliance=alliance, kind="sanction_member", body_kind="guidance_committee",
                            subjects=[member])
    services.member_suspend(actor=staff, member=member, rights=["vote"], decisions=[agreed, passed])
    member.refresh_from_db()
    assert member.status == M.SUSPENDED and member.decision == agreed


def _represented_council(member):
    """A joint meeting of member units (001 art. 13) with the member's representative and two others."""
    body = BodyFactory(alliance=member.alliance, kind=Body.Kind.JOINT_MEETING)
    representative = SeatFactory(body=body, user=UserFactory(), member=member, unit_name=member.name)
    for i in range(2):
        SeatFactory(body=body, user=UserFactory(), order=i + 1)
    return body, representative


def test_a_suspended_vote_blocks_the_representatives_ballot_and_lifting_it_restores_it():
    member, staff = admitted_member()
    body, representative = _represented_council(member)
    sanction = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member])
    services.member_suspend(actor=staff, member=member, rights=[Member.Right.VOTE], decisions=[sanction])
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    governance.attendance_check_in(actor=representative.user, meeting=motion.meeting)
    governance.vote_open(actor=None, motion=motion)
    with pytest.raises(ValidationError, match="已被取消表决权"):
        governance.ballot_cast(actor=representative.user, motion=motion, choice="for")
    with pytest.raises(ValidationError, match="取消权利之后|前一决定之后"):
        services.member_sanction_lift(actor=staff, member=member, decisions=[sanction])
    lifted = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member], title="恢复权利")
    services.member_sanction_lift(actor=staff, member=member, decisions=[lifted])
    member.refresh_from_db()
    assert member.status == M.ACTIVE and member.suspended_rights == [] and member.decision is None
    governance.ballot_cast(actor=representative.user, motion=motion, choice="for")


def test_a_suspended_vote_blocks_a_ballot_staff_record_for_the_representative():
    member, staff = admitted_member()
    body, representative = _represented_council(member)
    sanction = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member])
    services.member_suspend(actor=staff, member=member, rights=[Member.Right.VOTE], decisions=[sanction])
    motion = MotionFactory(meeting=MeetingFactory(body=body))
    governance.attendance_check_in(actor=staff, meeting=motion.meeting, seat=representative)
    governance.vote_open(actor=None, motion=motion)
    with pytest.raises(ValidationError, match="该理事所代表的成员单位已被取消表决权"):
        governance.ballot_record(actor=staff, motion=motion, seat=representative, choice="for")


def test_a_suspended_candidacy_blocks_the_representative_as_candidate_and_in_a_seat():
    member, staff = admitted_member()
    body, representative = _represented_council(member)
    sanction = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member])
    services.member_suspend(actor=staff, member=member, rights=[Member.Right.STAND], decisions=[sanction])
    election = MotionFactory(meeting=MeetingFactory(body=body), kind=Motion.Kind.ELECT_OFFICER, seats_to_fill=1)
    with pytest.raises(ValidationError, match="已被取消被选举权"):
        governance.candidate_save(actor=None, motion=election, person_name="代表", user=representative.user,
                                  role="vice_chair")
    with pytest.raises(ValidationError, match="已被取消被选举权"):
        governance.seat_fill(actor=None, body=body, role="director", start_date=datetime.date(2026, 1, 1),
                             person_name="代表", member=member)
    motion = MotionFactory(meeting=MeetingFactory(body=body))  # the vote itself was not suspended
    governance.attendance_check_in(actor=representative.user, meeting=motion.meeting)
    governance.vote_open(actor=None, motion=motion)
    governance.ballot_cast(actor=representative.user, motion=motion, choice="for")


def test_a_seat_represents_a_member_of_its_own_alliance_only():
    member, _ = admitted_member()
    body = BodyFactory()
    with pytest.raises(ValidationError, match="本联盟的成员"):
        governance.seat_fill(actor=None, body=body, role="director", start_date=datetime.date(2026, 1, 1),
                             person_name="代表", member=member)
    assert not body.seats.filter(member=member).exists()


def test_the_member_page_shows_the_suspended_rights_and_the_decision(client):
    member, staff = admitted_member()
    sanction = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member], title="取消表决权的决定")
    services.member_suspend(actor=staff, member=member, rights=[Member.Right.VOTE], decisions=[sanction])
    client.force_login(member.user)
    text = client.get(member.get_absolute_url()).content.decode()
    assert "表决权" in text and "取消表决权的决定" in text
