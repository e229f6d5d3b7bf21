"""Applications (000 arts. 5–6, 001 art. 17): drafts, attachments, submission, review and admission."""

from django.utils.translation import gettext, gettext_lazy
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliance import numbering
from alliance.models import Notice
from alliance.permissions import require_manage_alliance, secretariat_staff
from alliance.services import checked_and_saved, in_site_language, notify, notify_all, site_language, with_history
from alliance.uploads import safe_name, uploads_check
from governance import effects
from governance.models import Motion

from .. import validators as v
from ..models import Application, ApplicationEvent, Attachment, Kind, Liaison, Member, MemberEvent
from .certificates import _certificate_issue
from .common import (
    M, S, Route, _ctx, _lock_member, _refuse, _refuse_own_application, _refuse_second_membership,
    _refuse_unverified_email, _require_applicant, _years_later, application_people,
)
from .decisions import CONSENT_KINDS, decision_check, passed_steps, steps_check
from .lifecycle import _expel

Step = ApplicationEvent.Step


def _application_event(application, *, from_status, actor, step, reason="", decisions=()):
    event = ApplicationEvent.objects.create(
        application=application, from_status=from_status, to_status=application.status, actor=actor, step=step,
        reason=reason,
    )
    event.decisions.set(decisions)
    return event


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
            _refuse(gettext("只有草稿或退回修改的申请可以提交。") if submit else gettext("该申请已提交或已审结，不能再修改。"))
    if (created or submit) and not application.alliance.rules.accepts_applications:
        _refuse(gettext("本联盟成员由章程确定，不接受入会申请。"))
    allowed = set(application_fields(application.kind))
    for name, value in data.items():
        if name in allowed:
            setattr(application, name, "" if value is None and name != "birth_date" else value)
    if submit:
        _refuse_unverified_email(actor)
        _refuse_second_membership(application.alliance, actor)
        missing = application.missing_for_submit()  # 000 art. 5: the form filled in and both consents given
        if missing:
            raise ValidationError(missing)
        # A draft keeps values that failed a check as typed (members/forms.py): none of them is submitted.
        application.clean_fields(exclude=[f.name for f in Application._meta.fields if f.name not in allowed])
    application.clean()
    content_types = _uploads_checked(application, uploads)
    previous = application.status
    if submit:
        application.status = S.SUBMITTED
        application.submitted_at = timezone.now()
        reason = gettext_lazy("重新提交申请") if previous == S.RETURNED else gettext_lazy("提交申请")
    else:
        reason = gettext_lazy("创建申请草稿") if created else gettext_lazy("保存申请")
    with_history(application, actor=actor, reason=reason).save()
    for uploaded, content_type in zip(uploads, content_types, strict=True):
        _attachment_create(application, uploaded, content_type=content_type, actor=actor)
    events = []
    if created:
        events.append(ApplicationEvent(application=application, to_status=S.DRAFT, actor=actor, step=Step.CREATED))
    if submit:
        events.append(ApplicationEvent(
            application=application, from_status=previous, to_status=application.status, actor=actor,
            step=Step.RESUBMITTED if previous == S.RETURNED else Step.SUBMITTED,
        ))
    ApplicationEvent.objects.bulk_create(events)
    if submit:
        _submitted_notify(application, resubmitted=previous == S.RETURNED)
    return application


@in_site_language
def _submitted_notify(application, *, resubmitted):
    alliance = application.alliance
    what = gettext("重新提交的入会申请") if resubmitted else gettext("新的入会申请")
    notify_all([
        {"to": application_people(application), "kind": Notice.APPLICATIONS, "alliance": alliance,
         "subject": gettext("%(name)s：已收到您的入会申请") % {"name": alliance.name},
         "template": "members/email/received.txt", "context": _ctx(application=application)},
        {"to": secretariat_staff(alliance), "kind": Notice.SECRETARIAT, "alliance": alliance,
         "subject": f"{alliance.display_short_name}：{what}（{application.display_name}）",
         "template": "members/email/staff_application.txt", "context": _ctx(application=application, what=what)},
    ])


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
    with_history(attachment, actor=actor, reason=gettext_lazy("上传附件")).save()
    return attachment


@transaction.atomic
def attachment_add(*, actor, application, uploaded):
    """Store one uploaded file as evidence of an editable application, after checking it by content."""
    application = _lock_application(application)
    _require_applicant(actor, application)
    if not application.is_editable:
        _refuse(gettext("该申请已提交或已审结，不能再上传附件。"))
    [content_type] = _uploads_checked(application, [uploaded])
    return _attachment_create(application, uploaded, content_type=content_type, actor=actor)


@transaction.atomic
def attachment_delete(*, actor, attachment):
    application = _lock_application(attachment.application)
    _require_applicant(actor, application)
    if not application.is_editable:
        _refuse(gettext("该申请已提交或已审结，不能删除附件。"))
    name = attachment.file.name
    with_history(attachment, actor=actor, reason=gettext_lazy("删除附件")).delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(name))


@transaction.atomic
def application_approve(*, actor, application, decision=None):
    """Approve as the charter routes it (000 arts. 6, 11 (二), 001 art. 17).

    SECRETARIAT: staff approval admits. BODY_CONSENT: staff choose the body's passed motion that consents,
    which admits. MOTION and RATIFICATION: the application waits for the body's vote (RATIFICATION: gathered
    with the others reviewed into one motion, ``applications_ratification_motion_create``); a passed
    ADMIT_MEMBER motion admits it through ``admit_member_on_motion``. Returns the Member, or None when the
    application now waits for a decision.
    """
    application = _lock_application(application)
    require_manage_alliance(actor, application.alliance)
    _refuse_own_application(actor, application)
    if application.status != S.SUBMITTED:
        _refuse(gettext("申请当前状态为“%(display)s”，不能批准。") % {"display": application.get_status_display()})
    _refuse_second_membership(application.alliance, application.applicant)
    rules = application.alliance.rules
    if rules.admission_route == Route.SECRETARIAT:
        return _admit(application, actor=actor, step=Step.APPROVED)
    if rules.admission_route == Route.BODY_CONSENT:
        decision_check(decision, alliance=application.alliance, body_kinds=[rules.admission_body_kind],
                       kinds=CONSENT_KINDS, record=application)
        return _admit(application, actor=actor, step=Step.CONSENTED, decisions=[decision])
    if rules.admission_route in (Route.MOTION, Route.RATIFICATION):
        if rules.admission_route == Route.MOTION:
            application.status, step = S.PENDING_DECISION, Step.TO_VOTE
        else:
            application.status, step = S.PENDING_RATIFICATION, Step.TO_RATIFICATION
        with_history(application, actor=actor, reason=step.label).save()
        _application_event(application, from_status=S.SUBMITTED, actor=actor, step=step)
        return None
    _refuse(gettext("本联盟成员由章程确定，不接受入会申请。"))


WAITING_FOR_VOTE = (S.PENDING_DECISION, S.PENDING_RATIFICATION)


def admission_deciders(rules):
    """effects deciders for ADMIT_MEMBER: only the admission body decides (000 art. 11 (二), 001 art. 17)."""
    return [rules.admission_body_kind] if rules.admission_route in rules.BODY_ROUTES else []


@transaction.atomic
def applications_ratification_motion_create(*, actor, meeting, applications=None):
    """Gather the applications the secretariat reviewed (待理事会审议) into one ADMIT_MEMBER motion on the
    council meeting's agenda: a list, one vote (000 art. 6, art. 11 (二)). Those already on a motion that is
    not yet closed are left out; with applications, only those of them are gathered."""
    from governance.services import motion_create

    alliance = meeting.body.alliance
    require_manage_alliance(actor, alliance)
    if alliance.rules.admission_route != Route.RATIFICATION:
        _refuse(gettext("本联盟的入会申请不经理事会集中审议。"))
    waiting = Application.objects.filter(alliance=alliance, status=S.PENDING_RATIFICATION)
    if applications is not None:
        waiting = waiting.filter(pk__in=[a.pk for a in applications])
    # Locked in pk order: a second gathering waits here, then finds them on the first one's motion.
    waiting = list(waiting.select_for_update(of=("self",)).order_by("pk"))
    listed = set()
    for ids in Motion.objects.filter(
        meeting__body__alliance=alliance, kind=effects.ADMIT_MEMBER,
        status__in=[Motion.Status.DRAFT, Motion.Status.OPEN],
    ).values_list("subject_ids", flat=True):
        listed.update(ids)
    gathered = [a for a in waiting if a.pk not in listed]
    if not gathered:
        _refuse(gettext("没有待理事会审议、且尚未列入议案的入会申请。"))
    names = "\n".join(f"{n}. {a.display_name}（{a.get_kind_display()}）" for n, a in enumerate(gathered, 1))
    return motion_create(
        actor=actor, meeting=meeting, kind=effects.ADMIT_MEMBER, subjects=gathered,
        title=(gettext("吸收%(gathered)s等 %(len)s 名申请人为联盟成员")
               % {"gathered": gathered[0].display_name, "len": len(gathered)})[:200],
        text=gettext("经秘书处审查，下列入会申请符合章程规定，提请理事会审议批准（一并表决）：\n%(names)s") % {"names": names},
    )


def admit_member_on_motion(*, motion, actor):
    """governance.effects handler for ADMIT_MEMBER: the passed motion admits its subject applications.

    The applications are read again under their row lock as applications of the motion's own alliance; a
    motion of another kind, or naming anything else, is refused and changes nothing.
    """
    with transaction.atomic():
        members = []
        for application in effects.motion_subjects(motion, model=Application):
            application = _lock_application(application)
            if application.status not in (*WAITING_FOR_VOTE, S.SUBMITTED):
                _refuse(gettext("申请当前状态为“%(display)s”，不能依表决结果入会。") % {"display": application.get_status_display()})
            members.append(_admit(application, actor=actor, step=Step.ADMITTED_BY_VOTE, decisions=[motion]))
        return members


def admission_failed_on_motion(*, motion, actor):
    """governance.effects failed-vote handler for ADMIT_MEMBER: the applications waiting for the vote return to
    review (待审核), the result on their timeline."""
    result = motion.result
    outcome = (gettext("议案“%(title)s”表决未通过（赞成 %(for)s，反对 %(against)s，弃权 %(abstentions)s；%(met)s法定人数），退回待审核") % {"title": motion.title, "for": result.votes_for, "against": result.votes_against, "abstentions": result.abstentions, "met": gettext("达到") if result.quorum_met else gettext("未达到")})
    for application in effects.motion_subjects(motion, model=Application):
        application = _lock_application(application)
        if application.status in WAITING_FOR_VOTE:
            previous, application.status = application.status, S.SUBMITTED
            with_history(application, actor=actor, reason=outcome).save()
            _application_event(application, from_status=previous, actor=actor, step=Step.VOTE_FAILED, reason=outcome,
                               decisions=[motion])


def expel_member_on_motion(*, motion, actor):
    """governance.effects handler for EXPEL_MEMBER: once every deciding body has passed its motion naming the
    member (001 art. 22 (二): two steps; 000 art. 10: one), the member is expelled; until then nothing changes."""
    with transaction.atomic():
        [member] = effects.motion_subjects(motion, model=Member)
        member = _lock_member(member)
        motions = passed_steps(member, kind=effects.EXPEL_MEMBER, closing=motion)
        if motions is None or member.status in (M.WITHDRAWN, M.EXPELLED):
            return None
        try:
            motions = steps_check(member, motions, kind=effects.EXPEL_MEMBER)
        except ValidationError:
            return None  # the steps out of the charter's order expel nobody; the vote itself still closes
        return _expel(member, actor=actor, step=MemberEvent.Step.EXPELLED_BY_VOTE, decisions=motions)


def _next_member_number(alliance, year):
    seq = numbering.number_next(kind=numbering.Kind.MEMBER, alliance=alliance, year=year)
    return alliance.rules.format_member_number(year=year, seq=seq)


# The member's first step for each way an application is admitted.
ADMISSION_STEPS = {
    Step.APPROVED: MemberEvent.Step.ADMITTED,
    Step.CONSENTED: MemberEvent.Step.ADMITTED_BY_BODY,
    Step.ADMITTED_BY_VOTE: MemberEvent.Step.ADMITTED_BY_VOTE,
}


def _admit(application, *, actor, step, decisions=()):
    """Create the member from a locked application, number it, name its liaison and issue the certificate."""
    _refuse_second_membership(application.alliance, application.applicant)
    today = timezone.localdate()
    rules = application.alliance.rules
    event = MemberEvent(actor=actor, step=ADMISSION_STEPS[step],
                        details={"body": rules.admission_body_kind} if step == Step.CONSENTED else {})
    with site_language():
        reason = event.summary
    previous = application.status
    application.status = S.APPROVED
    application.decided_at = timezone.now()
    reference = "；".join(str(motion) for motion in decisions)
    with_history(application, actor=actor, reason=reason).save()
    _application_event(application, from_status=previous, actor=actor, step=step, decisions=decisions)
    member = Member(
        alliance=application.alliance, application=application, user=application.applicant, kind=application.kind,
        name=application.display_name, number=_next_member_number(application.alliance, today.year),
        credit_code=application.credit_code if application.kind == Kind.UNIT else "",
        admitted_on=today, admission_reference=reference,
        term_ends_on=_years_later(today, rules.member_term_years) if rules.member_term_years else None,
    )
    checked_and_saved(member, actor=actor, reason=reason)
    event.member, event.to_status = member, member.status
    event.save()
    event.decisions.set(decisions)
    if application.kind == Kind.UNIT and application.contact_name and application.contact_email:
        Liaison.objects.create(
            member=member, name=application.contact_name, title=application.contact_title,
            phone=application.contact_mobile or application.contact_office_phone, email=application.contact_email,
        )
    with site_language():
        notify(
            to=application_people(application), kind=Notice.DECISIONS, alliance=application.alliance,
            subject=gettext("%(name)s：您的入会申请已批准") % {"name": application.alliance.name},
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
    with site_language():
        reason = gettext("依章程确定为成员：%(reference)s") % {"reference": reference}
    checked_and_saved(member, actor=actor, reason=reason)
    MemberEvent.objects.create(member=member, to_status=member.status, actor=actor,
                               step=MemberEvent.Step.ENROLLED_BY_CHARTER, reference=reference)
    _certificate_issue(member, actor=actor)
    return member


# A refusal and a return: the applicant's step, its e-mail and subject.
AGAINST = {
    S.REJECTED: (Step.REJECTED, "members/email/rejected.txt", gettext_lazy("%(name)s：您的入会申请未获批准")),
    S.RETURNED: (Step.RETURNED, "members/email/returned.txt", gettext_lazy("%(name)s：您的入会申请需要修改")),
}


def _decide_against(application, *, actor, reason, to_status):
    step, template, subject = AGAINST[to_status]
    if not (reason or "").strip():
        raise ValidationError({"reason": gettext("%(label)s须说明理由，申请人将看到该理由。") % {"label": step.label}})
    application = _lock_application(application)
    require_manage_alliance(actor, application.alliance)
    _refuse_own_application(actor, application)
    if application.status not in (S.SUBMITTED, S.PENDING_DECISION):
        _refuse(gettext("申请当前状态为“%(display)s”，不能%(label)s。") % {"display": application.get_status_display(), "label": step.label})
    previous = application.status
    application.status = to_status
    application.review_note = reason.strip()
    if to_status == S.REJECTED:
        application.decided_at = timezone.now()
    with site_language():
        history_reason = gettext("%(step)s：%(reason)s") % {"step": step.label, "reason": application.review_note}
    with_history(application, actor=actor, reason=history_reason).save()
    _application_event(application, from_status=previous, actor=actor, reason=application.review_note, step=step)
    with site_language():
        notify(
            to=application_people(application), alliance=application.alliance,
            kind=Notice.DECISIONS,  # a refusal, or a return the applicant must act on
            subject=subject % {"name": application.alliance.name}, template=template, context=_ctx(application=application),
        )
    return application


@transaction.atomic
def application_reject(*, actor, application, reason):
    return _decide_against(application, actor=actor, reason=reason, to_status=S.REJECTED)


@transaction.atomic
def application_return(*, actor, application, reason):
    return _decide_against(application, actor=actor, reason=reason, to_status=S.RETURNED)
