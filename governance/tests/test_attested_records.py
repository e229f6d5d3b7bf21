"""Recorded steps that are not votes: officer conditions attested when a seat is filled (000 art. 14 (一)(二)(四)
(五)(六)), a member's violation referred to the authorities (001 art. 22 (一)) and the guidance committee's
interpretations of the charter (001 art. 24)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance.tests.factories import staff_of
from governance import services
from governance.models import CharterInterpretation, MemberReferral, OfficerCondition, SeatAttestation
from governance.tests.factories import BodyFactory
from members.tests.factories import admitted_member, decided_motion

pytestmark = pytest.mark.django_db

ART_14 = [("第十四条（一）", "坚持党的路线、方针、政策，政治素质好"), ("第十四条（二）", "在本业务领域内有较大影响"),
          ("第十四条（四）", "身体健康，能坚持正常工作"), ("第十四条（五）", "未受过剥夺政治权利处罚，在业内无不良影响"),
          ("第十四条（六）", "具有完全民事行为能力")]


@pytest.fixture
def council():
    body = BodyFactory()
    staff = staff_of(body.alliance)
    conditions = [services.officer_condition_create(actor=staff, alliance=body.alliance, article=a, text=t, order=i)
                  for i, (a, t) in enumerate(ART_14)]
    return body, staff, conditions


def _chair(body, staff, confirmed):
    return services.seat_fill(actor=staff, body=body, role="chair", person_name="陈莉", birth_date=datetime.date(
        1970, 1, 1), start_date=datetime.date(2026, 1, 1), conditions_confirmed=confirmed)


def test_000_art_14_seating_a_chair_without_every_condition_confirmed_is_refused(council):
    body, staff, conditions = council
    with pytest.raises(ValidationError) as exc:
        _chair(body, staff, conditions[:4])
    assert "第十四条（六）" in str(exc.value) and "第十四条（一）" not in str(exc.value)
    assert not body.seats.exists()


def test_000_art_14_each_confirmed_condition_is_recorded_with_who_and_when(council):
    body, staff, conditions = council
    seat = _chair(body, staff, conditions)
    rows = SeatAttestation.objects.filter(seat=seat)
    assert {a.condition for a in rows} == set(conditions)
    assert {a.confirmed_by for a in rows} == {staff} and all(a.confirmed_at for a in rows)


def test_000_art_14_a_director_needs_no_confirmation(council):
    body, staff, _ = council
    seat = services.seat_fill(actor=staff, body=body, role="director", person_name="李明",
                              start_date=datetime.date(2026, 1, 1))
    assert not seat.attestations.exists()


def test_000_art_14_the_seat_admin_shows_the_refusal_on_the_form_and_records_the_confirmations(client, council):
    body, staff, conditions = council
    client.force_login(staff)
    form = {"body": body.pk, "role": "chair", "person_name": "陈莉", "unit_name": "", "title": "", "user": "",
            "start_date": "2026-01-01", "end_date": "", "birth_date": "1970-01-01", "exception_motion": "",
            "order": 0, "conditions_confirmed": [c.pk for c in conditions[1:]]}
    response = client.post(reverse("admin:governance_seat_add"), form)
    assert response.status_code == 200 and "第十四条（一）" in response.content.decode()
    assert not body.seats.exists()
    form["conditions_confirmed"] = [c.pk for c in conditions]
    assert client.post(reverse("admin:governance_seat_add"), form).status_code == 302
    seat = body.seats.get()
    assert seat.attestations.count() == 5
    page = client.get(reverse("admin:governance_seat_change", args=[seat.pk])).content.decode()
    assert "具有完全民事行为能力" in page and "确认" in page


def test_000_art_14_staff_of_another_alliance_see_no_conditions_to_confirm(client, council):
    body, _, conditions = council
    other = staff_of(BodyFactory().alliance)
    client.force_login(other)
    page = client.get(reverse("admin:governance_seat_add")).content.decode()
    assert "在本业务领域内有较大影响" not in page
    with pytest.raises(PermissionDenied):
        services.officer_condition_create(actor=other, alliance=body.alliance, article="第十四条（七）", text="x")


@pytest.fixture
def nmg_member():
    member, staff = admitted_member()
    rules = member.alliance.rules
    rules.sanction_body_kinds = "joint_meeting,guidance_committee"
    rules.save()
    return member, staff


def test_001_art_22_1_a_referral_to_the_authorities_is_recorded_after_the_decision_it_follows(nmg_member):
    member, staff = nmg_member
    decision = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member],
                              body_kind="joint_meeting", title="向有关部门反映该成员违规情况")
    referral = services.member_referral_record(
        actor=staff, member=member, decision=decision, referred_on=timezone.localdate(),
        addressee="内蒙古自治区教育厅", summary="违反国家教育政策的情况")
    assert MemberReferral.objects.get() == referral and referral.recorded_by == staff


def test_001_art_22_1_a_referral_needs_a_passed_decision_of_a_deciding_body_naming_the_member(nmg_member):
    member, staff = nmg_member
    other, _ = admitted_member(alliance=member.alliance)
    failed = decided_motion(alliance=member.alliance, kind="other", body_kind="joint_meeting", passed=False)
    about_other = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[other],
                                 body_kind="joint_meeting")
    expert = decided_motion(alliance=member.alliance, kind="other", body_kind="expert_committee")
    for decision in (failed, about_other, expert):
        with pytest.raises(ValidationError):
            services.member_referral_record(actor=staff, member=member, decision=decision,
                                            referred_on=timezone.localdate(), addressee="教育厅", summary="x")
    assert not MemberReferral.objects.exists()


def test_001_art_22_1_the_referral_shows_on_the_members_page(client, nmg_member):
    member, staff = nmg_member
    decision = decided_motion(alliance=member.alliance, kind="other", body_kind="joint_meeting", title="向教育厅反映")
    services.member_referral_record(actor=staff, member=member, decision=decision, referred_on=timezone.localdate(),
                                    addressee="内蒙古自治区教育厅", summary="违规办学")
    client.force_login(member.user)
    page = client.get(member.get_absolute_url()).content.decode()
    assert "向内蒙古自治区教育厅反映" in page and "违规办学" in page


def test_001_art_24_an_interpretation_is_the_guidance_committees_passed_decision_listed_with_the_charter(client):
    member, staff = admitted_member()
    alliance = member.alliance
    motion = decided_motion(alliance=alliance, kind="other", body_kind="guidance_committee", title="关于第十九条的解释")
    services.charter_interpretation_record(actor=staff, alliance=alliance, motion=motion, article="第十九条",
                                           text="成员任期自批准入会之日起计算。")
    page = client.get(reverse("alliance_detail", args=[alliance.slug])).content.decode()
    assert "章程解释" in page and "成员任期自批准入会之日起计算。" in page and "关于第十九条的解释" in page
    with pytest.raises(ValidationError):
        services.charter_interpretation_record(actor=staff, alliance=alliance, motion=motion, article="第十九条",
                                               text="再登记一次")


def test_001_art_24_a_decision_of_another_body_is_not_an_interpretation():
    member, staff = admitted_member()
    council = decided_motion(alliance=member.alliance, kind="other", body_kind="council", title="解释")
    with pytest.raises(ValidationError) as exc:
        services.charter_interpretation_record(actor=staff, alliance=member.alliance, motion=council,
                                               article="第一条", text="x")
    assert "指导委员会" in str(exc.value)
    assert not CharterInterpretation.objects.exists()


def test_officer_conditions_are_one_per_article():
    body = BodyFactory()
    staff = staff_of(body.alliance)
    services.officer_condition_create(actor=staff, alliance=body.alliance, article="第十四条（一）", text="x")
    with pytest.raises(ValidationError):
        services.officer_condition_create(actor=staff, alliance=body.alliance, article="第十四条（一）", text="y")
    assert OfficerCondition.objects.count() == 1


@pytest.mark.parametrize("model", ["officercondition", "charterinterpretation", "memberreferral", "seat"])
def test_the_records_changelists_make_as_many_queries_for_1_row_as_for_6(client, django_assert_num_queries,
                                                                         nmg_member, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member, staff = nmg_member
    alliance = member.alliance
    client.force_login(staff)
    url = reverse(f"admin:governance_{model}_changelist")
    body = BodyFactory(alliance=alliance)

    def add_rows(n):
        for _ in range(n):
            i = OfficerCondition.objects.count()
            services.officer_condition_create(actor=staff, alliance=alliance, article=f"第{i}项",
                                                          text="条件")
            services.seat_fill(actor=staff, body=body, role="vice_chair", person_name=f"副理事长{i}",
                               birth_date=datetime.date(1970, 1, 1), start_date=datetime.date(2026, 1, 1),
                               conditions_confirmed=OfficerCondition.objects.filter(alliance=alliance))
            motion = decided_motion(alliance=alliance, kind="other", body_kind="guidance_committee", title=f"解释{i}")
            services.charter_interpretation_record(actor=staff, alliance=alliance, motion=motion, article=f"第{i}条",
                                                   text="解释")
            decision = decided_motion(alliance=alliance, kind="other", body_kind="joint_meeting", title=f"反映{i}")
            services.member_referral_record(actor=staff, member=member, decision=decision,
                                            referred_on=timezone.localdate(), addressee="教育厅", summary="事项")

    add_rows(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_rows(5)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
