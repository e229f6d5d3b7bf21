"""Certificates (成员证书, 000 art. 6 (三)): issue, re-issue, render."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from alliance.permissions import require_manage_alliance
from alliance.queueing import enqueue_on_commit
from alliance.services import email_queue, with_history

from ..models import Certificate, Member
from .common import _ctx, _lock_member, _refuse, member_notify_email


def _certificate_issue(member, *, actor):
    from ..tasks import certificate_render

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


def _pending_certificates(certificate_id):
    return Certificate.objects.filter(pk=certificate_id, status=Certificate.Status.PENDING, revoked_at__isnull=True)


def certificate_render(*, certificate_id):
    """Render one pending certificate to its PDF; a ready, revoked or missing one is left alone (idempotent).

    The PDF is laid out outside any transaction (it takes a second or two), so no row stays locked meanwhile;
    then a short locked transaction checks the certificate is still pending, stores the file under a name
    derived from the token (a retry overwrites its own earlier attempt) and marks it ready. Two deliveries of the
    same message may both render, but only the first stores and announces the certificate.
    """
    from alliance.pdf import render_pdf

    from ..documents import certificate_context

    if not _pending_certificates(certificate_id).update(attempts=F("attempts") + 1):
        return False
    certificate = Certificate.objects.select_related("member__alliance__rules").get(pk=certificate_id)
    pdf = render_pdf("members/pdf/certificate.html", certificate_context(certificate))
    with transaction.atomic():
        certificate = _pending_certificates(certificate_id).select_for_update().first()
        if certificate is None:
            return False
        name = f"members/certificates/{certificate.token}.pdf"
        if certificate.file.storage.exists(name):
            certificate.file.storage.delete(name)
        certificate.file.save(f"{certificate.token}.pdf", ContentFile(pdf), save=False)
        certificate.status = Certificate.Status.READY
        with_history(certificate, actor=None, reason="证书已生成").save()
        member = Member.objects.select_related("alliance", "liaison", "application", "user").get(
            pk=certificate.member_id
        )
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
