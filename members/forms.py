"""Forms check shape (formats, required on submit); the services check the rules."""

from django.utils.translation import gettext, gettext_lazy
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.forms import DateInput, NormalisedCodesMixin, empty_choices_say_choose
from alliance.uploads import upload_check, uploads_check

from . import divisions
from . import validators as v
from governance.models import Meeting, Motion

from .models import CONSENTS, Application, Kind, Liaison, Member
from .services import application_fields

LABELS = {
    "head_name": gettext_lazy("负责人"), "head_title": gettext_lazy("负责人职务"), "head_phone": gettext_lazy("负责人联系电话"), "head_email": gettext_lazy("负责人电子邮箱"),
    "contact_name": gettext_lazy("联系人"), "contact_title": gettext_lazy("联系人职务"), "contact_office_phone": gettext_lazy("联系人办公电话"),
    "contact_mobile": gettext_lazy("联系人手机"), "contact_email": gettext_lazy("联系人电子邮箱"), "contact_im": gettext_lazy("联系人QQ或微信"),
    "description": gettext_lazy("单位简介"),
}
# The sections of the paper 《会员申请登记表》, in its order.
SECTIONS = {
    Kind.UNIT: [
        (_("单位信息"), ["unit_name", "unit_type", "credit_code", "province", "city", "county", "address", "postcode"]),
        (_("负责人"), ["head_name", "head_title", "head_phone", "head_email"]),
        (_("联系人"), ["contact_name", "contact_title", "contact_office_phone", "contact_mobile", "contact_email",
                 "contact_im"]),
        (_("业务与简介"), ["field_of_work", "description"]),
        (_("承诺"), ["consent_charter", "consent_voluntary"]),
        (_("证明材料"), ["attachments"]),
    ],
    Kind.INDIVIDUAL: [
        (_("个人信息"), ["person_name", "gender", "birth_date", "ethnicity", "employer", "professional_title",
                  "position"]),
        (_("联系方式"), ["office_phone", "mobile", "email", "address", "postcode"]),
        (_("业务与成绩"), ["field_of_work", "achievements"]),
        (_("承诺"), ["consent_charter", "consent_voluntary"]),
        (_("证明材料"), ["attachments"]),
    ],
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ApplicationForm(NormalisedCodesMixin, forms.ModelForm):
    """The application form of one alliance for one kind. Blank fields are allowed in a draft; ``submitting``
    requires them. Its title and hints are the alliance's own (CharterRules), never another charter's."""

    attachments = MultipleFileField(
        label=gettext_lazy("证明材料"), required=False,
        help_text=v.ATTACHMENTS.help_text,
    )

    class Meta:
        model = Application
        # The union of both kinds' fields; __init__ keeps the ones of the kind applied for.
        fields = list(dict.fromkeys(application_fields(Kind.UNIT) + application_fields(Kind.INDIVIDUAL)))
        widgets = {
            "birth_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "field_of_work": forms.Textarea(attrs={"rows": 3}),
            "achievements": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, kind, alliance, submitting=False, existing_attachments=0, reopened=False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.shows_saved = reopened or not self.is_bound  # the values shown are the saved ones, not just typed
        self.rules = alliance.rules
        self.existing_attachments = existing_attachments
        wanted = application_fields(kind)
        for name in list(self.fields):
            if name not in wanted and name != "attachments":
                del self.fields[name]
        model_fields = {f.name: f for f in Application._meta.fields}
        types = self.rules.unit_type_list
        if kind == Kind.UNIT and types:
            self.fields["unit_type"] = forms.ChoiceField(label=gettext("单位类型"), choices=[("", "")] + [(t, t) for t in types])
        if kind == Kind.UNIT:
            self._division_fields(model_fields)
        self.order_fields([*wanted, "attachments"])
        for name in wanted:
            field = self.fields[name]
            field.label = LABELS.get(name, model_fields[name].verbose_name)
            field.required = False
            field.error_messages["required"] = _("提交前请填写此项。")
        if "field_of_work" in self.fields:
            self.fields["field_of_work"].help_text = self.rules.field_of_work_help
        required = Application.UNIT_REQUIRED if kind == Kind.UNIT else Application.INDIVIDUAL_REQUIRED
        self.required_on_submit = {*required, "consent_charter", "consent_voluntary"}
        for name in self.required_on_submit:
            self.fields[name].widget.attrs["aria-required"] = "true"
        for name in ("consent_charter", "consent_voluntary"):
            self.fields[name].error_messages["required"] = self.rules.consent_message(CONSENTS[name])
        if submitting:
            for name in self.required_on_submit:
                self.fields[name].required = True
        empty_choices_say_choose(self)

    def _typed(self, name):
        return (self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)) or ""

    def _division_fields(self, model_fields):
        """省/市/县 from the lists (members/divisions.py); each list follows the one before it. Where a list is
        not known (a province not in the data), or a saved value is not in it, the field takes free text."""
        province, city = self._typed("province"), self._typed("city")
        lists = {"province": (divisions.provinces(), ""), "city": (divisions.cities(province), province),
                 "county": (divisions.counties(province, city), city)}
        for name, (options, above) in lists.items():
            column = model_fields[name]
            current = self._typed(name)
            # Nothing chosen above: an empty list, filled once it is; chosen but not in the data: free text.
            if (above and not options) or (current and current not in options and self.shows_saved):
                self.fields[name] = forms.CharField(max_length=column.max_length, widget=forms.TextInput(
                    attrs={"data-division": name}))
                continue
            self.fields[name] = forms.ChoiceField(
                choices=[("", "")] + [(o, o) for o in options],
                widget=forms.Select(attrs={"data-division": name}),
                error_messages={"invalid_choice": _("请从列表中选择；如列表有误，请先重新选择上一级。")},
            )

    @classmethod
    def reopened(cls, application):
        """The saved application bound as if its values were typed again, so that a value a draft kept although
        it failed a check (draft_data) shows its message next to its field when the draft is opened again."""
        options = {"instance": application, "kind": application.kind, "alliance": application.alliance}
        unbound = cls(**options)
        data = {name: unbound[name].value() for name in unbound.fields if name != "attachments"}
        return cls(data, reopened=True, **options)

    def sections(self):
        """(legend, [bound field]) in the order of the paper form."""
        return [(legend, [self[name] for name in names if name in self.fields])
                for legend, names in SECTIONS[self.kind]]

    def clean_credit_code(self):
        return v.normalised(self.cleaned_data["credit_code"]).upper()

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        uploads_check(files, kind=v.ATTACHMENTS, held=self.existing_attachments)
        return files

    def good_uploads(self):
        """The uploads that pass the file checks, even when other fields of the form failed."""
        files = self.files.getlist(self.add_prefix("attachments")) if self.files else []
        room = max(0, v.ATTACHMENTS.max_count - self.existing_attachments)
        good = []
        for f in files:
            try:
                upload_check(f, kind=v.ATTACHMENTS)
            except ValidationError:
                continue
            good.append(f)
        return good[:room]

    def draft_data(self):
        """What to keep in the draft: the fields that passed, and those that failed a check as typed, where the
        column can hold them (a future birth date, a 5-digit postcode, a wrong mobile). Submitting checks them
        again; a value the column cannot hold (not a date, too long, a NUL, not one of the choices) is not kept."""
        self.is_valid()
        data = {k: val for k, val in self.cleaned_data.items() if k != "attachments" and k in self.fields}
        for name in self.errors:
            if name in self.fields and name != "attachments" and (typed := self._as_typed(name)) is not None:
                data[name] = typed
        return data

    def _as_typed(self, name):
        field, column = self.fields[name], Application._meta.get_field(name)
        # What the column can hold (the form field's lengths, no NUL), not a format: the e-mail field's own format
        # check (a default validator of its class) lets a malformed address be kept as typed, like a wrong mobile.
        guards = [check for check in field.validators if check not in field.default_validators]
        try:
            value = field.to_python(self[name].data)
            if value not in field.empty_values:
                for check in guards:
                    check(value)
        except ValidationError:
            return None
        if isinstance(value, str):
            if self._normalises(name, field):
                value = v.normalised(value)
            if column.max_length is not None and len(value) > column.max_length:
                return None
        if isinstance(field, forms.ChoiceField) and value and not field.valid_value(value):
            return None
        return value


class DecisionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=True)


class DecisionChoiceField(forms.ModelChoiceField):
    """A passed motion, chosen by its body and title (the queryset is selectors.decision_choices)."""

    def label_from_instance(self, obj):
        return _decision_label(obj)


class DecisionsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _decision_label(obj)


def _decision_label(motion):
    closed = timezone.localtime(motion.voting_closed_at)
    return gettext("%(name)s·%(title)s（%(year)s年%(month)s月%(day)s日通过）") % {"name": motion.meeting.body.name, "title": motion.title, "year": closed.year, "month": closed.month, "day": closed.day}


class ConsentForm(forms.Form):
    """The one decision a consent needs (001 arts. 17–18): a passed motion of the named body."""

    decision = DecisionChoiceField(
        label=gettext_lazy("决定议案"), queryset=Motion.objects.none(), required=False,
        help_text=gettext_lazy("须经指定机构同意或批准时，选择该机构表决通过的议案。"),
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions


class ApplicationDecisionForm(ConsentForm):
    """The decision taken on an application's page: the reason (which 退回修改 and 不予批准 need) and, where a
    body consents (001 art. 17), its passed motion."""

    reason = forms.CharField(label=gettext_lazy("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             help_text=gettext_lazy("退回修改或不予批准时必填，申请人将看到该理由。"))

    def __init__(self, *args, needs_decision, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_decision:
            del self.fields["decision"]


class StepsForm(forms.Form):
    """The decisions of every deciding body, in order (000 art. 10, 001 art. 22 (二)); with rights, a sanction."""

    decisions = DecisionsChoiceField(
        label=gettext_lazy("决定议案"), queryset=Motion.objects.none(), required=False,
        help_text=gettext_lazy("选择章程规定的每一个决定机构表决通过的议案（如联盟单位全体会议和指导委员会各一项）。"),
    )
    rights = forms.MultipleChoiceField(label=gettext_lazy("取消的权利"), choices=Member.Right.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, decisions, rights=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decisions"].queryset = decisions
        if not rights:
            del self.fields["rights"]


class RatificationForm(forms.Form):
    meeting = forms.ModelChoiceField(label=gettext_lazy("理事会会议（含通讯表决）"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class WithdrawalForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("退出说明（书面通知）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
                             error_messages={"required": gettext_lazy("请填写退出说明。")})


class PaperWithdrawalForm(forms.Form):
    """A written notice to leave that the secretariat received on paper (000 art. 9)."""

    notice_date = forms.DateField(label=gettext_lazy("通知日期"), help_text=gettext_lazy("书面通知落款或送达的日期，通知期自此日起算。"),
                                  widget=DateInput(),
                                  error_messages={"required": gettext_lazy("请填写通知日期。")})
    note = forms.CharField(label=gettext_lazy("通知内容或编号"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": gettext_lazy("请填写书面通知的内容或编号。")})


class LiaisonForm(NormalisedCodesMixin, forms.ModelForm):
    class Meta:
        model = Liaison
        fields = ["name", "title", "phone", "email"]
