"""Every non-trivial read of the governance app, and who may see what.

A director sees the meetings of the bodies where they hold a seat on the meeting's date, each motion's
text, their own ballot, and the result once the vote has closed. Staff of the alliance (alliance.permissions)
also see the live count and attendance. Anyone else gets a 404: not even the existence of a meeting leaks.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.permissions import alliances_managed_by, can_manage_alliance

from . import audiences
from .models import (
    Agreement, AnnualReport, Attendance, Ballot, Briefing, LeadTask, Meeting, Motion, Seat, Target, TargetProgress,
)
from .services.seats import IneligibleSeat, seat_eligibility


def _seats_of(user):
    if not user.is_authenticated or not user.is_active:
        return Seat.objects.none()
    return Seat.objects.filter(user=user)


def meeting_list_for_user(*, user):
    """Meetings of bodies where the user holds a seat (on the meeting's date), plus those staff manage."""
    seats = _seats_of(user).filter(body=OuterRef("body"))
    on_the_day = seats.filter(start_date__lte=OuterRef("date")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("date"))
    )
    # Correspondence votes run over days: a director in office today takes part (as the services count).
    today = seats.in_office()
    return (
        Meeting.objects.filter(
            # The bodies first, so that only their meetings are read (index on body, date), not every meeting.
            Q(body__in=_seats_of(user).values("body")) & (
                Exists(on_the_day) | (Q(form=Meeting.Form.CORRESPONDENCE) & Exists(today)))
            | Q(body__alliance__in=alliances_managed_by(user))
        )
        .select_related("body__alliance")
        # Counted per meeting shown (subqueries run for the page's rows only), not grouped over every meeting.
        .annotate(motion_count=_motions_counted(), open_count=_motions_counted(status=Motion.Status.OPEN))
        .order_by("-date", "-pk")
    )


def _motions_counted(**filters):
    motions = (Motion.objects.filter(meeting=OuterRef("pk"), **filters).order_by().values("meeting")
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(motions, output_field=IntegerField()), 0)


def access_for(*, user, meeting):
    """('staff' | 'director' | None, seat) for this user at this meeting."""
    if can_manage_alliance(user, meeting.body.alliance):
        seat = director_seat(user=user, meeting=meeting)
        return "staff", seat
    seat = director_seat(user=user, meeting=meeting)
    return ("director", seat) if seat else (None, None)


def seat_day(meeting):
    # As the services count: correspondence votes run over days, so who is in office is read today.
    return timezone.localdate() if meeting.is_correspondence else meeting.date


def director_seat(*, user, meeting):
    if not user.is_authenticated or not user.is_active:
        return None
    return Seat.objects.in_office(on=seat_day(meeting)).filter(body_id=meeting.body_id, user=user).order_by("pk").first()


def meeting_get_for_user(*, user, pk):
    """The meeting with its motions, results and the user's ballots; raises Http404 for anyone else."""
    meeting = Meeting.objects.select_related("body__alliance__rules").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    role, seat = access_for(user=user, meeting=meeting)
    if role is None:
        raise Http404
    my_ballots = Ballot.objects.filter(voter=user).prefetch_related("candidates")
    motions = list(
        meeting.motions.select_related("result")
        .prefetch_related("candidates", "follow_ups",
                          Prefetch("ballots", queryset=my_ballots, to_attr="my_ballots"))
        .order_by("order", "pk")
    )
    for motion in motions:
        motion.my_ballot = motion.my_ballots[0] if motion.my_ballots else None
        if motion.status == Motion.Status.DRAFT:
            motion.candidate_rows = [
                (candidate, candidate_breaches(candidate=candidate, motion=motion)) for candidate in motion.candidates.all()
            ]
    meeting.motion_list = motions
    meeting.access = role
    meeting.my_seat = seat
    meeting.checked_in = bool(seat) and Attendance.objects.filter(meeting=meeting, seat__user=user).exists()
    # The chair presides (000 art. 17) and, where the charter says so, breaks a tie across the last seat.
    meeting.presides = bool(seat) and Seat.objects.in_office(on=seat_day(meeting)).filter(
        body_id=meeting.body_id, user=user, role__in=[Seat.Role.CHAIR, Seat.Role.ROTATING_CHAIR]
    ).exists()
    meeting.chair_breaks_ties = meeting.body.alliance.rules.tie_rule == "chair_decides"
    if role == "staff":
        meeting.attendance_list = list(
            meeting.attendances.select_related("seat", "recorded_by").order_by("checked_in_at"))
        counts = {}
        for motion_id, choice in Ballot.objects.filter(motion__meeting=meeting).values_list("motion_id", "choice"):
            counts.setdefault(motion_id, {c: 0 for c in Ballot.Choice.values})[choice] += 1
        for motion in motions:
            motion.live_count = counts.get(motion.pk, {c: 0 for c in Ballot.Choice.values})
    return meeting


def candidate_breaches(*, candidate, motion):
    """The officer rules (000 arts. 14–16) this candidate would break if elected, as Chinese sentences; shown
    before the vote so the council can vote on an exception first (000 art. 15). Empty when none."""
    try:
        # seat_eligibility counts the candidate's consecutive terms and asks seat_breaches.
        seat_eligibility(
            body=motion.meeting.body, role=candidate.role, start_date=motion.officer_start_date or motion.meeting.date,
            birth_date=candidate.birth_date, user=candidate.user, person_name=candidate.person_name,
            unit_name=candidate.unit_name,
        )
    except (IneligibleSeat, ValidationError) as exc:
        return exc.messages
    return []


def motion_get_for_user(*, user, pk):
    """One motion for a director of its body or staff of its alliance; Http404 for everyone else."""
    motion = Motion.objects.select_related("meeting").filter(pk=pk).first()
    if motion is None:
        raise Http404
    meeting = meeting_get_for_user(user=user, pk=motion.meeting_id)
    return next(m for m in meeting.motion_list if m.pk == motion.pk), meeting


BALLOT_FIELDS = ("meeting_id", "kind", "status", "counting", "seats_to_fill", "open_snapshot", "meeting__body_id",
                 "meeting__form", "meeting__date", "meeting__status", "meeting__correspondence_deadline")


def motion_for_ballot(*, pk):
    """The motion a ballot is cast on, with its meeting and charter rules (what services.ballot_cast reads);
    Http404 if there is none. Who may see it is left to the cast, which refuses anyone without a seat: for a
    director, the seat the cast finds is the answer, so it is looked up once (the view asks
    motion_get_for_user only after a refusal, to answer 404 rather than 403 to those who may not see it)."""
    try:
        # The columns a cast reads, not the five tables of the meeting page; the rules come with the motion's
        # snapshot (services.votes._rules_of), and a cast counts nothing.
        return Motion.objects.select_related("meeting").only(*BALLOT_FIELDS).get(pk=pk)
    except Motion.DoesNotExist:
        raise Http404 from None


def ballots_visible_to(*, user, motion):
    """Who voted how: staff of the alliance only (directors see their own ballot and the result)."""
    if not can_manage_alliance(user, motion.meeting.body.alliance):
        return Ballot.objects.none()
    return motion.ballots.select_related("voter", "seat", "recorded_by").order_by("cast_at")


def result_document_context(*, result):
    motion = result.motion
    meeting = Meeting.objects.select_related("body__alliance").get(pk=motion.meeting_id)
    # The sentence names the form (以通讯形式召开…): a title that ends with it too would say it twice.
    form_suffix = f"（{meeting.get_form_display()}）"
    meeting_name = meeting.title.removesuffix(form_suffix).removesuffix(f"({meeting.get_form_display()})")
    alliance = meeting.body.alliance
    return {"result": result, "motion": motion, "meeting": meeting, "alliance": alliance,
            "meeting_name": meeting_name, "issuer": f"{alliance.name}{meeting.body.name}",
            "signed_on": result.document_date}


def briefing_list_for_user(*, user):
    """Published briefings of the alliances where the user holds a seat, those sent to the member units of the
    alliances where the user's unit is a member (seed 003), plus all that staff manage."""
    if not user.is_authenticated:
        return Briefing.objects.none()
    seated_in = Seat.objects.in_office().filter(user=user).values("body__alliance")
    published = Q(status=Briefing.Status.PUBLISHED)
    return (
        Briefing.objects.filter(
            published & Q(alliance__in=seated_in)
            | published & Q(to_members=True, alliance__in=audiences.alliances_read_by(user))
            | Q(alliance__in=alliances_managed_by(user))
        ).select_related("alliance").order_by("-year", "-number")
    )


def briefings_to_members_for_user(*, user, alliance):
    """The alliance's published briefings sent to its member units (seed 003) that the user may read, for the
    member page."""
    return briefing_list_for_user(user=user).filter(
        alliance=alliance, to_members=True, status=Briefing.Status.PUBLISHED
    )


def briefing_get_for_user(*, user, pk):
    briefing = briefing_list_for_user(user=user).filter(pk=pk).first()
    if briefing is None:
        raise Http404
    return briefing


def briefing_document_context(*, briefing):
    issuers = list(briefing.issuers.select_related("alliance").order_by("order", "pk"))
    return {
        "briefing": briefing, "alliance": briefing.alliance,
        "issuers": [f"{body.alliance.name}{body.name}" for body in issuers],
        "articles": list(briefing.articles.order_by("order", "pk")),
    }


def motions_with_deadlines(motions, limit=10):
    """The workbench's list under its count of motions in vote (alliance/workbench.py): each with the deadline of
    its vote by correspondence (000 art. 13), or none when it is voted at the meeting; the nearest first."""
    rows = motions.select_related("meeting").order_by(F("meeting__correspondence_deadline").asc(nulls_last=True),
                                                      "pk")[:limit]
    return [(_("%(title)s：%(title2)s") % {"title": motion.meeting.title, "title2": motion.title}, motion.meeting.correspondence_deadline) for motion in rows]


def referrals_of_member(member):
    """The referrals of a member's violation to the authorities, on its record (001 art. 22 (一))."""
    from .models import MemberReferral

    return MemberReferral.objects.filter(member=member).select_related("decision").order_by("referred_on", "pk")
# ---- the alliance's record: annual reports, targets, lead tasks, agreements (002 arts. 5, 7, 8; seed 003) ----

def annual_reports_filed(*, alliance):
    """The approved annual work reports whose PDF is filed, newest first: public with the alliance."""
    return AnnualReport.objects.filter(alliance=alliance, status=AnnualReport.Status.APPROVED).exclude(pdf="").order_by(
        "-year")


def annual_report_get_public(*, pk):
    report = AnnualReport.objects.filter(pk=pk, alliance__is_public=True, status=AnnualReport.Status.APPROVED).exclude(
        pdf="").first()
    if report is None:
        raise Http404
    return report


def targets_with_progress(*, alliance, today=None):
    """The alliance's targets, each with its entries, its latest value, the straight-line pace and whether it is
    behind that pace today (002 art. 8 (二))."""
    today = today or timezone.localdate()
    targets = list(Target.objects.filter(alliance=alliance).prefetch_related(
        Prefetch("progress", queryset=TargetProgress.objects.order_by("recorded_on", "pk"), to_attr="entries")))
    for target in targets:
        target.current = target.progress_on(today, target.entries)
        target.expected = target.expected_on(today)
        target.behind = target.is_behind(today, target.entries)
    return targets


def lead_tasks_of(*, alliance):
    return LeadTask.objects.filter(alliance=alliance).select_related("lead_member")


def agreements_of(*, alliance):
    return Agreement.objects.filter(alliance=alliance)


def alliance_readers(user):
    """The alliances whose private papers the user may read: as staff, as a seat holder, or as a member unit."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    seated_in = Seat.objects.in_office().filter(user=user).values("body__alliance")
    return (Q(alliance__in=alliances_managed_by(user)) | Q(alliance__in=seated_in)
            | Q(alliance__in=audiences.alliances_read_by(user)))


def agreement_get_for_user(*, user, pk):
    """An agreement for the alliance's staff, its seat holders and its member units; Http404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    agreement = Agreement.objects.filter(alliance_readers(user), pk=pk).first()
    if agreement is None:
        raise Http404
    return agreement
def nav_link(user, facts):
    """我的会议 for people with a seat in a body (in office or not: the fact ``has_seat``, registered in
    GovernanceConfig.ready()) and for staff; nobody else has meetings."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_staff or facts["has_seat"]:
        return _("我的会议"), reverse("governance:meeting_list")
    return None
