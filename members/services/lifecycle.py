"""The member lifecycle: renewal, lapse, withdrawal, sanctions, expulsion, liaisons, and the daily expiry job."""

from django.utils.translation import gettext, gettext_lazy
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from alliance.dates import day_text
from alliance.permissions import require_manage_alliance
from alliance.models import Notice
from alliance.permissions import secretariat_staff
from alliance.services import checked_and_saved, notify, site_language
from governance import effects

from ..models import ExpiryReminder, Kind, Liaison, Member, MemberEvent
from .certificates import certificate_reissue
from .common import (
    M, _add_months, _ctx, _lock_member, _refuse, _refuse_second_membership, _years_later, member_people,
)
from .decisions import WITHDRAWAL_KINDS, decision_check, steps_check

REMINDER_DAYS = (60, 30, 7)


Step = MemberEvent.Step


def _set_status(member, to_status, *, actor, step, details=None, reason="", decisions=()):
    """Move the member to to_status and record the step: its event, the status note and the history row (these
    two in the portal's language, as records are)."""
    previous = member.status
    member.status = to_status
    event = MemberEvent(member=member, from_status=previous, to_status=to_status, actor=actor, step=step,
                        details=details or {}, reason=reason)
    with site_language():
        member.status_reason = event.summary
    checked_and_saved(member, actor=actor, reason=member.status_reason)
    event.save()
    event.decisions.set(decisions)
    return member


@transaction.atomic
def member_renew(*, actor, member):
    """Start a new term (001 art. 19: five years, renewable) from the end of the current one, or today if lapsed."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    rules = member.alliance.rules
    if not rules.member_term_years:
        _refuse(gettext("本联盟成员长期有效，无需续期。"))
    if not rules.term_renewable:
        _refuse(gettext("章程规定成员任期不可连任。"))
    if member.status not in (M.ACTIVE, M.LAPSED):
        _refuse(gettext("成员当前状态为“%(display)s”，不能续期。") % {"display": member.get_status_display()})
    if member.status == M.LAPSED:  # the account may have joined again since this membership lapsed
        _refuse_second_membership(member.alliance, member.user, keep=member)
    today = timezone.localdate()
    start = member.term_ends_on if member.term_ends_on and member.term_ends_on >= today else today
    member.term_ends_on = _years_later(start, rules.member_term_years)
    _set_status(member, M.ACTIVE, actor=actor, step=Step.RENEWED)
    certificate_reissue(actor=actor, member=member, reason=gettext_lazy("续期后换发证书"))
    return member


def _lapse(member, *, actor, today):
    if member.status != M.ACTIVE or not member.term_expired(today):
        _refuse(gettext("只有任期已届满的正常成员可以标记为期满未续。"))
    member.ended_on = today
    _set_status(member, M.LAPSED, actor=actor, step=Step.LAPSED, details={"day": member.term_ends_on.isoformat()})
    return member


@transaction.atomic
def member_lapse(*, actor, member):
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    return _lapse(member, actor=actor, today=timezone.localdate())


def _decision_notify(member, *, what, decisions=()):
    """Tell the member what was decided about its membership, naming the decisions it rests on."""
    notify(
        to=member_people(member), kind=Notice.DECISIONS, alliance=member.alliance,
        subject=f"{member.alliance.name}：{what}", template="members/email/member_decision.txt",
        context=_ctx(member=member, what=what, decisions=list(decisions)),
    )


def _withdrawal_notice(member, *, actor, notice_date, reason, step, details=None):
    """Record a written notice to leave, given on notice_date: the notice period runs from that day (000 art. 9),
    or the approving body decides where the charter says so (001 art. 18)."""
    if member.status not in (M.ACTIVE, M.SUSPENDED):
        _refuse(gettext("成员当前状态为“%(display)s”，不能申请退出。") % {"display": member.get_status_display()})
    rules = member.alliance.rules
    member.withdrawal_requested_on = notice_date
    member.withdrawal_effective_on = (
        None if rules.withdrawal_needs_approval else _add_months(notice_date, rules.withdrawal_notice_months)
    )
    return _set_status(member, M.WITHDRAWAL_REQUESTED, actor=actor, step=step, details=details, reason=reason)


@transaction.atomic
def member_request_withdrawal(*, actor, member, reason):
    """The member asks to leave (000 art. 9: written notice a month ahead; 001 art. 18: by approval)."""
    member = _lock_member(member)
    if actor is None or actor.pk != member.user_id:
        raise PermissionDenied(gettext("只有成员本人可以申请退出。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": gettext("请填写退出说明（书面通知）。")})
    member = _withdrawal_notice(member, actor=actor, notice_date=timezone.localdate(), reason=reason.strip(),
                                step=Step.WITHDRAWAL_NOTICE)
    with site_language():
        notify(
            to=secretariat_staff(member.alliance), kind=Notice.SECRETARIAT, alliance=member.alliance,
            subject=gettext("%(name)s：%(name2)s提交退会通知") % {"name": member.alliance.display_short_name, "name2": member.name},
            template="members/email/staff_withdrawal.txt", context=_ctx(member=member),
        )
    return member


@transaction.atomic
def member_withdrawal_record(*, actor, member, notice_date, note):
    """Staff record a member's written notice to leave received on paper, dated when it was given; members
    without an account leave this way (000 art. 9; 001 art. 18)."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    if notice_date > timezone.localdate():
        raise ValidationError({"notice_date": gettext("通知日期不能晚于今天。")})
    if not (note or "").strip():
        raise ValidationError({"note": gettext("请填写书面通知的内容或编号。")})
    return _withdrawal_notice(
        member, actor=actor, notice_date=notice_date, reason=note.strip(),
        step=Step.WITHDRAWAL_ON_PAPER, details={"day": notice_date.isoformat()},
    )


@transaction.atomic
def member_withdraw(*, actor, member, decision=None):
    """Complete a withdrawal: after the notice period (000 art. 9), or where the charter requires approval,
    from the approving body's passed motion (001 art. 18: the guidance committee, the admission body)."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    if member.status != M.WITHDRAWAL_REQUESTED:
        _refuse(gettext("成员尚未申请退出。"))
    rules = member.alliance.rules
    today = timezone.localdate()
    decisions = []
    if rules.withdrawal_needs_approval:
        decisions = [decision_check(decision, alliance=member.alliance, body_kinds=[rules.admission_body_kind],
                                    kinds=WITHDRAWAL_KINDS, record=member)]
        member.decision = decision
        step, details = Step.WITHDRAWN_BY_APPROVAL, {"body": rules.admission_body_kind}
    else:
        if member.withdrawal_effective_on and today < member.withdrawal_effective_on:
            _refuse(gettext("退会通知期未满，%(day)s后方可办理退出。") % {"day": day_text(member.withdrawal_effective_on)})
        step, details = Step.WITHDRAWN, None
    member.ended_on = today
    _set_status(member, M.WITHDRAWN, actor=actor, step=step, details=details, decisions=decisions)
    with site_language():
        _decision_notify(member, what=gettext("退出联盟手续已办结"), decisions=decisions)
    return member


def sanction_deciders(rules):
    """effects deciders for EXPEL_MEMBER and SANCTION_MEMBER: the bodies of each step (000 art. 10, 001 art. 22)."""
    return rules.sanction_body_list


def _rights_checked(rights):
    rights = list(dict.fromkeys(rights or ()))
    if not rights:
        raise ValidationError({"rights": gettext("请选择取消的权利。")})
    if set(rights) - set(Member.Right.values):
        raise ValidationError({"rights": gettext("取消的权利无效。")})
    return rights


@transaction.atomic
def member_suspend(*, actor, member, rights, decisions):
    """Revoke the named rights (取消部分权利) from the passed SANCTION_MEMBER motions of every deciding body in
    order (001 art. 22 (二): the all-member meeting, then the guidance committee). A suspended right to vote or
    to stand is refused on the member's representatives' seats (governance.effects)."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    rights = _rights_checked(rights)
    if member.status != M.ACTIVE:
        _refuse(gettext("成员当前状态为“%(display)s”，不能取消权利。") % {"display": member.get_status_display()})
    decisions = steps_check(member, decisions, kind=effects.SANCTION_MEMBER)
    member.suspended_rights = rights
    member.decision = decisions[-1]
    _set_status(member, M.SUSPENDED, actor=actor, step=Step.SUSPENDED, details={"rights": rights}, decisions=decisions)
    with site_language():
        _decision_notify(member, what=gettext("取消成员权利（%(display)s）") % {"display": member.suspended_rights_display}, decisions=decisions)
    return member


@transaction.atomic
def member_sanction_lift(*, actor, member, decisions):
    """Restore the suspended rights from later passed SANCTION_MEMBER motions of the same bodies, in order."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    if member.status != M.SUSPENDED:
        _refuse(gettext("该成员没有被取消的权利。"))
    decisions = steps_check(member, decisions, kind=effects.SANCTION_MEMBER, after=member.decision.voting_closed_at)
    rights = member.suspended_rights
    member.suspended_rights = []
    member.decision = None
    _set_status(member, M.ACTIVE, actor=actor, step=Step.RESTORED, details={"rights": rights}, decisions=decisions)
    with site_language():
        lifted = gettext("、").join(str(Member.Right(right).label) for right in rights)
        _decision_notify(member, what=gettext("恢复成员权利（%(lifted)s）") % {"lifted": lifted}, decisions=decisions)
    return member


@transaction.atomic
def member_expel(*, actor, member, decisions):
    """Expel from the passed EXPEL_MEMBER motions of every deciding body in order (000 art. 10: the council;
    001 art. 22 (二): the all-member meeting, then the guidance committee). A passed motion completing the
    steps expels through the handler; staff choose the motions here when it could not."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    decisions = steps_check(member, decisions, kind=effects.EXPEL_MEMBER)
    return _expel(member, actor=actor, step=Step.EXPELLED, decisions=decisions)


def _expel(member, *, actor, step, decisions):
    if member.status in (M.WITHDRAWN, M.EXPELLED):
        _refuse(gettext("成员当前状态为“%(display)s”，不能除名。") % {"display": member.get_status_display()})
    member.decision = decisions[-1]
    member.ended_on = timezone.localdate()
    _set_status(member, M.EXPELLED, actor=actor, step=step, decisions=decisions)
    with site_language():
        _decision_notify(member, what=gettext("除名决定"), decisions=decisions)
    return member


@transaction.atomic
def liaison_set(*, actor, member, name, title, phone, email):
    member = _lock_member(member)
    if actor is None or actor.pk != member.user_id:
        require_manage_alliance(actor, member.alliance)
    if member.kind != Kind.UNIT:
        _refuse(gettext("只有单位成员需要指定联络员。"))
    if member.has_left:
        _refuse(gettext("成员%(display)s，不能再指定联络员。") % {"display": member.get_status_display()})
    liaison = Liaison.objects.filter(member=member).first() or Liaison(member=member)
    liaison.name, liaison.title, liaison.phone, liaison.email = name, title, phone, email
    checked_and_saved(liaison, actor=actor, reason=gettext_lazy("指定联络员"))
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
                with site_language():
                    notify(
                        to=member_people(member), kind=Notice.MEMBERSHIP, alliance=member.alliance,
                        subject=gettext("%(name)s：成员任期将于%(left)s天后届满") % {"name": member.alliance.name, "left": days_left},
                        template="members/email/expiry_reminder.txt", context=_ctx(member=member, days=days_left),
                    )
                reminded += 1
    return {"lapsed": lapsed, "reminded": reminded}
