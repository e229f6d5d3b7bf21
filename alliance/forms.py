from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .models import NOTICES_ALWAYS_ON, Notice, User
from .services import email_queue


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


class ProfileForm(forms.ModelForm):
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
