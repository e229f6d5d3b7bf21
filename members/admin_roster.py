"""The roster import in the admin: upload, dry run, confirm, then a page that follows the worker's progress.

Registered on MemberAdmin (``get_urls``). Every write is the services' (members/services/imports.py): the dry
run writes nothing, the confirmation queues the import, and staff pick only the alliances they manage.
"""

from django.utils.translation import gettext, gettext_lazy
import base64
import binascii

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from alliance.admin import managed_alliance_pks
from alliance.permissions import alliances_managed_by, require_manage_alliance

from . import services
from . import validators as v
from .exports import COLUMNS, IMPORT_NOTES, import_template_response
from .models import Certificate, MemberImport


class RosterForm(forms.Form):
    alliance = forms.ModelChoiceField(label=gettext_lazy("导入到联盟"), queryset=None)
    file = forms.FileField(label=gettext_lazy("成员名册（Excel）"), required=False, help_text=v.ROSTER.help_text)
    # The confirmation posts the checked file back (base64): it is read and checked again, nothing is trusted.
    content = forms.CharField(widget=forms.HiddenInput, required=False)
    file_name = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = alliances_managed_by(user)

    def clean(self):
        data = super().clean()
        if data.get("file"):
            return data
        try:
            content = base64.b64decode(data.get("content") or "", validate=True)
        except binascii.Error:
            content = b""
        if not content:
            raise ValidationError({"file": gettext("请选择要导入的 Excel 文件。")})
        data["file"] = SimpleUploadedFile(data.get("file_name") or "roster.xlsx", content)
        return data


def _context(modeladmin, request, **extra):
    opts = modeladmin.model._meta
    return {**modeladmin.admin_site.each_context(request), "opts": opts,
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), **extra}


def roster_import_view(modeladmin, request):
    form = RosterForm(request.POST or None, request.FILES or None, user=request.user)
    plans = None
    if request.method == "POST" and form.is_valid():
        alliance, upload = form.cleaned_data["alliance"], form.cleaned_data["file"]
        try:
            if "confirm" in request.POST:
                job = services.members_import_start(actor=request.user, alliance=alliance, upload=upload)
                messages.success(request, gettext("已开始导入“%(name)s”，共 %(total)s 行。") % {"name": job.file_name, "total": job.total})
                return redirect("admin:members_member_import_progress", job.pk)
            plans = services.members_import_plan(actor=request.user, alliance=alliance, upload=upload)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            upload.seek(0)
            form = RosterForm(user=request.user, initial={
                "alliance": alliance, "file_name": upload.name,
                "content": base64.b64encode(upload.read()).decode("ascii")})
    return TemplateResponse(request, "members/admin/roster_import.html", _context(
        modeladmin, request, title=gettext("导入成员名册"), form=form, plans=plans,
        notes=[(title, IMPORT_NOTES[title]) for title, _getter in COLUMNS["members"]],
    ))


def roster_template_view(modeladmin, request):
    return import_template_response()


def roster_progress_view(modeladmin, request, pk):
    job = get_object_or_404(MemberImport.objects.select_related("alliance"), pk=pk)
    require_manage_alliance(request.user, job.alliance)
    return TemplateResponse(request, "members/admin/roster_progress.html", _context(
        modeladmin, request, title=gettext("导入成员名册：%(name)s") % {"name": job.file_name}, job=job,
        rows=[{**row, "label": services.IMPORT_ACTIONS[row["action"]] if row["applied"] else gettext("等待中")}
              for row in sorted(job.outcome, key=lambda row: row["line"])],
    ))


# At most this many certificates are followed on one progress page (the ids travel in its address).
PROGRESS_MAX = 500


def certificates_progress_view(modeladmin, request):
    """The certificates a bulk re-issue queued, as the workers render them: the page refreshes until each is
    ready or failed. Only certificates of the alliances the staff member manages are shown."""
    ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()][:PROGRESS_MAX]
    certificates = list(
        Certificate.objects.filter(pk__in=ids, member__alliance__in=managed_alliance_pks(request))
        .select_related("member").order_by("member__number", "pk")
    )
    waiting = sum(1 for c in certificates if c.status in (c.Status.PENDING, c.Status.RENDERING))
    failed = sum(1 for c in certificates if c.status == c.Status.FAILED)
    return TemplateResponse(request, "members/admin/certificates_progress.html", _context(
        modeladmin, request, title=gettext("证书生成进度"), certificates=certificates, waiting=waiting, failed=failed,
        ready=len(certificates) - waiting - failed,
    ))


def roster_urls(modeladmin):
    def view(function):
        def checked(request, **kwargs):
            if not modeladmin.has_view_permission(request):
                raise PermissionDenied
            return function(modeladmin, request, **kwargs)

        return modeladmin.admin_site.admin_view(checked)

    return [
        path("import/", view(roster_import_view), name="members_member_import"),
        path("import/template/", view(roster_template_view), name="members_member_import_template"),
        path("import/<int:pk>/", view(roster_progress_view), name="members_member_import_progress"),
        path("certificates/progress/", view(certificates_progress_view), name="members_member_certificates_progress"),
    ]
