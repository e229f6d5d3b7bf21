"""Work briefings (工作简报, seed 003): numbered per alliance and year, published as a PDF."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance import documents, numbering
from alliance.queueing import enqueue_on_commit
from alliance.models import Notice
from alliance.services import checked_and_saved, notify, site_language, with_history
from governance import audiences
from governance.models import Briefing

from .documents import BRIEFING


def briefing_number_assign(*, briefing):
    """Give a briefing, new or moved to another year, the next number of the year it is issued in
    (2026年第1期, 第2期 …). A moved briefing that held its old year's last number gives it back, so that
    year's next briefing takes it again."""
    key = {"kind": numbering.Kind.BRIEFING, "alliance": briefing.alliance}
    old_year, old_number = briefing.year, briefing.number
    year = briefing.issued_on.year
    # The two years' counters are locked in year order, so two briefings moved past each other never deadlock.
    if old_number and old_year < year:
        numbering.number_given_back(**key, year=old_year, value=old_number)
    briefing.year, briefing.number = year, numbering.number_next(**key, year=year)
    if old_number and old_year > year:
        numbering.number_given_back(**key, year=old_year, value=old_number)
    return briefing


def _articles_set(briefing, articles):
    briefing.articles.all().delete()
    for order, (level, heading, text) in enumerate(articles, 1):
        article = briefing.articles.model(briefing=briefing, order=order, level=level, heading=heading, text=text)
        article.full_clean()
        article.save()


def _issuers_set(briefing, issuers):
    if any(body.alliance_id != briefing.alliance_id for body in issuers):
        raise ValidationError({"issuers": _("编发机构须属于本联盟。")})
    briefing.issuers.set(issuers)


BRIEFING_FIELDS = ("title", "issued_on", "reported_to", "distributed_to", "to_members", "contact")


@transaction.atomic
def briefing_create(*, actor, alliance, issued_on, issuers=(), title="工作简报", reported_to="",
                    distributed_to="", to_members=False, contact="", articles=()):
    """articles: (level, heading, text) triples, in order."""
    briefing = Briefing(alliance=alliance, issued_on=issued_on, title=title, reported_to=reported_to,
                        distributed_to=distributed_to, to_members=to_members, contact=contact)
    briefing_number_assign(briefing=briefing)
    checked_and_saved(briefing, actor=actor, reason="编发简报")
    _issuers_set(briefing, issuers)
    _articles_set(briefing, articles)
    return briefing


@transaction.atomic
def briefing_update(*, actor, briefing, issuers=None, articles=None, **values):
    """Change a briefing (issuers and articles replaced when given); moved to another year, it takes that
    year's next number."""
    if set(values) - set(BRIEFING_FIELDS):
        raise TypeError(f"briefing_update() does not set {sorted(set(values) - set(BRIEFING_FIELDS))}")
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    for name, value in values.items():
        setattr(briefing, name, value)
    if briefing.issued_on.year != briefing.year:
        briefing_number_assign(briefing=briefing)
    checked_and_saved(briefing, actor=actor, reason="修改简报")
    if issuers is not None:
        _issuers_set(briefing, issuers)
    if articles is not None:
        _articles_set(briefing, articles)
    return briefing


def _members_notify(briefing):
    with site_language():
        notify(
            to=audiences.member_emails(briefing.alliance), kind=Notice.MEMBERSHIP, alliance=briefing.alliance,
            subject=_("%(name)s%(title)s%(issue_label)s已印发") % {"name": briefing.alliance.name, "title": briefing.title, "issue_label": briefing.issue_label},
            template="governance/email/briefing_published.txt",
            context={"briefing": briefing, "site_url": settings.SITE_URL},
        )


@transaction.atomic
def briefing_publish(*, actor, briefing):
    """Publish: the PDF is rendered by a worker; a re-publish renders it again. Sent to the member units
    (seed 003: 发：…成员单位), the first publication e-mails their liaisons, who read it on their member page."""
    briefing = Briefing.objects.select_for_update().select_related("alliance").get(pk=briefing.pk)
    if not briefing.articles.exists():
        raise ValidationError(_("简报没有正文，不能发布。"))
    if briefing.to_members and briefing.published_at is None:
        _members_notify(briefing)
    briefing.status = Briefing.Status.PUBLISHED
    briefing.published_at = briefing.published_at or timezone.now()
    if briefing.pdf:
        briefing.pdf.delete(save=False)
    briefing.pdf = ""
    documents.reset(BRIEFING, briefing)
    with_history(briefing, actor=actor, reason="发布简报").save()
    enqueue_on_commit("governance.tasks.briefing_render_pdf", briefing.pk)
    return briefing
