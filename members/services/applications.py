"""Applications (000 arts. 5–6, 001 art. 17): drafts, attachments, submission, review and admission."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliance import numbering
from alliance.permissions import require_manage_alliance
from alliance.services import checked_and_saved, email_queue, with_history
from alliance.uploads import safe_name, uploads_check
from governance import effects

from .. import validators as v
from ..models import Application, ApplicationEvent, Attachment, Kind, Liaison, Member, MemberEvent
from .certificates import _certificate_issue
from .common import (
    S, Route, _ctx, _lock_member, _refuse, _refuse_own_application, _refuse_second_membership, _require_applicant,
    _years_later,
)
from .lifecycle import _expel


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
def application_save(*, actor, alliance, kind, data, uploads=(), application=None, submit=False):
    """Save a new draft, or an editable application, with the fields and files given; with submit, submit it.

    One transaction, one history row. Every check runs before anything is written, so a refused submit leaves
    the application as it was and the caller can keep the same input as a draft. Formats are the form's to
    check and the database enforces the constraints; the charter's rules are checked here.
    """
    created = application is None
    if created:
        application = Application(alliance=alliance, applicant=actor, kind=kind)
    else:
        application = _lock_application(application)
        _require_applicant(actor, application)
        if not application.is_editable:
            _refuse("只有草稿或退回修改的申请可以提交。" if submit else "该申请已提交或已审结，不能再修改。")
    if (created or submit) and not application.alliance.rules.accepts_applications:
        _refuse("本联盟成员由章程确定，不接受入会申请。")
    allowed = set(application_fields(application.kind))
    for name, value in data.items():
        if name in allowed:
            setattr(application, name, "" if value is None and name != "birth_date" else value)
    if submit:
        _refuse_second_membership(application.alliance, actor)
        missing = application.missing_for_submit()  # 000 art. 5: the form filled in and both consents given
        if missing:
            raise ValidationError(missing)
    application.clean()
    content_types = _uploads_checked(application, uploads)
    previous = application.status
    if submit:
        application.status = S.SUBMITTED
        application.submitted_at = timezone.now()
        reason = "重新提交申请" if previous == S.RETURNED else "提交申请"
    else:
        reason = "创建申请草稿" if created else "保存申请"
    with_history(application, actor=actor, reason=reason).save()
    for uploaded, content_type in zip(uploads, content_types, strict=True):
        _attachment_create(application, uploaded, content_type=content_type, actor=actor)
    events = []
    if created:
        events.append(ApplicationEvent(application=application, to_status=S.DRAFT, actor=actor, reason="创建申请草稿"))
    if submit:
        events.append(ApplicationEvent(
            application=application, from_status=previous, to_status=application.status, actor=actor, reason=reason
        ))
    ApplicationEvent.objects.bulk_create(events)
    if submit:
        email_queue(
            to=application.notify_email, subject=f"{application.alliance.name}：已收到您的入会申请",
            template="members/email/received.txt", context=_ctx(application=application),
        )
    return application


def application_submit(*, actor, application):
    """Submit a saved draft or returned application as it stands."""
    return application_save(
        actor=actor, alliance=application.alliance, kind=application.kind, data={}, application=application,
        submit=True,
    )


def _uploads_checked(application, uploads):
    """The content type of each upload, judged by its content, once all of them fit on the application."""
    if not uploads:
        return []
    held = application.attachments.count() if application.pk else 0
    try:
        return uploads_check(uploads, kind=v.ATTACHMENTS, held=held)
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from exc


def _attachment_create(application, uploaded, *, content_type, actor):
    attachment = Attachment(
        application=application, original_name=safe_name(uploaded.name), content_type=content_type,
        size=uploaded.size, uploaded_by=actor,
    )
    attachment.file.save("upload", uploaded, save=False)
    with_history(attachment, actor=actor, reason="上传附件").save()
    return attachment


@transaction.atomic
def attachment_add(*, actor, application, uploaded):
    """Store one uploaded file as evidence of an editable application, after checking it by content."""
    application = _lock_application(application)
    _require_applicant(actor, application)
    if not application.is_editable:
        _refuse("该申请已提交或已审结，不能再上传附件。")
    [content_type] = _uploads_checked(application, [uploaded])
    return _attachment_create(application, uploaded, content_type=content_type, actor=actor)


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
def application_approve(*, actor, application, reference=""):
    """Approve as the charter routes it (000 art. 6, 001 art. 17, 000 art. 11).

    SECRETARIAT: staff approval admits. BODY_CONSENT: staff record the body's consent by its reference, which
    admits. MOTION: the application waits for the council; a passed ADMIT_MEMBER motion admits it later through
    ``admit_member_on_motion``. Returns the Member, or None when the application now waits for a decision.
    """
    application = _lock_application(application)
    require_manage_alliance(actor, application.alliance)
    _refuse_own_application(actor, application)
    if application.status != S.SUBMITTED:
        _refuse(f"申请当前状态为“{application.get_status_display()}”，不能批准。")
    _refuse_second_membership(application.alliance, application.applicant)
    rules = application.alliance.rules
    reference = reference.strip()
    if rules.admission_route == Route.SECRETARIAT:
        return _admit(application, actor=actor, reason="秘书处审查批准", reference=reference)
    if rules.admission_route == Route.BODY_CONSENT:
        if not reference:
            body = _body_label(rules.admission_body_kind)
            raise ValidationError({"reference": f"请填写{body}同意入会的决定依据（如会议纪要或文号）。"})
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


def _body_label(kind):
    from governance.models import Body

    return Body.Kind(kind).label if kind in Body.Kind.values else "审批机构"


def admit_member_on_motion(*, motion, actor):
    """governance.effects handler for ADMIT_MEMBER: the passed motion admits its subject applications.

    The applications are read again under their row lock as applications of the motion's own alliance; a
    motion of another kind, or naming anything else, is refused and changes nothing.
    """
    with transaction.atomic():
        members = []
        for application in effects.motion_subjects(motion, model=Application):
            application = _lock_application(application)
            if application.status not in (S.PENDING_DECISION, S.SUBMITTED):
                _refuse(f"申请当前状态为“{application.get_status_display()}”，不能依表决结果入会。")
            members.append(_admit(application, actor=actor, reason="决策机构表决通过入会", reference=str(motion)))
        return members


def expel_member_on_motion(*, motion, actor):
    """governance.effects handler for EXPEL_MEMBER: the passed motion expels its subject member (read again
    under its row lock as a member of the motion's own alliance; refused otherwise)."""
    with transaction.atomic():
        [member] = effects.motion_subjects(motion, model=Member)
        return _expel(_lock_member(member), actor=actor, reason="决策机构表决通过除名", reference=str(motion))


def _next_member_number(alliance, year):
    seq = numbering.number_next(kind=numbering.Kind.MEMBER, alliance=alliance, year=year)
    return alliance.rules.format_member_number(year=year, seq=seq)


def _admit(application, *, actor, reason, reference):
    """Create the member from a locked application, number it, name its liaison and issue the certificate."""
    _refuse_second_membership(application.alliance, application.applicant)
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
    checked_and_saved(member, actor=actor, reason=reason)
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


@transaction.atomic
def member_enrol_by_charter(*, actor, alliance, name, kind, admitted_on, reference, user=None):
    """Enrol a member the charter itself names (002 art. 5: the six centres), without an application."""
    if actor is not None and not actor.is_superuser:
        require_manage_alliance(actor, alliance)
    rules = alliance.rules
    member = Member(
        alliance=alliance, user=user, kind=kind, name=name, admitted_on=admitted_on, admission_reference=reference,
        number=_next_member_number(alliance, admitted_on.year),
        term_ends_on=_years_later(admitted_on, rules.member_term_years) if rules.member_term_years else None,
    )
    checked_and_saved(member, actor=actor, reason=f"依章程确定为成员：{reference}")
    MemberEvent.objects.create(member=member, to_status=member.status, actor=actor, reason="依章程确定为成员",
                               reference=reference)
    _certificate_issue(member, actor=actor)
    return member


def _decide_against(application, *, actor, reason, to_status, label, template, subject):
    if not (reason or "").strip():
        raise ValidationError({"reason": f"{label}须说明理由，申请人将看到该理由。"})
    application = _lock_application(application)
    require_manage_alliance(actor, application.alliance)
    _refuse_own_application(actor, application)
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
