"""The public site: apply, follow an application, the member page and the public certificate check."""

from django.utils.translation import gettext
import re
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliance import pagecache
from alliance.downloads import private_file_response
from alliance.forms import errors_onto_form
from alliance.models import Alliance
from governance import selectors as governance_selectors

from . import selectors, services
from .directory import DIRECTORY_CACHE
from .forms import ApplicationForm, LiaisonForm, WithdrawalForm
from .models import Application, Kind, Member


def _alliance_for_applying(slug):
    alliance = get_object_or_404(Alliance.objects.select_related("rules"), slug=slug, is_public=True)
    return alliance


def _kinds_admitted(rules):
    if not rules.accepts_applications:
        return []
    return [k for k, ok in ((Kind.UNIT, rules.admits_units), (Kind.INDIVIDUAL, rules.admits_individuals)) if ok]


@login_required
def apply_start(request, slug):
    alliance = _alliance_for_applying(slug)
    kinds = _kinds_admitted(alliance.rules)
    if len(kinds) == 1:
        return redirect("members:application_create", slug=slug, kind=kinds[0])
    return render(request, "members/apply_start.html", {"alliance": alliance, "kinds": kinds})


def _handle_application_post(request, *, alliance, kind, application):
    """Save what was typed and uploaded, and submit it if asked, in one service call.

    A refused submit writes nothing; the same input is then saved as a draft: nothing typed or uploaded is lost.
    """
    submitting = "submit" in request.POST
    existing = application.attachments.count() if application else 0  # prefetched by the selector
    form = ApplicationForm(
        request.POST, request.FILES, kind=kind, alliance=alliance, submitting=submitting,
        existing_attachments=existing,
        instance=application or Application(alliance=alliance, applicant=request.user, kind=kind),
    )
    valid = form.is_valid()
    # What passed the checks is saved even when the form as a whole failed.
    data, uploads = form.draft_data(), form.good_uploads()
    save = partial(services.application_save, actor=request.user, alliance=alliance, kind=kind, data=data,
                   application=application)
    try:
        application = save(uploads=uploads, submit=valid and submitting)
    except ValidationError as exc:
        errors_onto_form(form, exc)
        valid = False
        refused_files = "attachments" in getattr(exc, "error_dict", {})
        application = save(uploads=[] if refused_files else uploads)
    if valid and submitting:
        messages.success(request, gettext("申请已提交，请留意电子邮件通知。"))
        return redirect(application.get_absolute_url()), None, application
    if valid:
        messages.success(request, gettext("草稿已保存。"))
        return redirect("members:application_edit", pk=application.pk), None, application
    if submitting:
        messages.error(request, gettext("申请未能提交，请按提示修改；已填写的内容和已上传的附件已保存为草稿。"))
    else:
        # The draft keeps even what failed a check (ApplicationForm.draft_data); the form shows what to fix.
        messages.success(request, gettext("草稿已保存。"))
        form.draft_saved = True
    return None, form, application


@login_required
def application_create(request, slug, kind):
    alliance = _alliance_for_applying(slug)
    if kind not in _kinds_admitted(alliance.rules):
        return render(request, "members/apply_closed.html", {"alliance": alliance}, status=403)
    def open_one():
        existing = Application.objects.filter(
            alliance=alliance, applicant=request.user, kind=kind, status__in=Application.OPEN_STATUSES
        ).only("pk").first()
        if existing is not None:
            messages.info(request, gettext("您已有一份进行中的申请。"))
            return redirect(existing.get_absolute_url())
        return None

    if (response := open_one()) is not None:
        return response
    if request.method == "POST":
        try:
            response, form, application = _handle_application_post(
                request, alliance=alliance, kind=kind, application=None
            )
        except IntegrityError:
            # The same person's other request (a double click, a second tab) created it a moment before:
            # the database's one-open-application constraint refused this one; answer with that application.
            if (response := open_one()) is not None:
                return response
            raise
        if response:
            return response
        return redirect_with_form(request, form, application)
    form = ApplicationForm(kind=kind, alliance=alliance)
    return render(request, "members/application_form.html", {"form": form, "alliance": alliance, "kind": kind})


def redirect_with_form(request, form, application):
    return render(
        request, "members/application_form.html",
        {"form": form, "alliance": application.alliance, "kind": application.kind, "application": application,
         "draft_saved": getattr(form, "draft_saved", False)},
        status=200,
    )


@login_required
def application_edit(request, pk):
    application = selectors.application_get_for_applicant(user=request.user, pk=pk)
    if not application.is_editable:
        messages.info(request, gettext("该申请已提交或已审结，不能修改。"))
        return redirect(application.get_absolute_url())
    alliance = application.alliance
    if request.method == "POST":
        response, form, application = _handle_application_post(
            request, alliance=alliance, kind=application.kind, application=application
        )
        if response:
            return response
        return redirect_with_form(request, form, application)
    # A draft may hold values that failed a check when it was saved: opened again, it shows their messages.
    form = ApplicationForm.reopened(application)
    return render(
        request, "members/application_form.html",
        {"form": form, "alliance": alliance, "kind": application.kind, "application": application,
         "draft_saved": bool(form.errors)},
    )


@login_required
def my_applications(request):
    memberships = list(selectors.member_list_for_user(user=request.user))
    return render(
        request, "members/my_applications.html",
        {
            "applications": selectors.application_list_for_applicant(user=request.user),
            "memberships": memberships,
            # Named as the top navigation names it (members/selectors.py nav_link).
            "page_title": _("我的成员资格") if memberships else _("我的入会申请"),
        },
    )


@login_required
def application_detail(request, pk):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    member = getattr(application, "member", None) if application.status == Application.Status.APPROVED else None
    return render(request, "members/application_detail.html", {"application": application, "member": member})


@require_GET
@login_required
def attachment_download(request, pk):
    attachment = selectors.attachment_get_for_user(user=request.user, pk=pk)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type,
        inline=attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf",
    )


@require_POST
@login_required
def attachment_delete(request, pk):
    attachment = selectors.attachment_get_for_user(user=request.user, pk=pk)
    application = attachment.application
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, gettext("附件已删除。"))
    return redirect("members:application_edit", pk=application.pk)


@login_required
def member_detail(request, pk):
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    current = next((c for c in member.certificates.all() if not c.is_revoked), None)
    return render(
        request, "members/member_detail.html",
        {
            "member": member, "rules": member.alliance.rules, "certificate": current,
            "is_self": member.user_id == request.user.pk, "withdrawal_form": WithdrawalForm(),
            "liaison": getattr(member, "liaison", None),
            "can_withdraw": member.user_id == request.user.pk
            and member.status in (Member.Status.ACTIVE, Member.Status.SUSPENDED),
            "liaison_form": LiaisonForm(instance=getattr(member, "liaison", None)),
            "briefings": governance_selectors.briefings_to_members_for_user(user=request.user,
                                                                            alliance=member.alliance),
            "assessments": selectors.assessments_published_for_member(member),
            "referrals": governance_selectors.referrals_of_member(member),
        },
    )


@require_POST
@login_required
def member_withdrawal_request(request, pk):
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    form = WithdrawalForm(request.POST)
    if form.is_valid() and "confirm" not in request.POST:  # leaving cannot be undone here: asked once
        return render(request, "members/withdrawal_confirm.html", {
            "member": member, "rules": member.alliance.rules, "reason": form.cleaned_data["reason"],
        })
    if form.is_valid():
        try:
            services.member_request_withdrawal(actor=request.user, member=member, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, gettext("退出申请已提交秘书处。"))
    else:
        messages.error(request, gettext("退出说明有误：") + "；".join(form.errors["reason"]))
    return redirect(member.get_absolute_url())


@require_POST
@login_required
def member_liaison(request, pk):
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    form = LiaisonForm(request.POST, instance=getattr(member, "liaison", None))
    if form.is_valid():
        try:
            services.liaison_set(actor=request.user, member=member, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, gettext("联络员已更新。"))
    else:
        messages.error(request, gettext("联络员信息有误：") + "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(member.get_absolute_url())


@require_GET
@login_required
def certificate_download(request, pk):
    certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
    return private_file_response(
        certificate.file, filename=f"成员证书-{certificate.member.number}.pdf", content_type="application/pdf",
        inline=False,
    )


@require_GET
def verify(request, token):
    """Public: says whether a certificate is valid, with the alliance and member name only (no contact data)."""
    try:
        certificate = selectors.certificate_for_verification(token=token)
    except Http404:
        # A damaged or cut-off QR link: say what to do, not just "not found".
        return render(request, "members/verify.html", {"state": "unknown"}, status=404)
    state = selectors.certificate_state(certificate, today=timezone.localdate())
    # What the certificate itself prints (names, the member number, issue date and validity), never contact data;
    # the number is public in the 成员名录 too.
    member = certificate.member
    context = {"state": state, "alliance_name": member.alliance.name, "member_name": member.name,
               "number": member.number, "issued_on": certificate.issued_on, "valid_until": certificate.valid_until}
    return render(request, "members/verify.html", context)


DIRECTORY_PAGE_SIZE = 50
DIRECTORY_TEMPLATE = "members/member_directory.html"
# The query strings whose page is cached: none, or a page number as the pagination links write it.
_CACHED_QUERY = re.compile(r"(?:page=([1-9][0-9]{0,5}))?")


def _public_alliance(slug):
    return get_object_or_404(Alliance.objects.only("pk", "slug", "name"), slug=slug, is_public=True)


def _directory_table(alliance, page_number):
    """The table of one page, and whether that page exists (a number past the last gets the last page)."""
    page = Paginator(selectors.member_directory(alliance=alliance), DIRECTORY_PAGE_SIZE).get_page(page_number)
    # The rows are joined here rather than in the template: a third of the cost of a page not yet cached.
    # Many members share an admission date; formatting one is the dearest cell.
    days = {day: date_format(day) for day in {m.admitted_on for m in page.object_list} if day}
    rows = format_html_join("\n", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
        (m.name, m.get_kind_display(), m.number, days.get(m.admitted_on, ""), m.get_status_display())
        for m in page.object_list
    ))
    html = render_to_string("members/_member_directory.html", {"alliance": alliance, "page": page, "rows": rows})
    return html, str(page.number) == (page_number or "1")


@require_GET
def member_directory(request, slug):
    """Public: the alliance's current members (name, kind, number, admission date, status); no contact data.

    Cached per alliance, language and layout (members/directory.py, alliance/pagecache.py) when the query is a
    plain page number: a visitor whose layout others share gets the whole page without reading the alliance or its
    members.
    """
    query = request.META.get("QUERY_STRING", "")
    match = _CACHED_QUERY.fullmatch(query)
    page_number = match[1] if match else request.GET.get("page")
    layout = pagecache.layout_of(request) if match else None
    if layout:
        variant, layout_context = layout

        def render_page():
            alliance = _public_alliance(slug)
            table, exists = _directory_table(alliance, page_number)
            context = {"alliance": alliance, "directory": table, **layout_context}
            return pagecache.render_shared(request, DIRECTORY_TEMPLATE, context), exists

        key = f"page:{variant}:{translation.get_language()}:{query}"
        return pagecache.shared_response(request, DIRECTORY_CACHE.get_or_render(slug, key, render_page))
    alliance = _public_alliance(slug)
    table, _exists = _directory_table(alliance, page_number)
    return render(request, DIRECTORY_TEMPLATE, {"alliance": alliance, "directory": table})
