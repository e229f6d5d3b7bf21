"""The technical supporter's assessment pages (000 组织架构 1) and the published summary."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alliance.forms import errors_onto_form

from . import exports, selectors, services
from .forms_assessments import PublishForm, ResultForm, RoundForm
from .models import Assessment


def _require_supporter(user, alliance):
    if not services.is_supporter(user, alliance):
        raise PermissionDenied(_("只有本联盟技术支持者的账号可以进行业务考核。"))


@login_required
def assessment_list(request):
    return render(request, "members/assessment_list.html", {
        "rounds": selectors.assessment_rounds_for_supporter(user=request.user),
        "alliances": services.supporter_alliances(request.user),
    })


@login_required
def assessment_round_create(request, slug):
    alliance = get_object_or_404(services.supporter_alliances(request.user), slug=slug)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.assessment_round_create(
                actor=request.user, alliance=alliance, title=data["title"], period_start=data["period_start"],
                period_end=data["period_end"], criteria=services.criteria_parse(data["criteria"]),
                summary_visibility=data["summary_visibility"],
            )
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            messages.success(request, _("业务考核已创建。"))
            return redirect("members:assessment_round", round_.pk)
    return render(request, "members/assessment_round_form.html", {"form": form, "alliance": alliance})


@login_required
def assessment_round(request, pk):
    round_ = selectors.assessment_round_get_for_supporter(user=request.user, pk=pk)
    is_supporter = services.is_supporter(request.user, round_.alliance)
    form = PublishForm(request.POST or None)
    if request.method == "POST":
        _require_supporter(request.user, round_.alliance)
        if form.is_valid():
            try:
                services.assessment_round_publish(actor=request.user, round=round_, summary=form.cleaned_data["summary"])
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("考核结果已发布。"))
                return redirect("members:assessment_round", round_.pk)
    results = {a.member_id: a for a in selectors.assessment_round_results(round_)}
    rows = [(member, results.get(member.pk)) for member in services.assessable_members(round_).order_by("number")]
    return render(request, "members/assessment_round.html", {
        "round": round_, "rows": rows, "form": form, "is_supporter": is_supporter,
    })


@login_required
def assessment_enter(request, pk, member_pk):
    round_ = selectors.assessment_round_get_for_supporter(user=request.user, pk=pk)
    _require_supporter(request.user, round_.alliance)
    member = get_object_or_404(services.assessable_members(round_), pk=member_pk)
    assessment = Assessment.objects.filter(round=round_, member=member).prefetch_related("scores").first()
    form = ResultForm(request.POST or None, round=round_, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if round_.is_published:
                if assessment is None:
                    raise ValidationError(_("考核结果已发布，不能再补录。"))
                services.assessment_correct(actor=request.user, assessment=assessment, scores=form.scores(),
                                            grade=data["grade"], comment=data["comment"], reason=data["reason"])
            else:
                services.assessment_enter(actor=request.user, round=round_, member=member, scores=form.scores(),
                                          grade=data["grade"], comment=data["comment"])
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            messages.success(request, _("已保存%(name)s的考核结果。") % {"name": member.name})
            return redirect("members:assessment_round", round_.pk)
    return render(request, "members/assessment_enter.html", {
        "round": round_, "member": member, "assessment": assessment, "form": form,
    })


@require_GET
@login_required
def assessment_export(request, pk):
    round_ = selectors.assessment_round_get_for_supporter(user=request.user, pk=pk)
    return exports.assessment_response(round_, selectors.assessment_round_results(round_))


@require_GET
def assessment_summary(request, pk):
    try:
        round_ = selectors.assessment_summary_get(user=request.user, pk=pk)
    except PermissionDenied:
        if not request.user.is_authenticated:  # a members-only summary: sign in first
            return redirect_to_login(request.get_full_path())
        raise
    results = list(round_.assessments.only("grade", "total"))
    grades = Counter(result.grade for result in results)
    return render(request, "members/assessment_summary.html", {
        "round": round_, "count": len(results),
        "grades": [(label, grades.get(value, 0)) for value, label in Assessment.Grade.choices],
    })




