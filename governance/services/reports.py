"""The secretariat's records of the decisions (002 art. 7): what it did to carry out each resolution, and the
annual work report it drafts, the council approves and the portal files as a PDF for the supervising authority."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance import documents
from alliance.documents import File, Kind
from alliance.permissions import require_manage_alliance
from alliance.queueing import enqueue_on_commit
from alliance.services import checked_and_saved, email_queue, set_values, site_language
from governance import effects
from governance.models import AnnualReport, Motion, ResolutionFollowUp

FOLLOW_UP_FIELDS = ("action", "acted_on", "is_done")
REPORT_FIELDS = ("year", "title", "text", "figures")


@transaction.atomic
def follow_up_record(*, actor, motion, action, acted_on, is_done=False):
    """The secretariat records a step taken to carry out a passed motion (002 art. 7: 秘书处具体执行 … 各项决议)."""
    motion = Motion.objects.select_related("meeting__body__alliance").get(pk=motion.pk)
    require_manage_alliance(actor, motion.meeting.body.alliance)
    follow_up = ResolutionFollowUp(motion=motion, action=action, acted_on=acted_on, is_done=is_done,
                                   recorded_by=actor)
    return checked_and_saved(follow_up, actor=actor, reason="登记决议执行情况")


@transaction.atomic
def follow_up_update(*, actor, follow_up, **values):
    follow_up = ResolutionFollowUp.objects.select_for_update().select_related("motion__meeting__body__alliance").get(
        pk=follow_up.pk)
    require_manage_alliance(actor, follow_up.motion.meeting.body.alliance)
    set_values(follow_up, values, FOLLOW_UP_FIELDS)
    return checked_and_saved(follow_up, actor=actor, reason="修改决议执行情况")


@transaction.atomic
def annual_report_create(*, actor, alliance, year, title, text, figures=""):
    """The secretariat drafts the year's report (002 art. 7: 组织起草联盟年度工作报告)."""
    require_manage_alliance(actor, alliance)
    if AnnualReport.objects.filter(alliance=alliance, year=year).exists():
        raise ValidationError({"year": _("%(year)s年度的工作报告已存在。") % {"year": year}})
    report = AnnualReport(alliance=alliance, year=year, title=title, text=text, figures=figures)
    return checked_and_saved(report, actor=actor, reason="起草年度工作报告")


@transaction.atomic
def annual_report_update(*, actor, report, **values):
    """Change a draft; an approved report is what the council approved."""
    report = AnnualReport.objects.select_for_update().select_related("alliance").get(pk=report.pk)
    require_manage_alliance(actor, report.alliance)
    if report.status != AnnualReport.Status.DRAFT:
        raise ValidationError(_("年度工作报告已经理事会审定，不能再修改。"))
    if "year" in values and values["year"] != report.year and AnnualReport.objects.filter(
            alliance=report.alliance, year=values["year"]).exists():
        raise ValidationError({"year": _("%(v1)s年度的工作报告已存在。") % {"v1": values['year']}})
    set_values(report, values, REPORT_FIELDS)
    return checked_and_saved(report, actor=actor, reason="修改年度工作报告")


def report_deciders(rules):
    """002 art. 7: 理事会负责审定 … 年度工作报告 — the alliance's decision body."""
    return [rules.decision_body_kind]


def motion_report_approve(*, motion, actor):
    """governance.effects handler of APPROVE_REPORT: the report the motion names is approved on the meeting's
    date and a worker files it as a PDF."""
    for report in effects.motion_subjects(motion, model=AnnualReport):
        if report.status != AnnualReport.Status.DRAFT:
            continue  # approved by an earlier motion: the record keeps that one
        report.status = AnnualReport.Status.APPROVED
        report.approved_by_motion = motion
        report.approved_on = motion.meeting.date
        documents.reset(REPORT, report)
        checked_and_saved(report, actor=actor, reason=f"依据议案“{motion.title}”审定")
        enqueue_on_commit(REPORT.task, report.pk)


def _report_files(report):
    context = {"report": report, "alliance": report.alliance, "motion": report.approved_by_motion,
               "meeting": report.approved_by_motion.meeting}
    return [File("pdf", f"report-{report.alliance_id}-{report.year}.pdf", "governance/pdf/annual_report.html",
                 context)]


def _report_filed(report):
    """002 art. 5: the supervising authority receives the filed report, with the link to its PDF."""
    alliance = report.alliance
    if alliance.supervisor_email:
        with site_language():
            email_queue(
                to=alliance.supervisor_email, alliance=alliance,
                subject=_("%(name)s%(year)s年度工作报告") % {"name": alliance.name, "year": report.year},
                template="governance/email/annual_report_filed.txt",
                context={"report": report, "alliance": alliance,
                         "url": settings.SITE_URL + reverse("governance:annual_report_pdf", args=[report.pk])},
            )


REPORT = Kind(model=AnnualReport, task="governance.tasks.annual_report_render_pdf", files=_report_files,
              status_field="pdf_status", renderable=Q(status=AnnualReport.Status.APPROVED),
              select_related=("alliance", "approved_by_motion__meeting"), on_ready=_report_filed)


def annual_report_render(*, report_id):
    return documents.render(REPORT, report_id)
