"""The member lifecycle: renewal, lapse, withdrawal, sanctions, expulsion, liaisons, and the daily expiry job."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

from alliance.permissions import require_manage_alliance
from alliance.services import checked_and_saved, email_queue

from ..models import ExpiryReminder, Kind, Liaison, Member, MemberEvent
from .certificates import certificate_reissue
from .common import (
    M, _add_months, _ctx, _lock_member, _refuse, _refuse_second_membership, _years_later, member_notify_email,
)

REMINDER_DAYS = (60, 30, 7)


def _set_status(member, to_status, *, actor, reason, reference=""):
    previous = member.status
    member.status = to_status
    member.status_reason = reason
    checked_and_saved(member, actor=actor, reason=reason)
    MemberEvent.objects.create(
        member=member, from_status=previous, to_status=to_status, actor=actor, reason=reason, reference=reference
    )
    return member


@transaction.atomic
def member_renew(*, actor, member, reason="任期届满续聘"):
    """Start a new term (001 art. 19: five years, renewable) from the end of the current one, or today if lapsed."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    rules = member.alliance.rules
    if not rules.member_term_years:
        _refuse("本联盟成员长期有效，无需续期。")
    if not rules.term_renewable:
        _refuse("章程规定成员任期不可连任。")
    if member.status not in (M.ACTIVE, M.LAPSED):
        _refuse(f"成员当前状态为“{member.get_status_display()}”，不能续期。")
    if member.status == M.LAPSED:  # the account may have joined again since this membership lapsed
        _refuse_second_membership(member.alliance, member.user, keep=member)
    today = timezone.localdate()
    start = member.term_ends_on if member.term_ends_on and member.term_ends_on >= today else today
    member.term_ends_on = _years_later(start, rules.member_term_years)
    _set_status(member, M.ACTIVE, actor=actor, reason=reason)
    certificate_reissue(actor=actor, member=member, reason="续期后换发证书")
    return member


def _lapse(member, *, actor, today):
    if member.status != M.ACTIVE or not member.term_expired(today):
        _refuse("只有任期已届满的正常成员可以标记为期满未续。")
    member.ended_on = today
    _set_status(member, M.LAPSED, actor=actor, reason=f"任期于{member.term_ends_on:%Y年%m月%d日}届满，未续聘")
    return member


@transaction.atomic
def member_lapse(*, actor, member):
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    return _lapse(member, actor=actor, today=timezone.localdate())


def _withdrawal_notice(member, *, actor, notice_date, reason):
    """Record a written notice to leave, given on notice_date: the notice period runs from that day (000 art. 9),
    or the approving body decides where the charter says so (001 art. 18)."""
    if member.status not in (M.ACTIVE, M.SUSPENDED):
        _refuse(f"成员当前状态为“{member.get_status_display()}”，不能申请退出。")
    rules = member.alliance.rules
    member.withdrawal_requested_on = notice_date
    member.withdrawal_effective_on = (
        None if rules.withdrawal_needs_approval else _add_months(notice_date, rules.withdrawal_notice_months)
    )
    return _set_status(member, M.WITHDRAWAL_REQUESTED, actor=actor, reason=reason)


@transaction.atomic
def member_request_withdrawal(*, actor, member, reason):
    """The member asks to leave (000 art. 9: written notice a month ahead; 001 art. 18: by approval)."""
    member = _lock_member(member)
    if actor is None or actor.pk != member.user_id:
        raise PermissionDenied("只有成员本人可以申请退出。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写退出说明（书面通知）。"})
    return _withdrawal_notice(member, actor=actor, notice_date=timezone.localdate(), reason=reason.strip())


@transaction.atomic
def member_withdrawal_record(*, actor, member, notice_date, note):
    """Staff record a member's written notice to leave received on paper, dated when it was given; members
    without an account leave this way (000 art. 9; 001 art. 18)."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    if notice_date > timezone.localdate():
        raise ValidationError({"notice_date": "通知日期不能晚于今天。"})
    if not (note or "").strip():
        raise ValidationError({"note": "请填写书面通知的内容或编号。"})
    return _withdrawal_notice(
        member, actor=actor, notice_date=notice_date,
        reason=f"{dateformat.format(notice_date, 'Y年n月j日')}书面通知退出（纸质，秘书处登记）：{note.strip()}",
    )


@transaction.atomic
def member_withdraw(*, actor, member, reference=""):
    """Complete a withdrawal: after the notice period, or with the approving body's decision where required."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    if member.status != M.WITHDRAWAL_REQUESTED:
        _refuse("成员尚未申请退出。")
    rules = member.alliance.rules
    today = timezone.localdate()
    reference = reference.strip()
    if rules.withdrawal_needs_approval:
        if not reference:
            raise ValidationError({"reference": "章程规定退出须经批准，请填写批准的决定依据。"})
        reason = "经批准退出联盟"
    else:
        if member.withdrawal_effective_on and today < member.withdrawal_effective_on:
            _refuse(f"退会通知期未满，{member.withdrawal_effective_on:%Y年%m月%d日}后方可办理退出。")
        reason = "退会通知期已满，退出联盟"
    member.ended_on = today
    member.decision_reference = reference
    _set_status(member, M.WITHDRAWN, actor=actor, reason=reason, reference=reference)
    return member


@transaction.atomic
def member_suspend(*, actor, member, rights, reference):
    """Revoke some rights by a recorded decision (001 art. 22 (二))."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    if not (reference or "").strip():
        raise ValidationError({"reference": "取消成员权利须有决定依据（决议文号）。"})
    if not (rights or "").strip():
        raise ValidationError({"rights": "请写明取消的权利。"})
    if member.status != M.ACTIVE:
        _refuse(f"成员当前状态为“{member.get_status_display()}”，不能取消权利。")
    member.suspended_rights = rights.strip()
    member.decision_reference = reference.strip()
    return _set_status(member, M.SUSPENDED, actor=actor, reason=f"取消权利：{rights.strip()}", reference=reference)


@transaction.atomic
def member_expel(*, actor, member, reference):
    """Expel by a recorded decision (000 art. 10: council vote). Passed motions come through the handler."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    if not (reference or "").strip():
        raise ValidationError({"reference": "除名须有决定依据（决议文号）。"})
    return _expel(member, actor=actor, reason="依决议除名", reference=reference.strip())


def _expel(member, *, actor, reason, reference):
    if member.status in (M.WITHDRAWN, M.EXPELLED):
        _refuse(f"成员当前状态为“{member.get_status_display()}”，不能除名。")
    member.decision_reference = reference
    member.ended_on = timezone.localdate()
    return _set_status(member, M.EXPELLED, actor=actor, reason=reason, reference=reference)


@transaction.atomic
def liaison_set(*, actor, member, name, title, phone, email):
    member = _lock_member(member)
    if actor is None or actor.pk != member.user_id:
        require_manage_alliance(actor, member.alliance)
    if member.kind != Kind.UNIT:
        _refuse("只有单位成员需要指定联络员。")
    liaison = Liaison.objects.filter(member=member).first() or Liaison(member=member)
    liaison.name, liaison.title, liaison.phone, liaison.email = name, title, phone, email
    checked_and_saved(liaison, actor=actor, reason="指定联络员")
    return liaison


def members_expiry_run(*, today=None):
    """Lapse members whose term has ended and remind those whose term ends in 60, 30 or 7 days.

    Safe to run twice a day: a lapse needs an active member, and a reminder row is unique per member, term end
    and distance, so the second run finds nothing to do.
    """
    today = today or timezone.localdate()
    lapsed = reminded = 0
    for member_id in Member.objects.filter(status=M.ACTIVE, term_ends_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            member = _lock_member(Member(pk=member_id))
            if member.status == M.ACTIVE and member.term_expired(today):
                _lapse(member, actor=None, today=today)
                lapsed += 1
    # The reminder due is the nearest threshold not yet passed: a day the job missed is caught up the next day,
    # and a member first seen 20 days before expiry gets the 30-day reminder only, not the 60-day one as well.
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    ending = Member.objects.filter(status=M.ACTIVE, term_ends_on__gte=today, term_ends_on__lte=horizon)
    for member in ending.select_related("alliance", "liaison", "application", "user"):
        days_left = (member.term_ends_on - today).days
        due = min(t for t in REMINDER_DAYS if t >= days_left)
        with transaction.atomic():
            already = ExpiryReminder.objects.filter(
                member=member, term_ends_on=member.term_ends_on, days_before__lte=due
            ).exists()
            if already:
                continue
            _, created = ExpiryReminder.objects.get_or_create(
                member=member, term_ends_on=member.term_ends_on, days_before=due
            )
            if created:
                email_queue(
                    to=member_notify_email(member), subject=f"{member.alliance.name}：成员任期将于{days_left}天后届满",
                    template="members/email/expiry_reminder.txt", context=_ctx(member=member, days=days_left),
                )
                reminded += 1
    return {"lapsed": lapsed, "reminded": reminded}
