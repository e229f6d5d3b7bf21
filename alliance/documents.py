"""Documents made by workers: the one pattern every PDF a Celery worker renders follows.

Certificates, receipts, vote records and resolutions, briefings, printed application forms and appointment letters
each keep their job on their own row: a status (pending → rendering → ready, or failed), the number of attempts,
when the current attempt claimed the row and the last error. A domain app declares a ``Kind`` (its model, which
rows may be rendered, which files with which templates and contexts, what to do once ready, its task's name) and its
task and sweep call ``render`` and ``sweep`` here; this module imports no domain app.

- The task claims the row with a conditional update (no row lock while WeasyPrint lays out the PDF, which takes
  seconds). A claim older than ``claim_timeout()`` belongs to a worker that died mid-render and may be taken over.
- The PDFs are rendered through ``alliance.pdf``, then one short transaction marks the row ready if the claim is
  still this attempt's, writes the files under fixed names (a retry overwrites its own earlier file) and runs the
  kind's ``on_ready`` (an e-mail): a second delivery of the same message, or a worker whose claim was taken over,
  writes nothing and announces nothing.
- A failure is recorded with its error. The row waits ``backoff(attempts)`` before it may be claimed again; after
  ``MAX_ATTEMPTS`` it is failed, shown to staff in the admin with the error, and never retried by the sweep.
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_FIRST = datetime.timedelta(minutes=1)
BACKOFF_MAX = datetime.timedelta(hours=1)
SWEEP_BATCH = 200
ERROR_LENGTH = 2000
# The options of every render task. A failed render is the job policy's (the task returns, the sweep retries it
# later); only a lost database connection before or after the claim is Celery's to retry.
TASK_OPTIONS = {"acks_late": True, "autoretry_for": (OperationalError,), "retry_backoff": 10,
                "retry_backoff_max": 600, "max_retries": 6}
# The fields a job's bookkeeping changes on every attempt: kept out of the documents' history.
JOB_FIELDS = ["attempts", "claimed_at", "last_error", "retry_at"]


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("待生成")
    RENDERING = "rendering", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


def status_field(verbose_name=None):
    return models.CharField(verbose_name or _("状态"), max_length=10, choices=DocumentStatus.choices,
                            default=DocumentStatus.PENDING)


class DocumentJob(models.Model):
    """The bookkeeping of a row whose PDF a worker makes; the row's status field is named by its ``Kind``."""

    attempts = models.PositiveSmallIntegerField(_("生成次数"), default=0)
    claimed_at = models.DateTimeField(_("开始生成时间"), null=True, blank=True)
    retry_at = models.DateTimeField(_("下次重试时间"), null=True, blank=True)
    last_error = models.TextField(_("生成错误"), blank=True)

    class Meta:
        abstract = True


@dataclasses.dataclass(frozen=True)
class File:
    """One PDF of a row: its file field, its fixed name (under the field's upload_to), its template and context, and
    the stylesheets alliance.pdf keeps parsed for it."""

    field: str
    name: str
    template: str
    context: dict
    stylesheets: tuple = ()


@dataclasses.dataclass(frozen=True)
class Kind:
    model: type
    task: str  # the Celery task that renders one row, called with its pk
    files: Callable  # row -> [File]
    status_field: str = "status"
    renderable: Q = dataclasses.field(default_factory=Q)  # rows outside it are never rendered (a revoked certificate)
    select_related: tuple = ()
    on_ready: Callable | None = None  # row -> None, in the transaction that marks it ready

    @property
    def label(self):
        return self.model._meta.label

    def rows(self):
        return self.model._default_manager.filter(self.renderable)


def claim_timeout():
    """How long a claim holds. Longer than a task may run (Celery kills it at its hard time limit), so a claim
    this old is a dead worker's."""
    return datetime.timedelta(seconds=settings.DOCUMENT_CLAIM_TIMEOUT)


def backoff(attempts):
    """How long a row waits after its ``attempts``-th failed attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def _claimable(kind, now):
    waiting = Q(**{kind.status_field: DocumentStatus.PENDING}) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    abandoned = Q(**{kind.status_field: DocumentStatus.RENDERING}, claimed_at__lt=now - claim_timeout())
    return (waiting | abandoned) & Q(attempts__lt=MAX_ATTEMPTS)


def _claimed(kind, pk, claimed_at):
    """The row while it is still this attempt's: nobody took it over, nobody asked for it again meanwhile."""
    return kind.rows().filter(pk=pk, claimed_at=claimed_at, **{kind.status_field: DocumentStatus.RENDERING})


def render(kind, pk):
    """Render one row's PDFs if it may be claimed now; True when this call stored them and marked the row ready."""
    from alliance.pdf import render_pdf

    claimed_at = timezone.now()
    claimed = kind.rows().filter(_claimable(kind, claimed_at), pk=pk).update(
        **{kind.status_field: DocumentStatus.RENDERING}, claimed_at=claimed_at, retry_at=None,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return False
    try:
        row = kind.model._default_manager.select_related(*kind.select_related).get(pk=pk)
        rendered = [(file, render_pdf(file.template, file.context, stylesheets=file.stylesheets))
                    for file in kind.files(row)]
        return _store(kind, row, claimed_at, rendered)
    except Exception as exc:
        _failed(kind, pk, claimed_at, exc)
        return False


def _store(kind, row, claimed_at, rendered):
    names = {file.field: getattr(row, file.field).field.generate_filename(row, file.name) for file, _pdf in rendered}
    with transaction.atomic():
        # The conditional update locks the row for the few milliseconds the files take to write.
        if not _claimed(kind, row.pk, claimed_at).update(
            **{kind.status_field: DocumentStatus.READY}, **names, claimed_at=None, last_error=""
        ):
            return False
        for file, pdf in rendered:
            storage, name = getattr(row, file.field).storage, names[file.field]
            if storage.exists(name):
                storage.delete(name)
            saved = names[file.field] = storage.save(name, ContentFile(pdf))
            if saved != name:  # another process wrote the same name between the two calls
                kind.model._default_manager.filter(pk=row.pk).update(**{file.field: saved})
        # The row as the update left it (it is locked until the commit): nothing to read again.
        setattr(row, kind.status_field, DocumentStatus.READY)
        row.claimed_at, row.last_error = None, ""
        for field, name in names.items():
            setattr(row, field, name)
        if kind.on_ready:
            kind.on_ready(row)
    return True


def _failed(kind, pk, claimed_at, exc):
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
    attempts = _claimed(kind, pk, claimed_at).values_list("attempts", flat=True).first()
    if attempts is None:
        return
    if attempts >= MAX_ATTEMPTS:
        status, retry_at = DocumentStatus.FAILED, None
    else:
        status, retry_at = DocumentStatus.PENDING, now + backoff(attempts)
    _claimed(kind, pk, claimed_at).update(**{kind.status_field: status}, retry_at=retry_at, claimed_at=None,
                                          last_error=error)
    logger.warning("%s %s: PDF attempt %s of %s failed%s", kind.label, pk, attempts, MAX_ATTEMPTS,
                   "" if retry_at else "; given up", exc_info=exc)


def due_ids(kind, *, now=None):
    """Rows the sweep hands to a worker: pending ones whose back-off has passed, and abandoned claims."""
    now = now or timezone.now()
    return list(kind.rows().filter(_claimable(kind, now)).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])


def sweep(*kinds):
    """Enqueue every due row of these kinds (an enqueue lost while the broker was down, a retry whose back-off is
    over, a dead worker's claim); a claim abandoned on its last attempt is failed instead of tried again."""
    from celery import current_app

    from alliance import queueing

    now = timezone.now()
    for kind in kinds:
        kind.rows().filter(
            **{kind.status_field: DocumentStatus.RENDERING}, claimed_at__lt=now - claim_timeout(),
            attempts__gte=MAX_ATTEMPTS,
        ).update(**{kind.status_field: DocumentStatus.FAILED}, claimed_at=None,
                 last_error=str(_("生成未在时限内完成（工作进程中断或超时），已达最多尝试次数。")))
        task = current_app.tasks[kind.task]
        for pk in due_ids(kind, now=now):
            queueing.enqueue(task, pk)


def reset(kind, row):
    """Ask for the row's PDFs afresh (the document changed); the caller saves the row and enqueues the task.

    A worker still rendering the old version then finds its claim gone and stores nothing.
    """
    setattr(row, kind.status_field, DocumentStatus.PENDING)
    row.attempts, row.claimed_at, row.retry_at, row.last_error = 0, None, None, ""
    return row
