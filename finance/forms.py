import datetime

from django import forms

from alliance.permissions import alliances_managed_by

from .models import Payment


class IssueInvoicesForm(forms.Form):
    alliance = forms.ModelChoiceField(label="联盟", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=datetime.date.today().year)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = alliances_managed_by(user).filter(rules__dues_apply=True)


class AccountsForm(IssueInvoicesForm):
    pass


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["amount", "paid_on", "method", "reference"]
        widgets = {"paid_on": forms.DateInput(attrs={"type": "date"})}


class WaiveForm(forms.Form):
    reason = forms.CharField(label="减免理由", max_length=200, widget=forms.Textarea(attrs={"rows": 3}))
