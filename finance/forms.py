import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance.forms import DateInput
from alliance.permissions import alliances_managed_by

from .models import Payment


class IssueInvoicesForm(forms.Form):
    alliance = forms.ModelChoiceField(label=_("联盟"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=datetime.date.today().year)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = alliances_managed_by(user).filter(rules__dues_apply=True)


class AccountsForm(IssueInvoicesForm):
    pass


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["amount", "paid_on", "method", "reference"]
        widgets = {"paid_on": DateInput()}


class WaiveForm(forms.Form):
    reason = forms.CharField(label=_("减免理由"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class SubsidiesForm(forms.Form):
    project = forms.ModelChoiceField(label=_("项目"), queryset=None)
    up_to = forms.DateField(label=_("课时截至日期"), widget=DateInput(),
                            help_text=_("支付截至该日已确认、尚未支付的全部课时"))
    paid_on = forms.DateField(label=_("支付日期"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        from projects.models import Project

        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(alliance__in=alliances_managed_by(user))
