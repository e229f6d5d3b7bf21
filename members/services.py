"""Every write of the members app: one function per business action, each checking its transition.

Services are ``@transaction.atomic`` (not durable): the governance service that closes a passed motion calls
the admission and expulsion handlers inside its own transaction, and ``loaddemo`` runs in one transaction too.
"""

import calendar
import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from alliance.models import CharterRules
from alliance.permissions import require_manage_alliance
from alliance.queueing import enqueue_on_commit
from alliance.services import email_queue, with_history

from . import validators as v
from .models import (
    Application, ApplicationEvent, Attachment, Certificate, ExpiryReminder, Kind, Liaison, Member, MemberEvent,
    MemberNumberCounter,
)

logger = logging.getLogger(__name__)
S = Application.Status
M = Member.Status
Route = CharterRules.AdmissionRoute
REMINDER_DAYS = (60, 30, 7)


class TransitionNotAllowed(ValidationError):
    pass


def _refuse(message):
    raise TransitionNotAllowed(message, code="transition")


def _require_applicant(actor, application):
    if actor is None or actor.pk != application.applicant_id:
        raise PermissionDenied("只有申请人本人可以修改或提交该申请。")


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _years_later(day, years):
    return _add_months(day, 12 * years)


def _ctx(**extra):
    return {"site_url": settings.SITE_URL, **extra}


# --- Applications -------------------------------------------------------------------------------------------


def _application_event(application, *, from_status, actor, reason="", reference=""):
    ApplicationEvent.objects.create(
        application=application, from_status=from_status, to_status=application.status, actor=actor,
        reason=reason, reference=reference,
    )


def _lock_application(application):
    return Application.objects.select_for_update(of=("self",)).select_related("alliance__rules", "applicant").get(
        pk=application.pk
    )


def application_fields(kind):
    common = ["address", "postcode", "field_of_work", "consent_charter", "consent_voluntary"]
    if kind == Kind.UNIT:
        return [
            "unit_name", "unit_type", "credit_code", "province", "city", "county", "head_name", "head_title",
            "head_phone", "head_email", "contact_name", "contact_title", "contact_office_phone", "contact_mobile",
            "contact_email", "contact_im", "description", *common,
        ]
    return [
        "person_name", "gender", "birth_date", "ethnicity", "employer", "professional_title", "position",
        "office_phone", "mobile", "email", "achievements", *common,
    ]


@transaction.atomic
def application_save_draft(*, actor, alliance, kind, data, application=None):
    """Create or update a draft (or a returned application) with the fields given; nothing else changes."""
    rules = alliance.rules
    if application is None:
        if not rules.accepts_applications:
            _refuse("本联盟成员由章程确定，不接受入会申请。")
        application = Application(alliance=alliance, applicant=actor, kind=kind)
    else:
        application = _lock_application(application)
        _require_applicant(actor, application)
        if not application.is_editable:
            _refuse("该申请已提交或已审结，不能再修改。")
    allowed = set(application_fields(application.kind))
    for name, value in data.items():
        if name in allowed:
            setattr(application, name, "" if value is None and name != "birth_date" else value)
    application.full_clean()
    created = application.pk is None
    with_history(application, actor=actor, reason="创建申请草稿" if created else "保存申请").save()
    if created:
        _application_event(application, from_status="", actor=actor, reason="创建申请草稿")
    return application


@transaction.atomic
def attachment_add(*, actor, application, uploaded):
    """Store one uploaded file as evidence of an editable application, after checking it by content."""
    application = _lock_application(application)
    _require_applicant(actor, application)
    if not application.is_editable:
        _refuse("该申请已提交或已审结，不能再上传附件。")
    if application.attachments.count() >= v.MAX_ATTACHMENTS:
        raise ValidationError(f"每份申请最多上传 {v.MAX_ATTACHMENTS} 个附件。", code="too_many")
    content_type = v.inspect_upload(uploaded)
    attachment = Attachment(
        application=application, original_name=v.sanitize_filename(uploaded.name), content_type=content_type,
        size=uploaded.size, uploaded_by=actor,
    )
    attachment.file.save("upload", uploaded, save=False)
    with_history(attachment, actor=actor, reason="上传附件").save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment):
    application = _lock_application(attachment.application)
    _require_applicant(actor, application)
    if not application.is_editable:
        _refuse("该申请已提交或已审结，不能删除附件。")
    name = attachment.file.name
    with_history(attachment, actor=actor, reason="删除附件").delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(name))


@transaction.atomic
def application_submit(*, actor, application):
    application = _lock_application(application)
    _require_applicant(actor, application)
    if not application.is_editable:
        _refuse("只有草稿或退回修改的申请可以提交。")
    if not application.alliance.rules.accepts_applications:
        _refuse("本联盟成员由章程确定，不接受入会申请。")
    missing = application.missing_for_submit()
    if missing:
        raise ValidationError(missing)
    application.full_clean()
    previous = application.status
    application.status = S.SUBMITTED
    application.submitted_at = timezone.now()
    reason = "重新提交申请" if previous == S.RETURNED else "提交申请"
    with_history(application, actor=actor, reason=reason).save()
    _application_event(application, from_status=previous, actor=actor, reason=reason)
    email_queue(
        to=application.notify_email, subject=f"{application.alliance.name}：已收到您的入会申请",
        template="members/email/received.txt", context=_ctx(application=application),
    )
    return application


@transaction.atomic
def application_approve(*, actor, application, reference=""):
    """Approve as the charter routes it (000 art. 6, 001 art. 17, 000 art. 11).

    SECRETARIAT: staff approval admits. BODY_CONSENT: staff record the body's consent by its reference, which
    admits. MOTION: the application waits for the council; a passed ADMIT_MEMBER motion admits it later through
    ``admit_member_on_motion``. Returns the Member, or None when the application now waits for a decision.
    """
    application = _lock_application(application)
    require_manage_alliance(actor, application.alliance)
    if application.status != S.SUBMITTED:
        _refuse(f"申请当前状态为“{application.get_status_display()}”，不能批准。")
    rules = application.alliance.rules
    reference = reference.strip()
    if rules.admission_route == Route.SECRETARIAT:
        return _admit(application, actor=actor, reason="秘书处审查批准", reference=reference)
    if rules.admission_route == Route.BODY_CONSENT:
        if not reference:
            raise ValidationError({"reference": "请填写审批机构同意入会的决定依据（如会议纪要或文号）。"})
        return _admit(application, actor=actor, reason="审批机构同意入会", reference=reference)
    if rules.admission_route == Route.MOTION:
        application.status = S.PENDING_DECISION
        with_history(application, actor=actor, reason="秘书处审查通过，提交决策机构表决").save()
        _application_event(
            application, from_status=S.SUBMITTED, actor=actor, reason="秘书处审查通过，提交决策机构表决",
            reference=reference,
        )
        return None
    _refuse("本联盟成员由章程确定，不接受入会申请。")


def admit_member_on_motion(*, motion, actor):
    """governance.effects handler for ADMIT_MEMBER: the passed motion admits its subject application."""
    with transaction.atomic():
        application = _lock_application(motion.subject)
        if application.status not in (S.PENDING_DECISION, S.SUBMITTED):
            _refuse(f"申请当前状态为“{application.get_status_display()}”，不能依表决结果入会。")
        return _admit(application, actor=actor, reason="决策机构表决通过入会", reference=str(motion))


def expel_member_on_motion(*, motion, actor):
    """governance.effects handler for EXPEL_MEMBER: the passed motion expels its subject member."""
    with transaction.atomic():
        member = _lock_member(motion.subject)
        return _expel(member, actor=actor, reason="决策机构表决通过除名", reference=str(motion))


def _next_member_number(alliance, year):
    counter, _ = MemberNumberCounter.objects.get_or_create(alliance=alliance, year=year)
    # The lock makes concurrent admissions in one alliance and year draw numbers one after another.
    counter = MemberNumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_seq += 1
    counter.save(update_fields=["last_seq"])
    return alliance.rules.format_member_number(year=year, seq=counter.last_seq)


def _admit(application, *, actor, reason, reference):
    """Create the member from a locked application, number it, name its liaison and issue the certificate."""
    today = timezone.localdate()
    rules = application.alliance.rules
    previous = application.status
    application.status = S.APPROVED
    application.decided_at = timezone.now()
    application.decision_reference = reference
    with_history(application, actor=actor, reason=reason).save()
    _application_event(application, from_status=previous, actor=actor, reason=reason, reference=reference)
    member = Member(
        alliance=application.alliance, application=application, user=application.applicant, kind=application.kind,
        name=application.display_name, number=_next_member_number(application.alliance, today.year),
        admitted_on=today, admission_reference=reference,
        term_ends_on=_years_later(today, rules.member_term_years) if rules.member_term_years else None,
    )
    member.full_clean()
    with_history(member, actor=actor, reason=reason).save()
    MemberEvent.objects.create(member=member, to_status=member.status, actor=actor, reason=reason, reference=reference)
    if application.kind == Kind.UNIT and application.contact_name and application.contact_email:
        Liaison.objects.create(
            member=member, name=application.contact_name, title=application.contact_title,
            phone=application.contact_mobile or application.contact_office_phone, email=application.contact_email,
        )
    email_queue(
        to=application.notify_email, subject=f"{application.alliance.name}：您的入会申请已批准",
        template="members/email/approved.txt", context=_ctx(application=application, member=member),
    )
    _certificate_issue(member, actor=actor)
    return member


def _decide_against(application, *, actor, reason, to_status, label, template, subject):
    if not (reason or "").strip():
        raise ValidationError({"reason": f"{label}须说明理由，申请人将看到该理由。"})
    application = _lock_application(application)
    require_manage_alliance(actor, application.alliance)
    if application.status not in (S.SUBMITTED, S.PENDING_DECISION):
        _refuse(f"申请当前状态为“{application.get_status_display()}”，不能{label}。")
    previous = application.status
    application.status = to_status
    application.review_note = reason.strip()
    if to_status == S.REJECTED:
        application.decided_at = timezone.now()
    with_history(application, actor=actor, reason=f"{label}：{reason.strip()}").save()
    _application_event(application, from_status=previous, actor=actor, reason=reason.strip())
    email_queue(
        to=application.notify_email, subject=f"{application.alliance.name}：{subject}", template=template,
        context=_ctx(application=application),
    )
    return application


@transaction.atomic
def application_reject(*, actor, application, reason):
    return _decide_against(
        application, actor=actor, reason=reason, to_status=S.REJECTED, label="不予批准",
        template="members/email/rejected.txt", subject="您的入会申请未获批准",
    )


@transaction.atomic
def application_return(*, actor, application, reason):
    return _decide_against(
        application, actor=actor, reason=reason, to_status=S.RETURNED, label="退回修改",
        template="members/email/returned.txt", subject="您的入会申请需要修改",
    )


# --- Members ------------------------------------------------------------------------------------------------


def _lock_member(member):
    return Member.objects.select_for_update(of=("self",)).select_related("alliance__rules", "user").get(pk=member.pk)


def _set_status(member, to_status, *, actor, reason, reference=""):
    previous = member.status
    member.status = to_status
    member.status_reason = reason
    member.full_clean()
    with_history(member, actor=actor, reason=reason).save()
    MemberEvent.objects.create(
        member=member, from_status=previous, to_status=to_status, actor=actor, reason=reason, reference=reference
    )
    return member


def member_notify_email(member):
    liaison = getattr(member, "liaison", None)
    if liaison is not None:
        return liaison.email
    if member.application_id and member.application.notify_email:
        return member.application.notify_email
    return member.user.email if member.user_id else ""


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


@transaction.atomic
def member_request_withdrawal(*, actor, member, reason):
    """The member asks to leave (000 art. 9: written notice a month ahead; 001 art. 18: by approval)."""
    member = _lock_member(member)
    if actor is None or actor.pk != member.user_id:
        raise PermissionDenied("只有成员本人可以申请退出。")
    if member.status not in (M.ACTIVE, M.SUSPENDED):
        _refuse(f"成员当前状态为“{member.get_status_display()}”，不能申请退出。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写退出说明（书面通知）。"})
    rules = member.alliance.rules
    today = timezone.localdate()
    member.withdrawal_requested_on = today
    member.withdrawal_effective_on = (
        None if rules.withdrawal_needs_approval else _add_months(today, rules.withdrawal_notice_months)
    )
    _set_status(member, M.WITHDRAWAL_REQUESTED, actor=actor, reason=reason.strip())
    return member


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
    liaison.full_clean()
    with_history(liaison, actor=actor, reason="指定联络员").save()
    return liaison


# --- Certificates -------------------------------------------------------------------------------------------


def _certificate_issue(member, *, actor):
    from .tasks import certificate_render

    certificate = Certificate(member=member, issued_on=timezone.localdate(), valid_until=member.term_ends_on)
    with_history(certificate, actor=actor, reason="发放成员证书").save()
    enqueue_on_commit(certificate_render, certificate.pk)
    return certificate


@transaction.atomic
def certificate_reissue(*, actor, member, reason="换发证书"):
    """Revoke the current certificate (its QR page then says revoked) and issue a new one."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    if member.is_ended:
        _refuse("成员资格已终止，不能换发证书。")
    for old in Certificate.objects.select_for_update().filter(member=member, revoked_at__isnull=True):
        old.revoked_at = timezone.now()
        old.revoked_reason = reason
        with_history(old, actor=actor, reason=reason).save(update_fields=["revoked_at", "revoked_reason"])
    return _certificate_issue(member, actor=actor)


def certificate_render(*, certificate_id):
    """Render one pending certificate to its PDF; a ready, revoked or missing one is left alone (idempotent)."""
    from alliance.pdf import render_pdf

    from .documents import certificate_context

    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update()
            .select_related("member__alliance__rules")
            .filter(pk=certificate_id, status=Certificate.Status.PENDING, revoked_at__isnull=True)
            .first()
        )
        if certificate is None:
            return False
        certificate.attempts += 1
        pdf = render_pdf("members/pdf/certificate.html", certificate_context(certificate))
        # A deterministic name: a retry overwrites its own earlier attempt instead of leaving a second file.
        name = f"members/certificates/{certificate.token}.pdf"
        if certificate.file.storage.exists(name):
            certificate.file.storage.delete(name)
        certificate.file.save(f"{certificate.token}.pdf", ContentFile(pdf), save=False)
        certificate.status = Certificate.Status.READY
        with_history(certificate, actor=None, reason="证书已生成").save()
        member = certificate.member
        email_queue(
            to=member_notify_email(member), subject=f"{member.alliance.name}：成员证书已生成",
            template="members/email/certificate_ready.txt", context=_ctx(member=member, certificate=certificate),
        )
    return True


def certificate_pending_ids(*, older_than_seconds=300, max_attempts=10):
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    return list(
        Certificate.objects.filter(
            status=Certificate.Status.PENDING, revoked_at__isnull=True, created_at__lt=cutoff, attempts__lt=max_attempts
        ).order_by("pk").values_list("pk", flat=True)[:200]
    )


# --- The daily job ------------------------------------------------------------------------------------------


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
    for days in REMINDER_DAYS:
        due = today + datetime.timedelta(days=days)
        for member in Member.objects.filter(status=M.ACTIVE, term_ends_on=due).select_related(
            "alliance", "liaison", "application", "user"
        ):
            with transaction.atomic():
                _, created = ExpiryReminder.objects.get_or_create(
                    member=member, term_ends_on=member.term_ends_on, days_before=days
                )
                if created:
                    email_queue(
                        to=member_notify_email(member), subject=f"{member.alliance.name}：成员任期将于{days}天后届满",
                        template="members/email/expiry_reminder.txt", context=_ctx(member=member, days=days),
                    )
                    reminded += 1
    return {"lapsed": lapsed, "reminded": reminded}
