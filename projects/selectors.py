"""Reads of the projects app, and the one place that answers "may this user see or change this application".

Three kinds of people reach applications: secretariat staff of the project's alliance (all of them, through
``alliance.permissions``), a provincial organiser (their own province of their project only), and an expert
(only the applications assigned to them, read-only).
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import User
from alliance.permissions import alliances_managed_by, can_manage_alliance

from .data.sanqu_sanzhou import county_area
from .models import (
    Activity, ActivityTeacher, Application, Assignment, Pairing, Project, ProvincialContact, ProvincialOrganiser,
    ReviewCriterion, SelectionNotice,
)


# ---- roles -------------------------------------------------------------------------------------------------

def organiser_role(*, user, project):
    """The user's provincial-organiser role in this project, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    return ProvincialOrganiser.objects.filter(project=project, user=user).first()


def can_manage_project(user, project):
    return can_manage_alliance(user, project.alliance)


def require_manage_project(user, project):
    if not can_manage_project(user, project):
        raise PermissionDenied(_("您无权管理该项目。"))


def can_record_activity(user, pairing):
    """Staff, the community's leader, and the provincial organiser of the county's province record activities."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_manage_project(user, pairing.project):
        return True
    if pairing.leader_id == user.pk:
        return True
    role = organiser_role(user=user, project=pairing.project)
    return role is not None and role.province == pairing.county.province


def require_record_activity(user, pairing):
    if not can_record_activity(user, pairing):
        raise PermissionDenied(_("您无权为该结对记录活动。"))


def expert_choices_for(*, user):
    """The accounts staff may pick as an expert: the experts of their own alliances' projects, by name."""
    experts = User.objects.filter(project_expert_roles__project__alliance__in=alliances_managed_by(user))
    return experts.distinct().order_by("name", "email")


def project_list_for_user(*, user):
    """Projects this user works on: as staff of the organiser, as a provincial organiser, or as an expert."""
    if not user.is_authenticated:
        return Project.objects.none()
    return (
        Project.objects.filter(
            Q(alliance__in=alliances_managed_by(user))
            | Q(organisers__user=user)
            | Q(experts__user=user)
        )
        .select_related("alliance")
        .distinct()
        .order_by("-deadline")
    )


def project_get_for_user(*, user, pk):
    project = Project.objects.select_related("alliance").filter(pk=pk).first()
    if project is None:
        raise Http404
    if can_manage_project(user, project) or organiser_role(user=user, project=project):
        return project
    if project.experts.filter(user=user).exists() if user.is_authenticated else False:
        return project
    raise PermissionDenied(_("您无权查看该项目。"))


# ---- applications --------------------------------------------------------------------------------------------

def _list_queryset():
    return Application.objects.select_related("project", "subject").annotate(
        team_count=Count("team", distinct=True), school_count=Count("schools", distinct=True)
    )


def application_list_for_user(*, user, project):
    """Staff see every application of the project; an organiser sees their own province's; others none."""
    qs = _list_queryset().filter(project=project).order_by("province", "kind", "pk")
    if can_manage_project(user, project):
        return qs
    role = organiser_role(user=user, project=project)
    if role is not None:
        return qs.filter(province=role.province)
    return qs.none()


def application_get_for_user(*, user, pk, edit=False):
    """The application, if the user may see it (or, with edit=True, change it); else PermissionDenied.

    Only the organiser of the application's province changes it, and only while it is a draft; staff and
    assigned experts read it.
    """
    application = Application.objects.select_related("project__alliance", "subject").filter(pk=pk).first()
    if application is None:
        raise Http404
    role = organiser_role(user=user, project=application.project)
    is_organiser = role is not None and role.province == application.province
    if edit:
        if not is_organiser:
            raise PermissionDenied(_("只有本省的省级项目组织单位可以填写该申报表。"))
        return application
    if is_organiser:
        return application
    if can_manage_project(user, application.project):
        return application
    if user.is_authenticated and application.assignments.filter(expert=user).exists():
        return application
    raise PermissionDenied(_("您无权查看该申报表。"))


def can_see_scans(user, application):
    """The stamped scans are for the organiser of the application's province and the project's staff only: an
    assigned expert scores the form, the seals are not theirs to read."""
    role = organiser_role(user=user, project=application.project)
    if role is not None and role.province == application.province:
        return True
    return can_manage_project(user, application.project)


def application_scan_get_for_user(*, user, pk, field):
    """One of the application's stamped scans (``Application.SCANS``) as (file, file name), or PermissionDenied."""
    application = application_get_for_user(user=user, pk=pk)
    scans = {name: (scan, filename) for name, _block, scan, filename in application.scans()}
    if field not in scans:
        raise Http404
    if not can_see_scans(user, application):
        raise PermissionDenied(_("您无权查看该申报表的盖章扫描件。"))
    return scans[field]


def application_detail(*, application):
    """Everything a printed form shows, in two or three queries."""
    return Application.objects.select_related("project__alliance", "subject").prefetch_related(
        "schools", Prefetch("textbooks", queryset=application.textbooks.model.objects.select_related("subject")),
        Prefetch("team", queryset=application.team.model.objects.select_related("subject")), "awards",
    ).get(pk=application.pk)


def _enclosure(label, fieldfile, name=""):
    from alliance.pdf import image_data_url

    return {"label": label, "name": name or fieldfile.name.rsplit("/", 1)[-1], "image": image_data_url(fieldfile)}


def application_print_context(*, application, draft=False):
    """What a printed form shows: the application and its enclosures (附后), the stamped scans and the award
    pictures. A picture is printed, scaled to the page; a PDF scan is named, to be printed from its own file."""
    application = application_detail(application=application)
    enclosures = [_enclosure(f"{block}（加盖公章的扫描件）", scan, name)
                  for _field, block, scan, name in application.scans() if scan]
    enclosures += [_enclosure(f"获奖证明：{award.title}", award.evidence)
                   for award in application.awards.all() if award.evidence]
    return {"application": application, "draft": draft, "enclosures": enclosures}


def contact_print_context(*, contact, project):
    """The printed 项目联系表 with its stamped scan enclosed, like the application forms."""
    enclosures = [_enclosure("项目联系表（加盖公章的扫描件）", contact.scan, contact.scan_name)] if contact.scan else []
    return {"contact": contact, "project": project, "enclosures": enclosures}


def contact_get_for_user(*, user, project, province=None):
    """The 项目联系表 of the organiser's province (None if not started), or of ``province`` for staff."""
    role = organiser_role(user=user, project=project)
    if role is not None and province in (None, role.province):
        return ProvincialContact.objects.filter(project=project, province=role.province).first(), role
    if province and can_manage_project(user, project):
        return ProvincialContact.objects.filter(project=project, province=province).first(), None
    raise PermissionDenied(_("您无权查看该省的项目联系表。"))


def submitted_county_count(*, project, province, exclude_pk=None):
    qs = Application.objects.filter(project=project, province=province, kind=Application.Kind.COUNTY).exclude(
        status=Application.Status.DRAFT
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


# ---- review --------------------------------------------------------------------------------------------------

def assignment_list_for_expert(*, user):
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(expert=user)
        .select_related("application__project", "application__subject")
        .annotate(score_total=Sum("scores__value"))
        .order_by("scored_at", "pk")
    )


def assignment_get_for_expert(*, user, pk):
    assignment = Assignment.objects.select_related("application__project", "application__subject").filter(pk=pk).first()
    if assignment is None:
        raise Http404
    if assignment.expert_id != user.pk:
        raise PermissionDenied(_("该申报表未分配给您。"))
    return assignment


def criteria_for(*, application):
    return ReviewCriterion.objects.filter(project=application.project_id, kind=application.kind)


def application_area(application):
    """The 三区三州 county a county application is for, by the shipped list (its own tick does not count)."""
    if application.kind != Application.Kind.COUNTY:
        return None
    return county_area(province=application.province, county=application.county,
                       prefecture=f"{application.applicant_unit}{application.address}")


def _ranking_reason(application, area, mean, priority):
    # 004 二（一）: 遴选推荐过程中，优先考虑三区三州的县
    parts = []
    if area is not None:
        parts.append(_("%(label)s优先") % {"label": area.label} if priority else area.label)
    elif application.kind == Application.Kind.COUNTY and application.is_sanqu_sanzhou:
        parts.append(_("申报勾选了三区三州，但该县不在三区三州县名单中"))
    parts.append(_("平均分 %(mean)s") % {"mean": mean} if mean is not None else _("尚无评分"))
    return _("；").join(parts)


def score_table(*, project, kind):
    """Applications with each expert's total, side by side: (criteria, rows). Rows are in descending mean, the
    listed 三区三州 counties first when the project gives them priority; each row says why it stands there."""
    criteria = list(ReviewCriterion.objects.filter(project=project, kind=kind))
    apps = (
        Application.objects.filter(project=project, kind=kind)
        .exclude(status=Application.Status.DRAFT)
        .select_related("subject")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("expert").prefetch_related("scores").order_by("pk"),
            )
        )
    )
    rows = []
    for app in apps:
        cells = []
        for assignment in app.assignments.all():
            by_criterion = {s.criterion_id: s.value for s in assignment.scores.all()}
            total = sum(by_criterion.values()) if assignment.scored_at else None
            cells.append({"assignment": assignment, "scores": [by_criterion.get(c.pk) for c in criteria],
                          "total": total})
        totals = [c["total"] for c in cells if c["total"] is not None]
        mean = (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.1")) if totals else None
        area = application_area(app)
        rows.append({"application": app, "cells": cells, "mean": mean, "area": area,
                     "reason": _ranking_reason(app, area, mean, project.sanqu_priority)})
    rows.sort(key=lambda r: (project.sanqu_priority and r["area"] is None, r["mean"] is None, -(r["mean"] or 0),
                             r["application"].pk))
    return criteria, rows


# ---- 公示 ----------------------------------------------------------------------------------------------------

def notice_list_public(*, today=None):
    """Notices in their 公示 period, or finalised: what the public may read."""
    today = today or timezone.localdate()
    return (
        SelectionNotice.objects.filter(published_at__isnull=False, project__is_published=True)
        .filter(Q(starts_on__lte=today, ends_on__gte=today) | Q(finalised_at__isnull=False))
        .select_related("project__alliance")
    )


def notice_get_public(*, pk, today=None):
    """A notice and the applications it lists; outside its period (and not final) it is not found."""
    notice = notice_list_public(today=today).filter(pk=pk).first()
    if notice is None:
        raise Http404
    listed = list(
        notice.applications.filter(status__in=[Application.Status.SELECTED, Application.Status.FINAL])
        .select_related("subject")
        .order_by("kind", "province", "pk")
    )
    for application in listed:
        application.area = application_area(application)
    return notice, listed


def selection_confirmed(*, project):
    return project.notices.filter(finalised_at__isnull=False).exists()


def correction_list(*, project):
    return project.corrections.select_related("application__subject", "decided_by").order_by("-decided_at", "-pk")


# ---- the public call -----------------------------------------------------------------------------------------

def call_list_public(*, now=None):
    """Published calls still open for applications: what a county bureau looks for."""
    return (Project.objects.filter(is_published=True, deadline__gte=now or timezone.now())
            .select_related("alliance").order_by("deadline", "pk"))


def call_get_public(*, slug, now=None):
    """An open call, its subjects, and whom a county asks in each province: ``(project, subjects, provinces)``
    with provinces as ``{"province", "unit", "contact"}`` (contact: the 项目联系表, or None). A draft or closed
    call is not found. The page shows office numbers only, never a mobile or WeChat."""
    project = call_list_public(now=now).filter(slug=slug).first()
    if project is None:
        raise Http404
    contacts = {c.province: c for c in ProvincialContact.objects.filter(project=project)}
    provinces = {}
    for organiser in project.organisers.order_by("province", "pk"):
        provinces.setdefault(organiser.province, {"province": organiser.province, "unit": organiser.unit_name,
                                                  "contact": contacts.get(organiser.province)})
    return project, list(project.subjects.all()), list(provinces.values())


# ---- tracking ------------------------------------------------------------------------------------------------

def pairing_get_for_recorder(*, user, pk):
    """The pairing, if the user may record its activities (can_record_activity); else PermissionDenied."""
    pairing = (Pairing.objects.select_related("project__alliance", "community__subject", "county", "subject")
               .filter(pk=pk).first())
    if pairing is None:
        raise Http404
    require_record_activity(user, pairing)
    return pairing


def pairing_list_for_recorder(*, user):
    """The pairings a user records activities for as the community's leader or the county's provincial organiser."""
    if not user.is_authenticated:
        return Pairing.objects.none()
    return (
        Pairing.objects.filter(
            Q(leader=user)
            | Q(project__organisers__user=user, county__province=F("project__organisers__province"))
        )
        .select_related("project", "community__subject", "county", "subject")
        .distinct()
    )


def activity_list_for_pairing(*, pairing):
    return pairing.activities.prefetch_related("teachers").order_by("-date", "-pk")


def activities_unconfirmed(*, project):
    """Activities of the project with class hours staff have not confirmed yet (not paid until they are)."""
    return (
        Activity.objects.filter(pairing__project=project, teachers__confirmed_at__isnull=True)
        .select_related("pairing__community__subject", "pairing__county", "pairing__subject")
        .prefetch_related("teachers")
        .distinct()
        .order_by("date", "pk")
    )


def class_hours_confirmed(*, project, up_to):
    """The teachers' class hours of the project that staff have confirmed, for activities dated up to ``up_to``:
    what subsidies are paid on (004 二（二）按课时支付劳务补贴)."""
    return ActivityTeacher.objects.filter(
        activity__pairing__project=project, activity__date__lte=up_to, confirmed_at__isnull=False
    )


def project_dashboard(*, project):
    """Counts for staff: applications by province, pairings by county and subject, reach and hours."""
    by_province = defaultdict(lambda: {"county": 0, "community": 0, "selected": 0, "sanqu": 0})
    for row in (
        Application.objects.filter(project=project).exclude(status=Application.Status.DRAFT)
        .values("province", "kind", "status", "is_sanqu_sanzhou").annotate(n=Count("pk"))
    ):
        cell = by_province[row["province"]]
        cell[row["kind"]] += row["n"]
        if row["status"] in (Application.Status.SELECTED, Application.Status.FINAL):
            cell["selected"] += row["n"]
        if row["is_sanqu_sanzhou"] and row["kind"] == "county":
            cell["sanqu"] += row["n"]
    pairings = (
        Pairing.objects.filter(project=project)
        .select_related("community", "county", "subject", "community__subject")
        .prefetch_related("activities__teachers")
    )
    by_pairing = []
    for pairing in pairings:
        points, schools, hours = set(), set(), Decimal("0")
        for activity in pairing.activities.all():
            points.update(activity.teaching_point_list)
            schools.update(activity.rural_school_list)
            hours += activity.class_hours
        by_pairing.append({"pairing": pairing, "activities": len(pairing.activities.all()),
                           "teaching_points": len(points), "rural_schools": len(schools), "hours": hours})
    return {"by_province": dict(sorted(by_province.items())), "by_pairing": by_pairing}


def notice_search(text):
    """The public 公示 whose title or listed applicant contains the text."""
    return (
        notice_list_public()
        .filter(Q(title__icontains=text) | Q(applications__applicant_unit__icontains=text)
                | Q(applications__county__icontains=text) | Q(applications__leader_name__icontains=text))
        .distinct().order_by("-starts_on", "-pk")
    )


def notice_search_row(notice):
    return notice.title, reverse("projects:notice_detail", args=[notice.pk]), notice.project.title
