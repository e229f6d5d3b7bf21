"""Each transition of applications and members: allowed, and denied for the wrong person or state."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from alliance.models import CharterRules, Email
from alliance.tests.factories import AllianceFactory, UserFactory, staff_of
from governance import effects
from members import services
from members.models import Application, ApplicationEvent, Attachment, Certificate, Kind, Member, MemberEvent
from members.tests.factories import (
    UNIT_DATA, ApplicationFactory, admitted_member, alliance_with, decided_motion, submitted_application,
)
from members.tests.test_validators import PDF

pytestmark = pytest.mark.django_db
S = Application.Status
M = Member.Status
Route = CharterRules.AdmissionRoute


# --- drafts and submission --------------------------------------------------------------------------------


def test_a_draft_is_saved_with_blank_fields():
    alliance, person = AllianceFactory(), UserFactory()
    app = services.application_save(
        actor=person, alliance=alliance, kind=Kind.UNIT, data={"unit_name": "某某学校"}
    )
    assert app.status == S.DRAFT and app.unit_name == "某某学校"
    assert app.history.first().history_user == person


def test_a_closed_alliance_refuses_drafts():
    alliance = alliance_with(admission_route=Route.CLOSED)
    with pytest.raises(services.TransitionNotAllowed):
        services.application_save(actor=UserFactory(), alliance=alliance, kind=Kind.UNIT, data={})


def test_an_alliance_of_units_only_refuses_individual_applications():
    alliance = alliance_with(admits_individuals=False)
    with pytest.raises(ValidationError) as exc:
        services.application_save(actor=UserFactory(), alliance=alliance, kind=Kind.INDIVIDUAL, data={})
    assert "kind" in exc.value.message_dict


def test_submit_records_the_event_and_queues_the_received_email(django_capture_on_commit_callbacks):
    app = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=False):
        services.application_submit(actor=app.applicant, application=app)
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and app.submitted_at
    assert app.events.last().to_status == S.SUBMITTED
    assert Email.objects.filter(to=app.contact_email, subject__contains="已收到").exists()


def test_submit_without_the_consents_of_article_5_is_refused():
    app = ApplicationFactory(consent_charter=False)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=app.applicant, application=app)
    assert "consent_charter" in exc.value.message_dict


def test_submit_with_required_fields_missing_names_them():
    app = ApplicationFactory(head_name="", postcode="")
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=app.applicant, application=app)
    assert {"head_name", "postcode"} <= set(exc.value.message_dict)


def test_another_person_cannot_submit_or_edit_the_application():
    app = ApplicationFactory()
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=stranger, application=app)
    with pytest.raises(PermissionDenied):
        services.application_save(
            actor=stranger, alliance=app.alliance, kind=app.kind, data={"unit_name": "x"}, application=app
        )


def test_a_submitted_application_cannot_be_edited():
    app = submitted_application()
    with pytest.raises(services.TransitionNotAllowed):
        services.application_save(
            actor=app.applicant, alliance=app.alliance, kind=app.kind, data={"unit_name": "x"}, application=app
        )


def test_one_open_application_per_person_alliance_and_kind():
    app = ApplicationFactory()
    with pytest.raises(IntegrityError):
        ApplicationFactory(alliance=app.alliance, applicant=app.applicant)


def test_a_new_application_is_saved_and_submitted_at_once_with_its_files(django_capture_on_commit_callbacks):
    alliance, person = AllianceFactory(), UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        app = services.application_save(
            actor=person, alliance=alliance, kind=Kind.UNIT, data=UNIT_DATA,
            uploads=[SimpleUploadedFile("证明.pdf", PDF)], submit=True,
        )
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and app.submitted_at and app.unit_name == UNIT_DATA["unit_name"]
    assert [(e.from_status, e.to_status) for e in app.events.all()] == [("", S.DRAFT), (S.DRAFT, S.SUBMITTED)]
    assert [(h.status, h.history_change_reason, h.history_user) for h in app.history.all()] == [
        (S.SUBMITTED, "提交申请", person)
    ]
    assert app.attachments.get().original_name == "证明.pdf"
    assert Email.objects.filter(to=app.contact_email, subject__contains="已收到").exists()
    # The acknowledgements to the account holder and to the form's contact person, and the staff's notice, go to the
    # worker in one task after the commit.
    assert len(callbacks) == 1


def test_a_refused_submit_writes_nothing():
    alliance, person = AllianceFactory(), UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.application_save(
            actor=person, alliance=alliance, kind=Kind.UNIT, data={**UNIT_DATA, "head_name": ""},
            uploads=[SimpleUploadedFile("证明.pdf", PDF)], submit=True,
        )
    assert "head_name" in exc.value.message_dict
    assert not Application.objects.exists() and not Attachment.objects.exists() and not Email.objects.exists()


def test_the_constraints_are_checked_unless_the_fields_they_name_are_left_out(django_assert_num_queries):
    app = ApplicationFactory()
    app.status = S.SUBMITTED  # without submitted_at
    with pytest.raises(ValidationError):
        app.full_clean()
    with django_assert_num_queries(0):
        app.full_clean(exclude={"alliance", "applicant", "kind", "status", "submitted_at"})


# --- review -----------------------------------------------------------------------------------------------


def test_secretariat_approval_admits_numbers_and_issues_a_certificate(django_capture_on_commit_callbacks):
    app = submitted_application()
    staff = staff_of(app.alliance)
    with django_capture_on_commit_callbacks() as callbacks:
        member = services.application_approve(actor=staff, application=app)
    year = member.admitted_on.year
    assert member.number == f"{app.alliance.code}-{year}-0001"
    assert member.status == M.ACTIVE and member.user == app.applicant
    assert member.liaison.email == app.contact_email
    assert Certificate.objects.get(member=member).status == Certificate.Status.PENDING
    app.refresh_from_db()
    assert app.status == S.APPROVED
    assert app.history.first().history_user == staff
    assert len(callbacks) >= 2  # the approved e-mail and the certificate render


def test_member_numbers_are_gapless_per_alliance_and_year():
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    numbers = []
    for _ in range(3):
        app = submitted_application(alliance=alliance)
        numbers.append(services.application_approve(actor=staff, application=app).number)
    other = admitted_member()[0]
    year = numbers[0].split("-")[1]
    assert numbers == [f"{alliance.code}-{year}-000{i}" for i in (1, 2, 3)]
    assert other.number.endswith("-0001")


def test_a_draft_is_given_no_member_number():
    app = ApplicationFactory()
    with pytest.raises(services.TransitionNotAllowed):
        services.application_approve(actor=staff_of(app.alliance), application=app)
    assert not Member.objects.exists()


def test_staff_of_another_alliance_cannot_approve_reject_or_return():
    app = submitted_application()
    other_staff = staff_of(AllianceFactory())
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=other_staff, application=app)
    with pytest.raises(PermissionDenied):
        services.application_reject(actor=other_staff, application=app, reason="不符合条件")
    with pytest.raises(PermissionDenied):
        services.application_return(actor=other_staff, application=app, reason="请补充")


def test_the_applicant_cannot_approve_their_own_application():
    app = submitted_application()
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=app.applicant, application=app)


def test_approving_twice_is_refused():
    app = submitted_application()
    staff = staff_of(app.alliance)
    services.application_approve(actor=staff, application=app)
    with pytest.raises(services.TransitionNotAllowed):
        services.application_approve(actor=staff, application=app)
    assert Member.objects.count() == 1


@pytest.mark.parametrize("action", [services.application_reject, services.application_return])
def test_reject_and_return_need_a_reason(action):
    app = submitted_application()
    with pytest.raises(ValidationError):
        action(actor=staff_of(app.alliance), application=app, reason="  ")


def test_reject_records_the_reason_the_applicant_sees():
    app = submitted_application()
    staff = staff_of(app.alliance)
    services.application_reject(actor=staff, application=app, reason="不从事教育技术相关工作")
    app.refresh_from_db()
    assert app.status == S.REJECTED and app.review_note == "不从事教育技术相关工作"
    assert app.events.last().actor == staff
    assert Email.objects.filter(subject__contains="未获批准", body__contains="不从事教育技术相关工作").exists()


def test_a_returned_application_can_be_edited_and_resubmitted():
    app = submitted_application()
    staff = staff_of(app.alliance)
    services.application_return(actor=staff, application=app, reason="请补充证明材料")
    services.application_save(
        actor=app.applicant, alliance=app.alliance, kind=app.kind, data={"description": "补充说明"}, application=app
    )
    services.application_submit(actor=app.applicant, application=app)
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert [e.to_status for e in app.events.all()][-3:] == [S.SUBMITTED, S.RETURNED, S.SUBMITTED]


def test_body_consent_route_needs_the_bodys_passed_motion():
    # 001 art. 17: the guidance committee's consent admits.
    alliance = alliance_with(admission_route=Route.BODY_CONSENT, admission_body_kind="guidance_committee")
    app = submitted_application(alliance=alliance)
    staff = staff_of(alliance)
    with pytest.raises(ValidationError):
        services.application_approve(actor=staff, application=app)
    consent = decided_motion(alliance=alliance, kind="other",
                             body_kind="guidance_committee", title="指导委员会2026年第2次会议决定")
    member = services.application_approve(actor=staff, application=app, decision=consent)
    assert member.admission_reference == "其他重大事项：指导委员会2026年第2次会议决定"
    assert list(app.events.last().decisions.all()) == [consent]


def _motion(alliance, *, kind, title, subjects):
    """A motion of the alliance's council naming its subjects (the handlers read them from it)."""
    from governance import services as governance
    from governance.tests.factories import BodyFactory, MeetingFactory

    meeting = MeetingFactory(body=BodyFactory(alliance=alliance))
    return governance.motion_create(actor=None, meeting=meeting, kind=kind, title=title, subjects=subjects)


def test_motion_route_leaves_the_application_pending_until_the_motion_passes():
    # 000 art. 11 (二): the council decides admission.
    alliance = alliance_with(admission_route=Route.MOTION, admission_body_kind="council")
    app = submitted_application(alliance=alliance)
    staff = staff_of(alliance)
    assert services.application_approve(actor=staff, application=app) is None
    app.refresh_from_db()
    assert app.status == S.PENDING_DECISION and not Member.objects.exists()
    motion = _motion(alliance, kind=effects.ADMIT_MEMBER, title="理事会2026年第1号议案", subjects=[app])
    effects.apply(motion, actor=staff)
    member = Member.objects.get()
    assert member.admission_reference == "吸收成员：理事会2026年第1号议案"
    app.refresh_from_db()
    assert app.status == S.APPROVED


def test_a_passed_expulsion_motion_expels_its_subject_member():
    member, staff = admitted_member()
    assert member.status == M.ACTIVE
    motion = decided_motion(alliance=member.alliance, kind=effects.EXPEL_MEMBER, title="理事会2026年第3号议案",
                            subjects=[member])
    member.refresh_from_db()
    assert member.status == M.EXPELLED and member.decision == motion


def test_a_closed_alliance_cannot_admit_by_approval():
    app = submitted_application()
    CharterRules.objects.filter(alliance=app.alliance).update(admission_route=Route.CLOSED)
    with pytest.raises(services.TransitionNotAllowed):
        services.application_approve(actor=staff_of(app.alliance), application=app)


# --- members ----------------------------------------------------------------------------------------------


def test_a_five_year_term_is_set_at_admission():
    # 001 art. 19: five-year terms, renewable.
    alliance = alliance_with(member_term_years=5)
    member, _ = admitted_member(alliance=alliance)
    assert member.term_ends_on == member.admitted_on.replace(year=member.admitted_on.year + 5)


def test_renewal_extends_the_term_and_reissues_the_certificate():
    alliance = alliance_with(member_term_years=5)
    member, staff = admitted_member(alliance=alliance)
    end = member.term_ends_on
    services.member_renew(actor=staff, member=member)
    member.refresh_from_db()
    assert member.term_ends_on == end.replace(year=end.year + 5)
    assert Certificate.objects.filter(member=member, revoked_at__isnull=True).count() == 1
    assert Certificate.objects.filter(member=member).count() == 2


def test_renewal_is_refused_when_the_charter_says_not_renewable():
    alliance = alliance_with(member_term_years=5, term_renewable=False)
    member, staff = admitted_member(alliance=alliance)
    with pytest.raises(services.TransitionNotAllowed):
        services.member_renew(actor=staff, member=member)


def test_open_ended_membership_needs_no_renewal():
    member, staff = admitted_member()
    with pytest.raises(services.TransitionNotAllowed):
        services.member_renew(actor=staff, member=member)


def test_withdrawal_waits_for_the_notice_period(monkeypatch):
    # 000 art. 9: written notice one month ahead.
    alliance = alliance_with(withdrawal_notice_months=1)
    member, staff = admitted_member(alliance=alliance)
    services.member_request_withdrawal(actor=member.user, member=member, reason="业务调整")
    member.refresh_from_db()
    assert member.status == M.WITHDRAWAL_REQUESTED
    assert member.withdrawal_effective_on > member.withdrawal_requested_on
    with pytest.raises(services.TransitionNotAllowed):
        services.member_withdraw(actor=staff, member=member)
    later = member.withdrawal_effective_on
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: later)
    services.member_withdraw(actor=staff, member=member)
    member.refresh_from_db()
    assert member.status == M.WITHDRAWN


def test_withdrawal_needing_approval_requires_the_approving_bodys_passed_motion():
    # 001 art. 18: the guidance committee approves withdrawal.
    alliance = alliance_with(withdrawal_needs_approval=True, admission_route=Route.BODY_CONSENT,
                             admission_body_kind="guidance_committee")
    member, staff = admitted_member(alliance=alliance)
    services.member_request_withdrawal(actor=member.user, member=member, reason="申请退出")
    with pytest.raises(ValidationError):
        services.member_withdraw(actor=staff, member=member)
    approval = decided_motion(alliance=alliance, kind="other", body_kind="guidance_committee", title="同意退出")
    services.member_withdraw(actor=staff, member=member, decision=approval)
    member.refresh_from_db()
    assert member.status == M.WITHDRAWN and member.decision == approval


def test_only_the_member_can_request_withdrawal():
    member, staff = admitted_member()
    with pytest.raises(PermissionDenied):
        services.member_request_withdrawal(actor=UserFactory(), member=member, reason="x")
    with pytest.raises(PermissionDenied):
        services.member_request_withdrawal(actor=staff, member=member, reason="x")


def test_expulsion_by_staff_only_from_the_chosen_passed_motion():
    member, staff = admitted_member()
    with pytest.raises(ValidationError):
        services.member_expel(actor=staff, member=member, decisions=[])
    sanction = decided_motion(alliance=member.alliance, kind=effects.SANCTION_MEMBER, subjects=[member])
    with pytest.raises(ValidationError, match="类型与该决定不符"):
        services.member_expel(actor=staff, member=member, decisions=[sanction])
    motion = decided_motion(alliance=member.alliance, kind=effects.EXPEL_MEMBER, subjects=[member])
    member.refresh_from_db()
    assert member.status == M.EXPELLED  # the handler expelled; staff choosing it again is refused by the state
    with pytest.raises(services.TransitionNotAllowed):
        services.member_expel(actor=staff, member=member, decisions=[motion])
    assert list(MemberEvent.objects.get(member=member, to_status=M.EXPELLED).decisions.all()) == [motion]


def test_the_database_refuses_an_expelled_member_without_a_decision():
    member, _ = admitted_member()
    with pytest.raises(IntegrityError):
        Member.objects.filter(pk=member.pk).update(status=M.EXPELLED, decision=None)


def test_suspending_rights_needs_a_decision_and_names_the_rights():
    # 001 art. 22 (二): revoke the corresponding rights.
    member, staff = admitted_member()
    motion = decided_motion(alliance=member.alliance, kind=effects.SANCTION_MEMBER, subjects=[member])
    with pytest.raises(ValidationError):
        services.member_suspend(actor=staff, member=member, rights=[Member.Right.VOTE], decisions=[])
    with pytest.raises(ValidationError, match="请选择取消的权利"):
        services.member_suspend(actor=staff, member=member, rights=[], decisions=[motion])
    services.member_suspend(actor=staff, member=member, rights=[Member.Right.VOTE], decisions=[motion])
    member.refresh_from_db()
    assert member.status == M.SUSPENDED and member.suspended_rights == [Member.Right.VOTE]
    assert member.decision == motion


def test_staff_of_another_alliance_cannot_change_a_member():
    member, _ = admitted_member()
    other = staff_of(AllianceFactory())
    for call in (
        lambda: services.member_expel(actor=other, member=member, decisions=[]),
        lambda: services.member_suspend(actor=other, member=member, rights=[Member.Right.VOTE], decisions=[]),
        lambda: services.certificate_reissue(actor=other, member=member),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_reissue_revokes_the_old_certificate():
    member, staff = admitted_member()
    old = Certificate.objects.get(member=member)
    new = services.certificate_reissue(actor=staff, member=member)
    old.refresh_from_db()
    assert old.is_revoked and not new.is_revoked and new.token != old.token


# --- the daily job ----------------------------------------------------------------------------------------


def test_daily_job_lapses_expired_members_and_reminds_once(django_capture_on_commit_callbacks):
    alliance = alliance_with(member_term_years=5)
    ending, _ = admitted_member(alliance=alliance)
    expired, _ = admitted_member(alliance=alliance)
    today = datetime.date(2030, 1, 1)
    Member.objects.filter(pk=ending.pk).update(term_ends_on=today + datetime.timedelta(days=30))
    Member.objects.filter(pk=expired.pk).update(term_ends_on=today - datetime.timedelta(days=1))
    before = Email.objects.count()
    assert services.members_expiry_run(today=today) == {"lapsed": 1, "reminded": 1}
    assert services.members_expiry_run(today=today) == {"lapsed": 0, "reminded": 0}
    assert Email.objects.count() == before + 2  # the reminder to the member's account and to its liaison
    expired.refresh_from_db()
    assert expired.status == M.LAPSED


@pytest.mark.parametrize("days", [60, 30, 7])
def test_reminders_go_60_30_and_7_days_before_expiry(days):
    alliance = alliance_with(member_term_years=5)
    member, _ = admitted_member(alliance=alliance)
    today = datetime.date(2030, 1, 1)
    Member.objects.filter(pk=member.pk).update(term_ends_on=today + datetime.timedelta(days=days))
    assert services.members_expiry_run(today=today)["reminded"] == 1
    assert services.members_expiry_run(today=today + datetime.timedelta(days=1))["reminded"] == 0


def test_reminders_go_to_the_liaison():
    alliance = alliance_with(member_term_years=5)
    member, staff = admitted_member(alliance=alliance)
    services.liaison_set(actor=member.user, member=member, name="赵联络", title="办公室主任",
                         phone="13700000000", email="liaison@example.cn")
    today = datetime.date(2030, 1, 1)
    Member.objects.filter(pk=member.pk).update(term_ends_on=today + datetime.timedelta(days=7))
    services.members_expiry_run(today=today)
    assert Email.objects.filter(to="liaison@example.cn", subject__contains="7天").exists()


def test_application_events_record_each_step_with_its_actor():
    app = submitted_application()
    staff = staff_of(app.alliance)
    services.application_approve(actor=staff, application=app)
    steps = list(ApplicationEvent.objects.filter(application=app).values_list("to_status", "actor"))
    assert steps == [(S.SUBMITTED, app.applicant.pk), (S.APPROVED, staff.pk)]
    assert mail.outbox == []  # e-mails go through the outbox and a worker, never from the request


def test_members_named_by_the_charter_are_enrolled_with_numbers_of_their_year():
    # 002 art. 5: the six centres are the members; no application.
    import datetime as dt

    alliance = alliance_with(admission_route=Route.CLOSED)
    staff = staff_of(alliance)
    first = services.member_enrol_by_charter(actor=staff, alliance=alliance, name="广州市中小学教师发展中心",
                                             kind=Kind.UNIT, admitted_on=dt.date(2021, 3, 1), reference="章程第五条")
    second = services.member_enrol_by_charter(actor=staff, alliance=alliance, name="广州市幼儿园教师发展中心",
                                              kind=Kind.UNIT, admitted_on=dt.date(2021, 3, 1), reference="章程第五条")
    assert (first.number, second.number) == (f"{alliance.code}-2021-0001", f"{alliance.code}-2021-0002")
    with pytest.raises(PermissionDenied):
        services.member_enrol_by_charter(actor=staff_of(AllianceFactory()), alliance=alliance, name="x",
                                         kind=Kind.UNIT, admitted_on=dt.date(2021, 3, 1), reference="x")


def test_a_missed_reminder_day_is_caught_up_once_and_only_the_nearest_is_sent():
    alliance = alliance_with(member_term_years=5)
    member, _ = admitted_member(alliance=alliance)
    today = datetime.date(2030, 1, 1)
    Member.objects.filter(pk=member.pk).update(term_ends_on=today + datetime.timedelta(days=20))
    assert services.members_expiry_run(today=today)["reminded"] == 1  # the 30-day reminder, late
    assert services.members_expiry_run(today=today + datetime.timedelta(days=1))["reminded"] == 0
    assert services.members_expiry_run(today=today + datetime.timedelta(days=13))["reminded"] == 1  # 7 days left
    assert services.members_expiry_run(today=today + datetime.timedelta(days=14))["reminded"] == 0


def test_body_consent_message_names_the_guidance_committee():
    alliance = alliance_with(admission_route=Route.BODY_CONSENT, admission_body_kind="guidance_committee")
    app = submitted_application(alliance=alliance)
    with pytest.raises(ValidationError) as exc:
        services.application_approve(actor=staff_of(alliance), application=app)
    assert "指导委员会" in exc.value.message_dict["decision"][0]


# --- nobody decides on their own application; one current membership per account ----------------------------


@pytest.mark.parametrize("decide", [
    lambda staff, app: services.application_approve(actor=staff, application=app),
    lambda staff, app: services.application_return(actor=staff, application=app, reason="请补充"),
    lambda staff, app: services.application_reject(actor=staff, application=app, reason="不符合条件"),
], ids=["approve", "return", "reject"])
def test_staff_cannot_decide_on_their_own_application(decide):
    alliance = AllianceFactory()
    staff = staff_of(alliance)
    app = submitted_application(alliance=alliance, applicant=staff)
    with pytest.raises(services.TransitionNotAllowed, match="不能审批本人提交的入会申请"):
        decide(staff, app)
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and not Member.objects.exists()
    services.application_approve(actor=staff_of(alliance), application=app)  # a colleague may
    assert Member.objects.get().user == staff


def test_a_current_member_is_not_admitted_a_second_time():
    first = submitted_application()
    second = submitted_application(alliance=first.alliance, applicant=first.applicant, kind=Kind.INDIVIDUAL)
    staff = staff_of(first.alliance)
    member = services.application_approve(actor=staff, application=first)
    with pytest.raises(services.TransitionNotAllowed, match=member.number):
        services.application_approve(actor=staff, application=second)
    second.refresh_from_db()
    assert second.status == S.SUBMITTED and Member.objects.count() == 1


def test_a_current_member_cannot_submit_a_new_application_to_the_same_alliance():
    member, _ = admitted_member()
    draft = ApplicationFactory(alliance=member.alliance, applicant=member.user, kind=Kind.INDIVIDUAL)
    with pytest.raises(services.TransitionNotAllowed, match="不能重复入会"):
        services.application_submit(actor=member.user, application=draft)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_a_former_member_may_join_again_and_the_old_membership_is_not_renewed_beside_it():
    alliance = alliance_with(member_term_years=5)
    member, staff = admitted_member(alliance=alliance)
    Member.objects.filter(pk=member.pk).update(status=M.LAPSED, term_ends_on=datetime.date(2020, 1, 1),
                                               admitted_on=datetime.date(2015, 1, 1))
    again = submitted_application(alliance=alliance, applicant=member.user)
    assert services.application_approve(actor=staff, application=again).user == member.user
    with pytest.raises(services.TransitionNotAllowed, match="不能重复入会"):
        services.member_renew(actor=staff, member=member)


def test_the_database_holds_one_current_membership_per_account_and_alliance():
    member, _ = admitted_member()
    duplicate = dict(alliance=member.alliance, user=member.user, kind=member.kind, name=member.name,
                     admitted_on=member.admitted_on)
    decision = decided_motion(alliance=member.alliance, kind=effects.SANCTION_MEMBER, subjects=[member])
    Member.objects.create(**duplicate, number="X-2", status=M.EXPELLED, decision=decision)  # ended: allowed
    with pytest.raises(IntegrityError):
        Member.objects.create(**duplicate, number="X-3", status=M.SUSPENDED, decision=decision)
