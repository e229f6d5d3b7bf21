"""Thin views: ask selectors who may see what, call services for writes, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _, gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from alliance.documents import DocumentStatus
from alliance.downloads import private_file_response
from alliance.forms import errors_onto_form
from alliance.inputs import posted_key
from alliance.pdf import render_pdf as _render_pdf
from alliance.queueing import enqueue

from . import selectors, services
from .forms import ActivityForm, ContactForm, CorrectionForm, NoticeForm, ScoreForm, attach_errors, build_forms
from .models import Activity, Application, AppointmentLetter, Award, ProvincialContact, SelectionNotice


def render_pdf(template, context):
    """The printed forms are the call's Chinese documents (004 附件1–3), whichever language the site is read in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render_pdf(template, context)


def _messages_of(exc):
    return exc.messages if hasattr(exc, "messages") else [str(exc)]


def project_list(request):
    """The open calls, my projects (as staff, provincial organiser or expert) and the public 公示 notices."""
    return render(request, "projects/project_list.html", {
        "calls": selectors.call_list_public(),
        "projects": selectors.project_list_for_user(user=request.user),
        "pairings": selectors.pairing_list_for_recorder(user=request.user),
        "notices": selectors.notice_list_public(),
    })


@login_required
def project_detail(request, pk):
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    role = selectors.organiser_role(user=request.user, project=project)
    is_staff = selectors.can_manage_project(request.user, project)
    contact = None
    if role is not None:
        contact, _created = selectors.contact_get_for_user(user=request.user, project=project)
    return render(request, "projects/project_detail.html", {
        "project": project, "role": role, "is_staff": is_staff, "contact": contact,
        "is_open": timezone.now() <= project.deadline,
        "applications": selectors.application_list_for_user(user=request.user, project=project),
        "subjects": project.subjects.all(),
    })


@login_required
@require_POST
def application_new(request, pk, kind):
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    if kind not in Application.Kind.values:
        raise Http404
    try:
        application = services.application_create(actor=request.user, project=project, kind=kind)
    except ValidationError as exc:
        messages.error(request, _("；").join(_messages_of(exc)))
        return redirect("projects:detail", pk=project.pk)
    return redirect("projects:application_edit", pk=application.pk)


@login_required
def application_edit(request, pk):
    application = selectors.application_get_for_user(user=request.user, pk=pk, edit=True)
    if not application.is_editable:
        messages.info(request, _("申报表已提交，不能再修改。"))
        return redirect("projects:application_detail", pk=application.pk)
    section_errors = {}
    if request.method == "POST":
        form, formsets = build_forms(application, request.POST, request.FILES)
        if form.is_valid() and all(fs.is_valid() for _key, _title, fs in formsets):
            services.application_save_draft(actor=request.user, form=form, formsets=[fs for _key, _title, fs in formsets])
            if "submit" not in request.POST:
                messages.success(request, _("草稿已保存。"))
                return redirect("projects:application_edit", pk=application.pk)
            try:
                services.application_submit(actor=request.user, application=application)
            except ValidationError as exc:
                # The draft is saved; show the rule messages next to the fields of the reloaded form.
                application.refresh_from_db()
                form, formsets = build_forms(application)
                section_errors = attach_errors(form, formsets, exc.message_dict if hasattr(exc, "error_dict")
                                               else {"__all__": exc.messages})
                messages.error(request, _("草稿已保存，但申报表尚不符合要求，未能提交。请按提示修改。"))
            else:
                messages.success(request, _("申报表已提交。"))
                return redirect("projects:application_detail", pk=application.pk)
        else:
            messages.error(request, _("请按提示修改后再保存。"))
    else:
        form, formsets = build_forms(application)
    sections = [(prefix, heading, fs, section_errors.get(prefix, [])) for prefix, heading, fs in formsets]
    return render(request, "projects/application_form.html", {
        "application": application, "form": form, "formsets": sections,
        "formset_errors": any(errors or fs.non_form_errors() or any(fs.errors) for _key, _title, fs, errors in sections),
    })


@login_required
def application_delete(request, pk):
    """Asked once: the page asks to confirm, its POST deletes the draft."""
    application = selectors.application_get_for_user(user=request.user, pk=pk, edit=True)
    if not application.is_editable:
        messages.info(request, _("申报表已提交，不能删除。"))
        return redirect("projects:application_detail", pk=application.pk)
    if request.method == "POST":
        try:
            services.application_delete_draft(actor=request.user, application=application)
        except ValidationError as exc:
            messages.error(request, _("；").join(_messages_of(exc)))
            return redirect("projects:application_detail", pk=application.pk)
        messages.success(request, _("申报表草稿已删除。"))
        return redirect("projects:detail", pk=application.project_id)
    return render(request, "projects/application_delete.html", {"application": application})


@login_required
def application_detail(request, pk):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    application = selectors.application_detail(application=application)
    role = selectors.organiser_role(user=request.user, project=application.project)
    return render(request, "projects/application_detail.html", {
        "application": application,
        "can_edit": application.is_editable and role is not None and role.province == application.province,
        "can_see_scans": selectors.can_see_scans(request.user, application),
    })


@login_required
@require_GET
def application_pdf(request, pk):
    """A submitted form is printed by a worker once (its file is what was filed); a draft is printed here.

    A draft is one short form (about 0.2 s to lay out), so the organiser previews it without waiting for a
    worker; the submitted version must not change afterwards, so it is rendered once and stored.
    """
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    filename = f"{application.get_kind_display()}-{application.pk}.pdf"
    if application.status != Application.Status.DRAFT:
        if application.pdf_status == DocumentStatus.FAILED:
            # Given up after the last attempt (alliance/documents.py): staff see the error in the admin.
            messages.error(request, _("打印版生成失败，请联系秘书处。"))
            return redirect("projects:application_detail", pk=application.pk)
        if not application.pdf_file:
            enqueue("projects.tasks.application_pdf_render", application.pk)
            messages.info(request, _("打印版正在生成，请稍后再试。"))
            return redirect("projects:application_detail", pk=application.pk)
        return private_file_response(application.pdf_file, filename=filename, content_type="application/pdf",
                                     inline=True)
    pdf = render_pdf(f"projects/pdf/{application.kind}.html",
                     selectors.application_print_context(application=application, draft=True))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{application.pk}.pdf"
    return response


@login_required
@require_GET
def application_scan(request, pk, field):
    scan, filename = selectors.application_scan_get_for_user(user=request.user, pk=pk, field=field)
    return private_file_response(scan, filename=filename or f"scan-{pk}")


@login_required
@require_GET
def award_evidence(request, pk):
    award = get_object_or_404(Award, pk=pk)
    selectors.application_get_for_user(user=request.user, pk=award.application_id)
    return private_file_response(award.evidence, filename=f"award-{award.pk}")


@login_required
def contact_edit(request, pk):
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    contact, role = selectors.contact_get_for_user(user=request.user, project=project)
    if role is None:
        raise PermissionDenied(_("只有省级项目组织单位可以填写项目联系表。"))
    if contact is not None and contact.status != "draft":
        return render(request, "projects/contact_detail.html", {"project": project, "contact": contact})
    form = ContactForm(request.POST or None, request.FILES or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.contact_save(actor=request.user, project=project, form=form)
        if "submit" in request.POST:
            try:
                services.contact_submit(actor=request.user, project=project)
            except ValidationError as exc:
                form.add_error(None, exc)
                messages.error(request, _("项目联系表已保存为草稿，但未能提交。"))
                return render(request, "projects/contact_form.html",
                              {"project": project, "form": form, "role": role})
            messages.success(request, _("项目联系表已提交。"))
        else:
            messages.success(request, _("项目联系表已保存。"))
        return redirect("projects:contact", pk=project.pk)
    return render(request, "projects/contact_form.html", {"project": project, "form": form, "role": role})


@login_required
@require_GET
def contact_scan(request, pk, province=None):
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    contact, _created = selectors.contact_get_for_user(user=request.user, project=project, province=province)
    if contact is None:
        raise Http404
    return private_file_response(contact.scan, filename=contact.scan_name or f"contact-{contact.pk}")


@login_required
@require_GET
def contact_pdf(request, pk, province=None):
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    contact, _created = selectors.contact_get_for_user(user=request.user, project=project, province=province)
    if contact is None:
        raise Http404
    pdf = render_pdf("projects/pdf/contact.html", selectors.contact_print_context(contact=contact, project=project))
    return HttpResponse(pdf, content_type="application/pdf")


# ---- experts -------------------------------------------------------------------------------------------------

@login_required
def review_list(request):
    return render(request, "projects/review_list.html",
                  {"assignments": selectors.assignment_list_for_expert(user=request.user)})


@login_required
def review_score(request, pk):
    assignment = selectors.assignment_get_for_expert(user=request.user, pk=pk)
    application = selectors.application_detail(application=assignment.application)
    criteria = list(selectors.criteria_for(application=application))
    existing = {s.criterion_id: s.value for s in assignment.scores.all()}
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=existing,
                     initial={"comment": assignment.comment})
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_score(actor=request.user, assignment=assignment, values=form.values(),
                                      comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            messages.success(request, _("评分已保存。"))
            return redirect("projects:review_list")
    return render(request, "projects/review_score.html",
                  {"assignment": assignment, "application": application, "form": form})


# ---- staff ---------------------------------------------------------------------------------------------------

def _managed_project(request, pk):
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    selectors.require_manage_project(request.user, project)
    return project


def _selection_page(request, project, *, kind=Application.Kind.COUNTY, notice_form=None, correction_form=None):
    criteria, rows = selectors.score_table(project=project, kind=kind)
    return render(request, "projects/selection.html", {
        "project": project, "kind": kind, "kinds": Application.Kind.choices, "criteria": criteria, "rows": rows,
        "today": timezone.localdate(), "confirmed": selectors.selection_confirmed(project=project),
        "notice_form": notice_form or NoticeForm(initial={"title": f"{project.title}入选名单公示"}),
        "correction_form": correction_form or CorrectionForm(project=project),
        "notices": project.notices.all(), "corrections": selectors.correction_list(project=project),
    })


@login_required
def selection(request, pk):
    project = _managed_project(request, pk)
    kind = request.GET.get("kind", Application.Kind.COUNTY)
    if kind not in Application.Kind.values:
        raise Http404
    if request.method == "POST":
        application = get_object_or_404(Application, pk=posted_key(request.POST.get("application")), project=project)
        try:
            services.application_select(actor=request.user, application=application,
                                        selected=request.POST.get("selected") == "1")
        except ValidationError as exc:
            messages.error(request, _("；").join(exc.messages))
        return redirect(f"{request.path}?kind={kind}")
    return _selection_page(request, project, kind=kind)


@login_required
@require_POST
def notice_publish(request, pk):
    project = _managed_project(request, pk)
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            notice = services.notice_publish(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            messages.success(request, _("公示已发布：%(title)s") % {"title": notice.title})
            return redirect("projects:selection", pk=project.pk)
    messages.error(request, _("公示未发布，请按提示修改。"))
    return _selection_page(request, project, notice_form=form)


@login_required
def notice_finalise(request, pk):
    """确认最终名单 cannot be undone: a GET, or a POST without the confirmation, shows what becomes final and how
    many 聘书 are issued; only the confirming POST finalises."""
    notice = get_object_or_404(SelectionNotice, pk=pk)
    project = _managed_project(request, notice.project_id)
    if request.method != "POST" or "confirm" not in request.POST:
        listed = notice.applications.filter(status=Application.Status.SELECTED).order_by("kind", "pk")
        return render(request, "projects/notice_finalise.html", {
            "notice": notice, "project": project, "listed": listed,
            "letters": sum(1 for a in listed if a.kind == Application.Kind.COMMUNITY),
        })
    try:
        services.notice_finalise(actor=request.user, notice=notice)
    except ValidationError as exc:
        messages.error(request, _("；").join(exc.messages))
    else:
        final = notice.applications.filter(status=Application.Status.FINAL)
        messages.success(request, ngettext("最终入选名单已确认：%(n)s 项正式入选，聘书正在生成。", "最终入选名单已确认：%(n)s 项正式入选，聘书正在生成。", final.count()) % {"n": final.count()})
    return redirect("projects:selection", pk=notice.project_id)


@login_required
@require_POST
def selection_correct(request, pk):
    project = _managed_project(request, pk)
    form = CorrectionForm(request.POST, project=project)
    if form.is_valid():
        try:
            services.selection_correct(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            messages.success(request, _("最终名单更正已记录。"))
            return redirect("projects:selection", pk=project.pk)
    messages.error(request, _("更正未记录，请按提示修改。"))
    return _selection_page(request, project, correction_form=form)


@login_required
def dashboard(request, pk):
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    selectors.require_manage_project(request.user, project)
    return render(request, "projects/dashboard.html", {
        "project": project, "unconfirmed": selectors.activities_unconfirmed(project=project),
        **selectors.project_dashboard(project=project)})


@login_required
@require_POST
def activity_confirm(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("pairing__project__alliance"), pk=pk)
    rows = services.activity_confirm(actor=request.user, activity=activity)
    messages.success(request, _("已确认 %(n)d 条课时记录。") % {"n": len(rows)})
    return redirect("projects:dashboard", pk=activity.pairing.project_id)


# ---- pairings: the community's leader or the county's organiser records activities ----------------------------

@login_required
def pairing_activities(request, pk):
    pairing = selectors.pairing_get_for_recorder(user=request.user, pk=pk)
    form = ActivityForm(request.POST or None, members=pairing.community.team.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record(actor=request.user, pairing=pairing, teachers=form.teachers(),
                                     **{name: form.cleaned_data[name] for name in ActivityForm.Meta.fields})
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            messages.success(request, _("活动已记录，课时经项目组确认后支付劳务补贴。"))
            return redirect("projects:pairing_activities", pk=pairing.pk)
    return render(request, "projects/pairing_activities.html", {
        "pairing": pairing, "form": form, "activities": selectors.activity_list_for_pairing(pairing=pairing),
    })


@login_required
@require_GET
def letter_pdf(request, pk):
    letter = get_object_or_404(AppointmentLetter.objects.select_related("application"), pk=pk)
    selectors.application_get_for_user(user=request.user, pk=letter.application_id)
    return private_file_response(letter.file, filename=f"{letter.number}.pdf", content_type="application/pdf")


# ---- public --------------------------------------------------------------------------------------------------

# The call's three annexes (004 附件1–3), printed blank from the templates the filed forms are printed with.
CALL_FORMS = {"county": gettext_lazy("附件1：试点县申报表"), "community": gettext_lazy("附件2：名师教研共同体申报表"), "contact": gettext_lazy("附件3：项目联系表")}


def call_detail(request, slug):
    """The open call: notice, deadline, the forms to download and whom to ask in each province."""
    project, subjects, provinces = selectors.call_get_public(slug=slug)
    return render(request, "projects/call_detail.html", {
        "project": project, "subjects": subjects, "provinces": provinces, "forms": CALL_FORMS})


@require_GET
def call_form_pdf(request, slug, form):
    project = selectors.call_get_public(slug=slug)[0]
    if form not in CALL_FORMS:
        raise Http404
    if form == "contact":
        context = {"contact": ProvincialContact(project=project), "project": project}
    else:
        # An empty mapping, not an unsaved Application: the templates read the rows through related managers.
        context = {"application": {"project": project, "kind": form}}
    pdf = render_pdf(f"projects/pdf/{form}.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{project.slug}-{form}.pdf"
    return response


def notice_list(request):
    return render(request, "projects/notice_list.html", {"notices": selectors.notice_list_public()})


def notice_detail(request, pk):
    notice, listed = selectors.notice_get_public(pk=pk)
    return render(request, "projects/notice_detail.html", {
        "notice": notice,
        "counties": [a for a in listed if a.kind == Application.Kind.COUNTY],
        "communities": [a for a in listed if a.kind == Application.Kind.COMMUNITY],
    })
