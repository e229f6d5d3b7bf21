"""Directors' pages: my meetings, each motion with its ballot, the result after the close. Thin: the
selectors decide who sees what, the services decide what may change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.downloads import private_file_response
from alliance.inputs import posted_keys
from alliance.pagination import page_of

from . import selectors, services
from .models import Ballot

MEETINGS_PER_PAGE = 30


@login_required
def meeting_list(request):
    page = page_of(selectors.meeting_list_for_user(user=request.user), MEETINGS_PER_PAGE, request.GET.get("page"))
    return render(request, "governance/meeting_list.html", {"meetings": page.object_list, "page": page})


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return render(request, "governance/meeting_detail.html", {"meeting": meeting, "choices": Ballot.Choice.choices})


@login_required
def motion_detail(request, pk):
    motion, meeting = selectors.motion_get_for_user(user=request.user, pk=pk)
    ballots = selectors.ballots_visible_to(user=request.user, motion=motion)
    return render(request, "governance/motion_detail.html", {
        "motion": motion, "meeting": meeting, "ballots": ballots, "choices": Ballot.Choice.choices,
    })


@login_required
@require_POST
def motion_vote(request, pk):
    motion = selectors.motion_for_ballot(pk=pk)
    try:
        candidate_ids = posted_keys(request.POST.getlist("candidate"))
        _ballot, created = services.ballot_cast(
            actor=request.user, motion=motion, choice=request.POST.get("choice", ""), candidate_ids=candidate_ids
        )
    except PermissionDenied:
        # Not a director: a 404 for those who may not even see the motion, the 403 for staff.
        selectors.motion_get_for_user(user=request.user, pk=pk)
        raise
    except ValidationError as exc:
        messages.error(request, _("；").join(exc.messages))
    else:
        messages.success(request, _("您的表决已提交。") if created else _("您的表决已修改。"))
    return redirect(request.POST.get("next") == "meeting" and motion.meeting.get_absolute_url()
                    or motion.get_absolute_url())


@login_required
@require_POST
def motion_tie_break(request, pk):
    motion, _meeting = selectors.motion_get_for_user(user=request.user, pk=pk)
    try:
        candidate_ids = posted_keys(request.POST.getlist("candidate"))
        services.election_tie_break(actor=request.user, motion=motion, candidate_ids=candidate_ids)
    except ValidationError as exc:
        messages.error(request, _("；").join(exc.messages))
    else:
        messages.success(request, _("平票已决定。"))
    return redirect(motion.get_absolute_url())


@login_required
@require_POST
def meeting_check_in(request, pk):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        services.attendance_check_in(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, _("；").join(exc.messages))
    else:
        messages.success(request, _("已签到。"))
    return redirect(meeting.get_absolute_url())


@login_required
def result_pdf(request, pk, document):
    motion, _meeting = selectors.motion_get_for_user(user=request.user, pk=pk)
    result = getattr(motion, "result", None) if motion.is_closed else None
    field = {"resolution": "resolution_pdf", "minutes": "minutes_pdf"}[document]
    if result is None:
        raise Http404
    name = f"{result.resolution_title if document == 'resolution' else _('表决记录')}-{motion.pk}.pdf"
    return private_file_response(getattr(result, field), filename=name, content_type="application/pdf")


@login_required
def motion_document(request, pk):
    """The document voted on, for those who may see the motion: its directors (a seat) and its staff."""
    motion, _meeting = selectors.motion_get_for_user(user=request.user, pk=pk)
    return private_file_response(motion.document, filename=motion.document_name or _("议案文件-%(pk)s.pdf") % {"pk": motion.pk},
                                 content_type="application/pdf")


@login_required
def briefing_list(request):
    return render(request, "governance/briefing_list.html",
                  {"briefings": selectors.briefing_list_for_user(user=request.user)})


@login_required
def briefing_pdf(request, pk):
    briefing = selectors.briefing_get_for_user(user=request.user, pk=pk)
    return private_file_response(briefing.pdf, filename=f"{briefing.title}{briefing.issue_label}.pdf",
                                 content_type="application/pdf")


def annual_report_pdf(request, pk):
    """A filed annual work report (002 art. 7) is public with its alliance; its link goes to the authority."""
    report = selectors.annual_report_get_public(pk=pk)
    return private_file_response(report.pdf, filename=f"{report.title}.pdf", content_type="application/pdf",
                                 inline=True)


@login_required
def agreement_file(request, pk):
    agreement = selectors.agreement_get_for_user(user=request.user, pk=pk)
    return private_file_response(agreement.file, filename=agreement.title, content_type=agreement.file_type)
