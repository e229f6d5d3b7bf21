"""Work briefings (工作简报, seed 003): numbered per alliance and year, published as a PDF."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from alliance.models import Alliance
from alliance.queueing import enqueue_on_commit
from alliance.services import with_history
from governance.models import Briefing


def briefing_number_assign(*, briefing):
    """Give an unsaved briefing the next number of its year (2026年第1期, 第2期 …).

    The alliance row is locked so two staff saving at once never draw the same number.
    """
    Alliance.objects.select_for_update().get(pk=briefing.alliance_id)
    briefing.year = briefing.issued_on.year
    last = Briefing.objects.filter(alliance_id=briefing.alliance_id, year=briefing.year).aggregate(n=Max("number"))
    briefing.number = (last["n"] or 0) + 1
    return briefing


@transaction.atomic
def briefing_create(*, actor, alliance, issued_on, issuers=(), title="工作简报", reported_to="",
                    distributed_to="", contact="", articles=()):
    """articles: (level, heading, text) triples, in order."""
    briefing = Briefing(alliance=alliance, issued_on=issued_on, title=title, reported_to=reported_to,
                        distributed_to=distributed_to, contact=contact)
    briefing_number_assign(briefing=briefing)
    briefing.full_clean()
    with_history(briefing, actor=actor, reason="编发简报").save()
    if any(body.alliance_id != alliance.pk for body in issuers):
        raise ValidationError("编发机构须属于本联盟。")
    briefing.issuers.set(issuers)
    for order, (level, heading, text) in enumerate(articles, 1):
        article = briefing.articles.model(briefing=briefing, order=order, level=level, heading=heading, text=text)
        article.full_clean()
        article.save()
    return briefing


@transaction.atomic
def briefing_publish(*, actor, briefing):
    """Publish to the members: the PDF is rendered by a worker; a re-publish renders it again."""
    from governance.tasks import briefing_render_pdf

    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if not briefing.articles.exists():
        raise ValidationError("简报没有正文，不能发布。")
    briefing.status = Briefing.Status.PUBLISHED
    briefing.published_at = briefing.published_at or timezone.now()
    if briefing.pdf:
        briefing.pdf.delete(save=False)
    briefing.pdf = ""
    with_history(briefing, actor=actor, reason="发布简报").save()
    enqueue_on_commit(briefing_render_pdf, briefing.pk)
    return briefing
