"""Targets, lead tasks and agreements of an alliance, as its secretariat keeps them (002 art. 8 (二), seed 003)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy

from alliance import uploads
from alliance.permissions import require_manage_alliance
from alliance.services import checked_and_saved, set_values, with_history
from governance.models import Agreement, LeadTask, Target, TargetProgress

TARGET_FIELDS = ("title", "measure", "unit", "threshold", "start_date", "end_date", "article")
TASK_FIELDS = ("title", "lead_member", "description", "source", "order")
AGREEMENT_FIELDS = ("title", "parties", "signed_on", "signing", "summary")
AGREEMENT_FILE = uploads.UploadKind(what=gettext_lazy("协议文本"), record=gettext_lazy("协议"), types=(uploads.PDF, uploads.JPEG, uploads.PNG),
                                    types_label=gettext_lazy("PDF、JPG 或 PNG"), max_bytes=20 * uploads.MB, max_count=1)


@transaction.atomic
def target_create(*, actor, alliance, **values):
    require_manage_alliance(actor, alliance)
    target = Target(alliance=alliance)
    set_values(target, values, TARGET_FIELDS)
    return checked_and_saved(target, actor=actor, reason="设定共同目标")


@transaction.atomic
def target_update(*, actor, target, **values):
    target = Target.objects.select_for_update().select_related("alliance").get(pk=target.pk)
    require_manage_alliance(actor, target.alliance)
    set_values(target, values, TARGET_FIELDS)
    if target.progress.filter(recorded_on__lt=target.start_date).exists():
        raise ValidationError({"start_date": _("已有早于该日期的进展记录，周期开始日期不能晚于它。")})
    return checked_and_saved(target, actor=actor, reason="修改共同目标")


@transaction.atomic
def target_progress_record(*, actor, target, recorded_on, value, note=""):
    """The value reached by a date; a second entry for the same date corrects the first (kept in history)."""
    target = Target.objects.select_for_update().select_related("alliance").get(pk=target.pk)
    require_manage_alliance(actor, target.alliance)
    entry = TargetProgress.objects.filter(target=target, recorded_on=recorded_on).first() or TargetProgress(
        target=target, recorded_on=recorded_on)
    entry.value, entry.note, entry.recorded_by = value, note, actor
    return checked_and_saved(entry, actor=actor, reason="登记目标进展")


@transaction.atomic
def lead_task_create(*, actor, alliance, **values):
    require_manage_alliance(actor, alliance)
    task = LeadTask(alliance=alliance)
    set_values(task, values, TASK_FIELDS)
    return checked_and_saved(task, actor=actor, reason="登记牵头任务")


@transaction.atomic
def lead_task_update(*, actor, task, **values):
    task = LeadTask.objects.select_for_update().select_related("alliance").get(pk=task.pk)
    require_manage_alliance(actor, task.alliance)
    set_values(task, values, TASK_FIELDS)
    return checked_and_saved(task, actor=actor, reason="修改牵头任务")


def _file_set(agreement, upload):
    try:
        content_type = uploads.upload_check(upload, kind=AGREEMENT_FILE)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if agreement.file:
        agreement.file.delete(save=False)
    agreement.file.save(uploads.stored_name(str(agreement.alliance_id), content_type), upload, save=False)
    agreement.file_type = content_type


@transaction.atomic
def agreement_create(*, actor, alliance, file=None, **values):
    """Keep an agreement with the alliance; its text (a scan or a PDF) is judged by its content."""
    require_manage_alliance(actor, alliance)
    agreement = Agreement(alliance=alliance)
    set_values(agreement, values, AGREEMENT_FIELDS)
    agreement.full_clean(exclude=["file"])
    if file:
        _file_set(agreement, file)
    with_history(agreement, actor=actor, reason="登记合作协议").save()
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement, file=None, **values):
    agreement = Agreement.objects.select_for_update().select_related("alliance").get(pk=agreement.pk)
    require_manage_alliance(actor, agreement.alliance)
    set_values(agreement, values, AGREEMENT_FIELDS)
    agreement.full_clean(exclude=["file"])
    if file:
        _file_set(agreement, file)
    with_history(agreement, actor=actor, reason="修改合作协议").save()
    return agreement
