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


class SubsidiesForm(forms.Form):
    project = forms.ModelChoiceField(label="项目", queryset=None)
    start = forms.DateField(label="课时起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="课时截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    paid_on = forms.DateField(label="支付日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        from projects.models import Project

        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(alliance__in=alliances_managed_by(user))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "截止日期不能早于起始日期。")
        return data
