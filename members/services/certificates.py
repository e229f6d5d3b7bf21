"""Certificates (成员证书, 000 art. 6 (三)): issue, re-issue, render."""

from django.utils.translation import gettext, gettext_lazy
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alliance import documents
from alliance.documents import File, Kind
from alliance.permissions import require_manage_alliance
from alliance.queueing import enqueue_on_commit
from alliance.models import Notice
from alliance.services import history_record, notify, site_language, with_history

from ..models import Certificate
from .common import _ctx, _lock_member, _refuse, member_people


REISSUE_REASON = gettext_lazy("换发证书")


def _certificate_issue(member, *, actor):
    certificate = Certificate(member=member, issued_on=timezone.localdate(), valid_until=member.term_ends_on)
    with_history(certificate, actor=actor, reason=gettext_lazy("发放成员证书")).save()
    enqueue_on_commit("members.tasks.certificate_render", certificate.pk)
    return certificate


@transaction.atomic
def certificate_reissue(*, actor, member, reason=REISSUE_REASON):
    """Revoke the current certificate (its QR page then says revoked) and issue a new one."""
    member = _lock_member(member)
    require_manage_alliance(actor, member.alliance)
    if member.is_ended:
        _refuse(gettext("成员资格已终止，不能换发证书。"))
    for old in Certificate.objects.select_for_update().filter(member=member, revoked_at__isnull=True):
        old.revoked_at = timezone.now()
        old.revoked_reason = reason
        with_history(old, actor=actor, reason=reason).save(update_fields=["revoked_at", "revoked_reason"])
    return _certificate_issue(member, actor=actor)


CERTIFICATE_STYLESHEETS = ("base.css", "certificate.css")


def _certificate_files(certificate):
    from ..documents import certificate_context

    # Named by the token: a retry overwrites its own earlier file.
    return [File("file", f"{certificate.token}.pdf", "members/pdf/certificate.html", certificate_context(certificate),
                 stylesheets=CERTIFICATE_STYLESHEETS)]


def _certificate_ready(certificate):
    member = certificate.member
    with site_language():
        history_record(certificate, actor=None, reason=gettext_lazy("证书已生成"))
        notify(
            to=member_people(member), kind=Notice.MEMBERSHIP, alliance=member.alliance,
            subject=gettext("%(name)s：成员证书已生成") % {"name": member.alliance.name},
            template="members/email/certificate_ready.txt", context=_ctx(member=member, certificate=certificate),
        )


# A revoked certificate is never rendered: its QR page says revoked, and a new one was issued.
CERTIFICATE = Kind(
    model=Certificate, task="members.tasks.certificate_render", files=_certificate_files,
    renderable=Q(revoked_at__isnull=True), select_related=("member__alliance__rules", "member__liaison", "member__application", "member__user"),
    on_ready=_certificate_ready,
)


def certificate_render(*, certificate_id):
    """Render one certificate to its PDF and announce it to the member, once (alliance/documents.py)."""
    return documents.render(CERTIFICATE, certificate_id)
