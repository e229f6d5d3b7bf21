from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from . import validators as v
from .models import NOTICES_ALWAYS_ON, Notice, User
from .services import email_queue


class DateInput(forms.DateInput):
    """The one date widget: a browser's date picker, whose value must be ISO (2026-12-02) in every language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's own argument name)
        super().__init__(attrs, format=format or "%Y-%m-%d")


class TelInput(forms.TextInput):
    input_type = "tel"


EMPTY_CHOICE = _("请选择")


def empty_choices_say_choose(form):
    """One style for an empty choice on every form: "请选择", never Django's "---------"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
            if field.empty_label is not None:
                field.empty_label = EMPTY_CHOICE
        elif isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.RadioSelect):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None):
                field.choices = [("", EMPTY_CHOICE), *choices[1:]]


class NormalisedCodesMixin:
    """Stores phones, postcodes and codes as their checks read them (NFKC, no surrounding spaces), so that one
    typed with full-width digits is kept in ASCII. Other text (names, full-width punctuation) is left as typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if type(field.widget) is forms.TextInput and self._checked(name, field, "phone"):
                field.widget = TelInput(attrs=field.widget.attrs)

    def _checked(self, name, field, mark):
        checks = list(field.validators)
        model = getattr(getattr(self, "_meta", None), "model", None)
        if model is not None:
            try:
                checks += model._meta.get_field(name).validators
            except FieldDoesNotExist:
                pass
        return any(getattr(check, mark, False) for check in checks)

    def _normalises(self, name, field):
        return self._checked(name, field, "normalises")

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(cleaned.get(name), str) and self._normalises(name, field):
                cleaned[name] = v.normalised(cleaned[name])
        return cleaned


def errors_onto_form(form, error):
    """Put a service's ValidationError on form: next to each field the form has, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class SignupForm(UserCreationForm):
    # 个人信息保护法 art. 14: consent given by an informed, explicit act; its text stands above the box.
    privacy_consent = forms.BooleanField(
        label=_("我已阅读并同意《个人信息处理规则》"),
        error_messages={"required": _("请阅读并勾选同意《个人信息处理规则》后再注册。")},
    )

    class Meta:
        model = User
        fields = ["email", "name"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        # A registered address is not an error here: telling it apart would reveal who has an account
        # (alliance.services.user_register answers both alike).
        pass


class ProfileForm(NormalisedCodesMixin, forms.ModelForm):
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False, validators=[v.validate_phone],
                            widget=TelInput(attrs={"autocomplete": "tel"}))

    class Meta:
        model = User
        fields = ["name", "phone"]


class NoticePreferencesForm(forms.Form):
    """One box per notice kind; those always on are shown ticked and cannot be changed (the service holds it too)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Notice:
            if kind == Notice.ACCOUNT:
                continue
            always = kind in NOTICES_ALWAYS_ON
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label, required=False, disabled=always, initial=always or kind not in user.notices_off,
                help_text=_("此类通知必须接收。") if always else "",
            )

    @property
    def enabled(self):
        return [kind for kind, on in self.cleaned_data.items() if on]


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset that sends through the outbox and a worker, like every other e-mail."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        # The link names SITE_URL, never the Host header of the request that asked for it.
        context = {**context, "site_url": settings.SITE_URL}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        email_queue(to=to_email, subject=subject, template=email_template_name, context=context)
