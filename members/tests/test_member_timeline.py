"""The member's timeline stores each step as a code with its facts and shows it in the reader's language; what
a person wrote is the only text kept (issue: the portal in English)."""

import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from members import services
from members.models import Member, MemberEvent
from members.tests.factories import admitted_member, decided_motion

pytestmark = pytest.mark.django_db
Step = MemberEvent.Step
migration = importlib.import_module("members.migrations.0012_member_event_step")


def _english(user):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_suspension_is_stored_as_a_code_with_its_rights_and_shown_in_the_readers_language():
    member, staff = admitted_member()
    sanction = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member])
    services.member_suspend(actor=staff, member=member, rights=[Member.Right.VOTE, Member.Right.STAND],
                            decisions=[sanction])
    event = member.events.get(to_status=Member.Status.SUSPENDED)
    assert (event.step, event.details, event.reason) == (Step.SUSPENDED, {"rights": ["vote", "stand"]}, "")
    with translation.override(settings.LANGUAGE_CODE):
        assert event.step_text == "取消权利：表决权、被选举权"
    with translation.override("en"):
        assert event.step_text == "Rights suspended: Right to vote, Right to stand for election"
    page = _english(member.user).get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert "Rights suspended: Right to vote, Right to stand for election" in page and "取消权利" not in page


def test_the_records_of_a_step_stay_in_the_portals_language_whatever_the_staff_member_reads():
    member, staff = admitted_member()
    sanction = decided_motion(alliance=member.alliance, kind="sanction_member", subjects=[member])
    with translation.override("en"):
        services.member_suspend(actor=staff, member=member, rights=[Member.Right.VOTE], decisions=[sanction])
    member.refresh_from_db()
    assert member.status_reason == "取消权利：表决权"
    assert Member.history.filter(id=member.pk).latest("history_id").history_change_reason == "取消权利：表决权"


def test_a_lapse_shows_the_term_end_day_in_each_language():
    member, _staff = admitted_member()
    event = MemberEvent(member=member, to_status=Member.Status.LAPSED, step=Step.LAPSED, details={"day": "2026-11-22"})
    with translation.override(settings.LANGUAGE_CODE):
        assert event.step_text == "任期于2026年11月22日届满，未续聘"
    with translation.override("en"):
        assert event.step_text == "Term ended on 22 November 2026 and was not renewed"


def test_a_members_own_notice_to_leave_keeps_what_it_wrote_as_the_reason():
    member, _staff = admitted_member()
    services.member_request_withdrawal(actor=member.user, member=member, reason="本校不再承担相关工作。")
    event = member.events.last()
    assert (event.step, event.reason) == (Step.WITHDRAWAL_NOTICE, "本校不再承担相关工作。")
    page = _english(member.user).get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert "Written notice of withdrawal" in page and "本校不再承担相关工作。" in page


OLD_TEXTS = [  # (to_status, the text a service wrote before, step, details, reason kept)
    ("active", "秘书处审查批准", Step.ADMITTED, {}, ""),
    ("active", "指导委员会同意入会", Step.ADMITTED_BY_BODY, {"body": "guidance_committee"}, ""),
    ("lapsed", "任期于2026年3月1日届满，未续聘", Step.LAPSED, {"day": "2026-03-01"}, ""),
    ("withdrawal_requested", "2026年1月31日书面通知退出（纸质，秘书处登记）：来函〔2026〕3号",
     Step.WITHDRAWAL_ON_PAPER, {"day": "2026-01-31"}, "来函〔2026〕3号"),
    ("withdrawal_requested", "本校不再承担相关工作。", Step.WITHDRAWAL_NOTICE, {}, "本校不再承担相关工作。"),
    ("withdrawn", "经理事会批准退出联盟", Step.WITHDRAWN_BY_APPROVAL, {"body": "council"}, ""),
    ("suspended", "取消权利：表决权、参加联盟活动", Step.SUSPENDED, {"rights": ["vote", "activities"]}, ""),
    ("active", "恢复权利：被选举权", Step.RESTORED, {"rights": ["stand"]}, ""),
    ("expelled", "决定机构表决通过除名", Step.EXPELLED_BY_VOTE, {}, ""),
    ("active", "一段无法识别的说明", "", {}, "一段无法识别的说明"),
]


def test_the_migration_turns_the_old_texts_into_codes_and_back():
    member, _staff = admitted_member()
    MemberEvent.objects.filter(member=member).delete()
    events = [MemberEvent.objects.create(member=member, to_status=status, reason=text) for status, text, *_ in OLD_TEXTS]
    migration.steps_from_texts(apps, None)
    for event, (_status, _text, step, details, reason) in zip(events, OLD_TEXTS, strict=True):
        event.refresh_from_db()
        assert (event.step, event.details, event.reason) == (step, details, reason)
    migration.texts_from_steps(apps, None)
    assert [e.reason for e in MemberEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("pk")] == [
        text for _status, text, *_ in OLD_TEXTS]


def test_an_old_text_naming_an_unknown_body_or_right_is_left_as_it_was():
    member, _staff = admitted_member()
    event = MemberEvent.objects.create(member=member, to_status="suspended", reason="取消权利：发言权")
    migration.steps_from_texts(apps, None)
    event.refresh_from_db()
    assert (event.step, event.reason) == ("", "取消权利：发言权")


def test_a_refusal_by_staff_reading_english_is_recorded_in_the_portals_language():
    from alliance.tests.factories import staff_of
    from members.tests.factories import submitted_application

    application = submitted_application()
    with translation.override("en"):
        services.application_reject(actor=staff_of(application.alliance), application=application, reason="材料不全")
    assert application.history.latest("history_id").history_change_reason == "不予批准：材料不全"


def test_history_reasons_are_written_in_the_portals_language_whatever_the_actor_reads():
    from alliance.tests.factories import staff_of
    from members.tests.factories import ApplicationFactory

    application = ApplicationFactory()
    with translation.override("en"):
        services.application_submit(actor=application.applicant, application=application)
        member = services.application_approve(actor=staff_of(application.alliance), application=application)
    reasons = [h.history_change_reason for h in application.history.order_by("history_id")]
    assert reasons[-2:] == ["提交申请", "秘书处审查批准"]
    assert member.certificates.get().history.get().history_change_reason == "发放成员证书"
