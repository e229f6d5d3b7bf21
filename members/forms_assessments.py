"""Forms of the technical supporter's assessment pages (shape only; the services check the rules)."""

from django.utils.translation import gettext
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Assessment, AssessmentRound


class RoundForm(forms.Form):
    title = forms.CharField(label=_("考核名称"), max_length=100)
    period_start = forms.DateField(label=_("考核期开始"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("考核期结束"), widget=forms.DateInput(attrs={"type": "date"}))
    summary_visibility = forms.ChoiceField(label=_("结果汇总公布范围"), choices=AssessmentRound.Visibility.choices)
    criteria = forms.CharField(
        label=_("考核指标"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一项，写成“指标名称|满分”，例如：教研活动开展|40"),
    )


class ResultForm(forms.Form):
    """A score field per criterion of the round, the grade, the comment; after publication, the reason."""

    grade = forms.ChoiceField(label=_("等级"), choices=Assessment.Grade.choices)
    comment = forms.CharField(label=_("评语"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, round, assessment=None, **kwargs):
        super().__init__(*args, **kwargs)
        scores = {s.criterion_id: s.score for s in assessment.scores.all()} if assessment else {}
        for criterion in round.criteria.all():
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=gettext("%(name)s（满分 %(max)s）") % {"name": criterion.name, "max": criterion.max_score}, min_value=0,
                max_value=criterion.max_score, max_digits=6, decimal_places=1, initial=scores.get(criterion.pk),
            )
        self.order_fields([name for name in self.fields if name.startswith("score_")])
        if assessment is not None:
            self.fields["grade"].initial, self.fields["comment"].initial = assessment.grade, assessment.comment
        if round.is_published:
            self.fields["reason"] = forms.CharField(label=_("更正理由"), max_length=1000,
                                                    widget=forms.Textarea(attrs={"rows": 2}))

    def scores(self):
        return {int(name.removeprefix("score_")): value for name, value in self.cleaned_data.items()
                if name.startswith("score_")}


class PublishForm(forms.Form):
    summary = forms.CharField(label=_("考核总体情况"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
