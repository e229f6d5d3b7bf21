"""Reads of the members app, with the permission check for each guarded object."""

from django.utils.translation import gettext
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Func, Prefetch, Q, TextField
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance.permissions import can_manage_alliance
from governance import effects
from governance.models import Motion

from .models import Application, ApplicationEvent, Attachment, Certificate, Kind, Member
from .services.common import member_notify_email


def _viewer_allowed(user, *, owner_id, alliance):
    if not user.is_authenticated:
        return False
    if user.pk == owner_id:
        return True
    return can_manage_alliance(user, alliance)


def _application_get(user, pk, *prefetch):
    application = (
        Application.objects.select_related("alliance__rules", "applicant").prefetch_related(*prefetch)
        .filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    if not _viewer_allowed(user, owner_id=application.applicant_id, alliance=application.alliance):
        raise PermissionDenied(gettext("您无权查看该申请。"))
    return application


def application_get_for_user(*, user, pk):
    """The application with its timeline and files if user is its applicant or staff of its alliance; 404 if
    missing, 403 otherwise."""
    return _application_get(
        user, pk, Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")), "events__decisions",
        "attachments",
    )


def application_get_for_applicant(*, user, pk):
    """The application with its files, only for its applicant (who alone may edit it)."""
    application = _application_get(user, pk, "attachments")
    if application.applicant_id != user.pk:
        raise PermissionDenied(gettext("只有申请人本人可以修改该申请。"))
    return application


def application_list_for_applicant(*, user):
    return (
        Application.objects.filter(applicant=user)
        .select_related("alliance", "member")
        .order_by("-created_at", "-pk")
    )


def attachment_get_for_user(*, user, pk):
    attachment = Attachment.objects.select_related("application__alliance").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    app = attachment.application
    if not _viewer_allowed(user, owner_id=app.applicant_id, alliance=app.alliance):
        raise PermissionDenied(gettext("您无权查看该附件。"))
    return attachment


def member_get_for_user(*, user, pk):
    member = (
        Member.objects.select_related("alliance__rules", "liaison", "application", "decision")
        .prefetch_related("events__decisions", Prefetch("certificates", queryset=Certificate.objects.order_by("-pk")))
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    if not _viewer_allowed(user, owner_id=member.user_id, alliance=member.alliance):
        raise PermissionDenied(gettext("您无权查看该成员信息。"))
    return member


def member_list_for_user(*, user):
    return Member.objects.filter(user=user).select_related("alliance").order_by("alliance", "number")


def certificate_get_for_user(*, user, pk):
    certificate = Certificate.objects.select_related("member__alliance").filter(pk=pk).first()
    if certificate is None or not certificate.file:
        raise Http404
    member = certificate.member
    if not _viewer_allowed(user, owner_id=member.user_id, alliance=member.alliance):
        raise PermissionDenied(gettext("您无权下载该证书。"))
    if member.has_left:
        raise PermissionDenied(gettext("该成员已退出或被除名，证书不再提供下载。"))
    return certificate


def certificate_for_verification(*, token):
    """Public: the certificate and its state; only names leave this function's callers."""
    certificate = Certificate.objects.select_related("member__alliance").filter(token=token).first()
    if certificate is None:
        raise Http404
    return certificate


def certificate_state(certificate, *, today):
    """valid / expired / withdrawn / expelled / revoked, as the verification page says it."""
    member = certificate.member
    if certificate.is_revoked:
        return "revoked"
    if member.status == Member.Status.EXPELLED:
        return "expelled"
    if member.status == Member.Status.WITHDRAWN:
        return "withdrawn"
    if member.status == Member.Status.LAPSED or member.term_expired(today):
        return "expired"
    if certificate.valid_until and certificate.valid_until < today:
        return "expired"
    return "valid"


DIRECTORY_FIELDS = ("pk", "name", "kind", "number", "admitted_on", "status")


def member_directory(*, alliance):
    """Public 成员名录: members whose membership has not ended, by number; names and status only, no contact data."""
    return (
        Member.objects.filter(alliance=alliance)
        .exclude(status__in=Member.ENDED_STATUSES)
        .only(*DIRECTORY_FIELDS)
        .order_by("number", "pk")
    )


def _units_reading_briefings():
    # The units a briefing sent to the member units reaches (seed 003: 发：…成员单位): those in good standing.
    return Member.objects.filter(kind=Kind.UNIT, status=Member.Status.ACTIVE)


def briefing_reader_alliances(user):
    """The alliances where the user's unit is an active member, as ids (governance.audiences)."""
    if not user.is_authenticated or not user.is_active:
        return Member.objects.none().values("alliance")
    return _units_reading_briefings().filter(user=user).values("alliance")


def briefing_recipient_emails(alliance):
    """The liaisons' addresses of the alliance's active member units (governance.audiences)."""
    members = _units_reading_briefings().filter(alliance=alliance).select_related("liaison", "application", "user")
    return [email for email in map(member_notify_email, members) if email]


def seat_rights_suspended(seat, right):
    """governance.effects check: the seat's holder represents a member whose ``right`` (Member.Right) is
    suspended by a sanction (001 art. 22 (二)); a lifted sanction, or a seat of no member, suspends nothing."""
    if seat is None or seat.member_id is None:
        return False
    member = Member.objects.filter(pk=seat.member_id).values("status", "suspended_rights").first()
    return member["status"] == Member.Status.SUSPENDED and right in member["suspended_rights"]


def decision_choices(*, alliances, body_kinds, kinds, subjects=()):
    """The passed motions staff may choose as a decision: of these bodies of these alliances and of these kinds,
    naming one of subjects where the kind acts on a record (the services check the one chosen)."""
    naming = Q(kind__in=[kind for kind in kinds if effects.subject_for(kind) is None])
    for subject in subjects:
        naming |= Q(subject_ids__contains=[subject.pk])
    return (
        Motion.objects.filter(naming, meeting__body__alliance__in=alliances, meeting__body__kind__in=body_kinds,
                              kind__in=kinds, status=Motion.Status.PASSED)
        .select_related("meeting__body__alliance").order_by("-voting_closed_at", "-pk")
    )


# The workbench's charts (alliance/workbench.py): rows of (label, (values…)) for the alliances given.

def _current_members(alliance_ids):
    return Member.objects.filter(alliance__in=alliance_ids, status__in=Member.CURRENT_STATUSES)


def members_by_kind(alliance_ids, today):
    rows = _current_members(alliance_ids).values("kind").annotate(n=Count("*")).order_by("kind")
    return [(Kind(row["kind"]).label, (row["n"],)) for row in rows]


def members_by_province(alliance_ids, today):
    """By the province of the member's application; members the charter named have none (未填写)."""
    rows = (_current_members(alliance_ids).values("application__province").annotate(n=Count("*"))
            .order_by("-n", "application__province"))
    return [(row["application__province"] or gettext("未填写"), (row["n"],)) for row in rows]


def members_by_admission_year(alliance_ids, today):
    rows = (_current_members(alliance_ids).annotate(year=ExtractYear("admitted_on")).values("year")
            .annotate(n=Count("*")).order_by("year"))
    return [(f"{row['year']}年", (row["n"],)) for row in rows]


# The names are the chart's series and its rows' keys (query annotations), so they stay plain text.
APPLICATION_OUTCOMES = {"已批准": [Application.Status.APPROVED], "未批准": [Application.Status.REJECTED],
                        "审核中": [s for s in Application.OPEN_STATUSES if s != Application.Status.DRAFT]}


def applications_by_month(alliance_ids, today):
    """This year's applications by the month they were submitted in and their outcome."""
    rows = (Application.objects.filter(alliance__in=alliance_ids, submitted_at__year=today.year)
            .annotate(month=TruncMonth("submitted_at")).values("month")
            .annotate(**{name: Count("pk", filter=Q(status__in=statuses))
                         for name, statuses in APPLICATION_OUTCOMES.items()})
            .order_by("month"))
    return [(f"{row['month']:%Y年%-m月}", tuple(row[name] for name in APPLICATION_OUTCOMES)) for row in rows]


# ---- the technical supporter's assessments (000 组织架构 1) ---------------------------------------------------------

def _rounds():
    from .models import AssessmentRound

    return AssessmentRound.objects.select_related("alliance").prefetch_related("criteria")


def assessment_rounds_for_supporter(*, user):
    from .services.assessments import supporter_alliances

    return _rounds().filter(alliance__in=supporter_alliances(user))


def assessment_round_get_for_supporter(*, user, pk):
    """A round its alliance's supporter works on; the alliance's staff may read it too."""
    from .services.assessments import is_supporter

    round_ = _rounds().filter(pk=pk).first()
    if round_ is None:
        raise Http404
    if not (is_supporter(user, round_.alliance) or can_manage_alliance(user, round_.alliance)):
        raise PermissionDenied(gettext("您无权查看该业务考核。"))
    return round_


def assessment_round_results(round_):
    """Every result of a round with its scores, in member order."""
    return round_.assessments.select_related("member", "assessed_by").prefetch_related("scores__criterion",
                                                                                       "corrections")


def assessment_summary_get(*, user, pk):
    """A published round's summary: public, or for the alliance's members, its staff and its supporter, as the
    round says."""
    from .models import AssessmentRound
    from .services.assessments import is_supporter

    round_ = _rounds().filter(pk=pk, status=AssessmentRound.Status.PUBLISHED).first()
    if round_ is None:
        raise Http404
    if round_.summary_visibility == AssessmentRound.Visibility.PUBLIC:
        return round_
    if not user.is_authenticated:
        raise PermissionDenied(gettext("该考核结果仅向本联盟成员公布。"))
    member = Member.objects.filter(alliance=round_.alliance_id, user=user, status__in=Member.CURRENT_STATUSES)
    if member.exists() or can_manage_alliance(user, round_.alliance) or is_supporter(user, round_.alliance):
        return round_
    raise PermissionDenied(gettext("该考核结果仅向本联盟成员公布。"))


def assessments_published_for_member(member):
    """The member's own results of the published rounds (shown on its page)."""
    from .models import Assessment, AssessmentRound

    return (Assessment.objects.filter(member=member, round__status=AssessmentRound.Status.PUBLISHED)
            .select_related("round").prefetch_related("scores__criterion", "corrections")
            .order_by("-round__period_end", "-pk"))
def nav_link(user, facts):
    """The top navigation's link to one's applications and memberships: named after what the person has (the fact
    ``is_member``, registered in MembersConfig.ready())."""
    if not user.is_authenticated:
        return None
    label = _("我的成员资格") if facts["is_member"] else _("我的入会申请")
    return label, reverse("members:my_applications")


def name_grams(text):
    """The single characters of a search term of one, else its neighbouring pairs: what members_name_grams (migration
    0013) lists of a name that contains it."""
    text = text.lower()
    return [text] if len(text) == 1 else sorted({text[i:i + 2] for i in range(len(text) - 1)})


class NameGrams(Func):
    function = "members_name_grams"
    output_field = ArrayField(TextField())


def member_search(text):
    """The public 成员名录 rows (names and numbers only) whose name contains the text, in public alliances."""
    rows = Member.objects.filter(alliance__is_public=True, name__icontains=text)
    if connection.vendor == "postgresql" and text:
        # Through the index of the names' characters (migration 0013): without it every search reads every member.
        rows = rows.alias(name_grams=NameGrams("name")).filter(name_grams__contains=name_grams(text))
    return (
        rows.exclude(status__in=Member.ENDED_STATUSES)
        .select_related("alliance").only("pk", "name", "number", "alliance__slug", "alliance__name")
        .order_by("alliance__name", "number", "pk")
    )


def member_search_row(member):
    return (member.name, reverse("member_directory", kwargs={"slug": member.alliance.slug}),
            f"{member.alliance.name} · {member.number}")
