"""Forms check shape only (required, formats, file content); the call's rules live in services."""

from decimal import Decimal

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from alliance.forms import EMPTY_CHOICE, DateInput, NormalisedCodesMixin, empty_choices_say_choose
from alliance.uploads import count_check

from .files import AWARD_PICTURE, validate_image, validate_scan
from .models import (
    Activity, Application, Award, ProvincialContact, School, SubjectGrade, TeamMember, Textbook, grade_label,
)

GRADE_CHOICES = [("", EMPTY_CHOICE)] + [(g, grade_label(g)) for g in range(1, 10)]


def grade_field():
    return forms.TypedChoiceField(label=_("年级"), choices=GRADE_CHOICES, coerce=int, required=False, empty_value=None)


class ScanField(forms.FileField):
    # A plain file input: the page says "已上传：文件名（查看 / 替换）" itself, with a link that works.
    widget = forms.FileInput
    default_validators = [validate_scan]


class ImageUpload(forms.FileField):
    widget = forms.FileInput
    default_validators = [validate_image]


SECTIONS = {
    "county": [
        (_("申报单位"), ["applicant_unit", "county", "is_sanqu_sanzhou", "address", "applicant_scan"]),
        (_("负责人信息"), ["head_name", "head_position", "head_phone", "head_email", "head_qq"]),
        (_("联系人信息"), ["contact_name", "contact_position", "contact_phone", "contact_email", "contact_qq"]),
        (_("本地区情况"), ["ict_infrastructure", "research_organisation"]),
        (_("试点县遴选条件"), Application.COUNTY_CONDITIONS),
        (_("省级项目组织单位意见"), ["opinion_unit", "opinion_date", "opinion_scan"]),
    ],
    "community": [
        (_("组织实施单位与学科"), ["organising_unit", "stage", "subject", "grade"]),
        (_("共同体负责人信息"), ["leader_name", "leader_gender", "leader_birth_month", "leader_employer",
                       "leader_title", "leader_qualification", "leader_position", "leader_email", "leader_phone",
                       "leader_address", "leader_postcode"]),
        (_("名师教研共同体建设方案"), ["plan_goals", "plan_foundation", "plan_awards"]),
        (_("组织实施单位意见"), ["organiser_opinion_unit", "organiser_opinion_date", "organiser_opinion_scan"]),
        (_("省级推荐单位意见"), ["opinion_unit", "opinion_date", "opinion_scan"]),
    ],
}
SCAN_HELP = _("PDF、JPG 或 PNG，加盖公章，不超过 10 MB")


def _fields(kind):
    return [name for _title, names in SECTIONS[kind] for name in names]


def _scan_field(label):
    return ScanField(label=label, required=False, help_text=SCAN_HELP)


class ApplicationForm(NormalisedCodesMixin, forms.ModelForm):
    applicant_scan = _scan_field(_("申报单位盖章扫描件"))
    opinion_scan = _scan_field(_("加盖公章的意见扫描件"))

    class Meta:
        model = Application
        fields = _fields("county")
        widgets = {
            "opinion_date": DateInput(),
            "organiser_opinion_date": DateInput(),
            "ict_infrastructure": forms.Textarea(attrs={"rows": 4}),
            "research_organisation": forms.Textarea(attrs={"rows": 4}),
            "leadership_measures": forms.Textarea(attrs={"rows": 4}),
            "plan_goals": forms.Textarea(attrs={"rows": 4}),
            "plan_foundation": forms.Textarea(attrs={"rows": 6}),
            "plan_awards": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, project, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.project = project
        if "subject" in self.fields:
            self.fields["subject"].queryset = SubjectGrade.objects.filter(project=project)
            self.fields["subject"].label_from_instance = lambda s: _("%(s)s（%(grades_label)s）") % {"s": s, "grades_label": s.grades_label}
        if "grade" in self.fields:
            self.fields["grade"] = grade_field()
        empty_choices_say_choose(self)

    def sections(self):
        """(title, [(bound field, the file name of the scan already uploaded in it)]) in the seed's order."""
        uploaded = {field: name or _("扫描件") for field, _block, scan, name in self.instance.scans() if scan}
        return [(title, [(self[name], uploaded.get(name)) for name in names])
                for title, names in SECTIONS[self.instance.kind]]


class CommunityApplicationForm(ApplicationForm):
    applicant_scan = None
    organiser_opinion_scan = _scan_field(_("加盖公章的意见扫描件"))

    class Meta(ApplicationForm.Meta):
        fields = _fields("community")


class ProjectFormSet(BaseInlineFormSet):
    """Inline rows whose subject choices come from the project's subject/grade table."""

    def __init__(self, *args, project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "subject" in form.fields:
            form.fields["subject"].queryset = SubjectGrade.objects.filter(project=self.project)
        if "grade" in form.fields:
            form.fields["grade"] = grade_field()
        empty_choices_say_choose(form)


class AwardFormSetBase(ProjectFormSet):
    def clean(self):
        super().clean()
        pictures = sum(1 for form in self.forms if getattr(form, "cleaned_data", {}).get("evidence")
                       and not self._should_delete_form(form))
        count_check(pictures, kind=AWARD_PICTURE)


class RowForm(NormalisedCodesMixin, forms.ModelForm):
    """One row of a table on the form (a school, a team member): phones kept as their checks read them."""


def _formset(model, fields, extra=2, formset=ProjectFormSet, **kwargs):
    return inlineformset_factory(Application, model, form=RowForm, formset=formset, fields=fields, extra=extra,
                                 can_delete=True, **kwargs)


SchoolFormSet = _formset(School, ["name", "kind", "head", "head_phone", "notes"])
TextbookFormSet = _formset(Textbook, ["subject", "edition"])
CountyTeamFormSet = _formset(
    TeamMember, ["subject", "grade", "name", "gender", "employer", "title", "phone", "email", "role"], extra=5,
    widgets={"role": forms.Select(choices=[("", EMPTY_CHOICE)] + [
        (r, TeamMember.Role(r).label) for r in TeamMember.COUNTY_ROLES])},
)
CommunityTeamFormSet = _formset(
    TeamMember, ["name", "gender", "employer", "title", "phone", "email", "role", "duty"], extra=5,
    widgets={"role": forms.Select(choices=[("", EMPTY_CHOICE)] + [
        (r, TeamMember.Role(r).label) for r in TeamMember.COMMUNITY_ROLES])},
)
AwardFormSet = _formset(Award, ["title", "year", "evidence"], formset=AwardFormSetBase,
                        field_classes={"evidence": ImageUpload})

# (prefix, heading, formset class) per kind, in the order of the seed's form.
FORMSETS = {
    "county": [
        ("schools", _("参与学校信息"), SchoolFormSet),
        ("textbooks", _("教材使用情况"), TextbookFormSet),
        ("team", _("教研共同体团队基本情况（包括负责人、管理员、及其他角色等，每年级学科组至少5人）"), CountyTeamFormSet),
    ],
    "community": [
        ("team", _("团队基本情况（包括负责人、管理员及共同体其他角色等，5-10人）"), CommunityTeamFormSet),
        ("awards", _("共同体及成员相关获奖荣誉及成果证明材料（附图）"), AwardFormSet),
    ],
}


def build_forms(application, data=None, files=None):
    form_class = ApplicationForm if application.kind == Application.Kind.COUNTY else CommunityApplicationForm
    form = form_class(data, files, instance=application, project=application.project)
    formsets = [
        (prefix, heading, cls(data, files, instance=application, prefix=prefix, project=application.project))
        for prefix, heading, cls in FORMSETS[application.kind]
    ]
    return form, formsets


def attach_errors(form, formsets, problems):
    """Show the service's rule messages next to the fields they concern, on freshly loaded forms."""
    if form._errors is None:
        form._errors = ErrorDict()
    section_errors = {}
    prefixes = {prefix for prefix, _label, _formset in formsets}
    for key, messages in problems.items():
        if key in prefixes:
            section_errors[key] = messages
        elif key in form.fields or key == "__all__":
            form._errors.setdefault(key, form.error_class(error_class="nonfield" if key == "__all__" else None))
            form._errors[key].extend(messages)
        else:
            form._errors.setdefault("__all__", form.error_class(error_class="nonfield")).extend(messages)
    return section_errors


class ContactForm(NormalisedCodesMixin, forms.ModelForm):
    scan = _scan_field(_("省级项目组织单位（加盖公章）扫描件"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    class Meta:
        model = ProvincialContact
        fields = [f"{prefix}_{col}" for prefix, _label in ProvincialContact.PEOPLE for col, _col_label in ProvincialContact.COLUMNS]
        fields += ["scan"]


class ScoreForm(forms.Form):
    comment = forms.CharField(label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_scores = initial_scores or {}
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=_("%(name)s（满分%(max_score)s）") % {"name": criterion.name, "max_score": criterion.max_score}, min_value=0, max_value=criterion.max_score,
                initial=initial_scores.get(criterion.pk),
            )
        self.order_fields([f"c{c.pk}" for c in criteria] + ["comment"])
        self.criteria = criteria

    def values(self):
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    starts_on = forms.DateField(label=_("公示开始"), widget=DateInput())
    ends_on = forms.DateField(label=_("公示结束"), widget=DateInput())
    body = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contact = forms.CharField(label=_("异议受理联系方式"), max_length=200, required=False)


class ActivityForm(forms.ModelForm):
    """An activity of a pairing with each community member's class hours (a field per member, blank if absent)."""

    class Meta:
        model = Activity
        fields = ["kind", "date", "class_hours", "topic", "teaching_points", "rural_schools", "notes"]
        widgets = {"date": DateInput(),
                   "teaching_points": forms.Textarea(attrs={"rows": 2}),
                   "rural_schools": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"hours_{member.pk}"] = forms.DecimalField(
                label=_("%(name)s（课时）") % {"name": member.name}, required=False, min_value=Decimal("0.5"), max_digits=5,
                decimal_places=1)

    def teachers(self):
        return [(member, self.cleaned_data[f"hours_{member.pk}"]) for member in self.members
                if self.cleaned_data.get(f"hours_{member.pk}")]


class CorrectionForm(forms.Form):
    """A correction of the confirmed final list: which application, added or taken off, and why."""

    application = forms.ModelChoiceField(label=_("申报"), queryset=Application.objects.none())
    selected = forms.TypedChoiceField(label=_("更正为"), choices=[("1", _("列入最终名单")), ("0", _("移出最终名单"))],
                                      coerce=lambda value: value == "1")
    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = (project.applications.exclude(status=Application.Status.DRAFT)
                                               .select_related("subject"))
