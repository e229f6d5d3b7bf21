"""The technical supporter's assessments of the members (seed 000 组织架构 1: 技术支持者……定期对联盟成员进行业务考核，
发布考核结果).

The supporter's accounts are those seated, in office, in the alliance's body of kind 技术支持者; they create a round,
enter each member's result and publish it. A published result changes only by assessment_correct, which records the
values before and after with the reason.
"""

from django.utils.translation import gettext_lazy
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import Alliance
from alliance.services import checked_and_saved
from governance.models import Body, Seat

from ..models import Assessment, AssessmentCorrection, AssessmentCriterion, AssessmentRound, AssessmentScore, Member


def supporter_alliances(user):
    """The alliances whose technical supporter this account sits for today."""
    if not user.is_authenticated or not user.is_active:
        return Alliance.objects.none()
    seats = Seat.objects.in_office().filter(user=user, body__kind=Body.Kind.TECHNICAL_SUPPORT)
    return Alliance.objects.filter(pk__in=seats.values("body__alliance"))


def is_supporter(user, alliance):
    return supporter_alliances(user).filter(pk=alliance.pk).exists()


def _require_supporter(user, alliance):
    if not is_supporter(user, alliance):
        raise PermissionDenied(_("只有本联盟技术支持者的账号可以进行业务考核。"))


def criteria_parse(text):
    """Criteria typed one a line as 名称|满分 (e.g. 教研活动开展|40): [(name, max score)]."""
    criteria = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, sep, score = line.rpartition("|")
        try:
            max_score = Decimal(score.strip())
        except InvalidOperation:
            max_score = None
        if not sep or not name.strip() or max_score is None or not max_score.is_finite() or max_score <= 0 \
                or max_score >= 10000:
            raise ValidationError({"criteria": _("第 %(n)s 行应写成“指标名称|满分”，满分为正数。") % {"n": number}})
        criteria.append((name.strip()[:100], max_score.quantize(Decimal("0.1"))))
    if not criteria:
        raise ValidationError({"criteria": _("请至少填写一项考核指标。")})
    if len({name for name, _score in criteria}) != len(criteria):
        raise ValidationError({"criteria": _("考核指标名称不能重复。")})
    return criteria


@transaction.atomic
def assessment_round_create(*, actor, alliance, title, period_start, period_end, criteria, summary_visibility):
    """A round of the supporter's assessment for a period, with its criteria [(name, max score)]."""
    _require_supporter(actor, alliance)
    if AssessmentRound.objects.filter(alliance=alliance, title=title).exists():
        raise ValidationError({"title": _("本联盟已有同名的业务考核。")})
    round_ = checked_and_saved(AssessmentRound(
        alliance=alliance, title=title, period_start=period_start, period_end=period_end,
        summary_visibility=summary_visibility, created_by=actor,
    ), actor=actor, reason=gettext_lazy("创建业务考核"))
    for order, (name, max_score) in enumerate(criteria):
        AssessmentCriterion(round=round_, name=name, max_score=max_score, order=order).full_clean(exclude=["round"])
        AssessmentCriterion.objects.create(round=round_, name=name, max_score=max_score, order=order)
    return round_


def assessable_members(round_):
    """The members a round assesses: the alliance's current members."""
    return Member.objects.filter(alliance=round_.alliance_id, status__in=Member.CURRENT_STATUSES)


def _checked_scores(round_, scores):
    """scores {criterion pk: Decimal} for every criterion of the round, each between 0 and its maximum."""
    checked = []
    for criterion in round_.criteria.all():
        score = scores.get(criterion.pk)
        if score is None:
            raise ValidationError({f"score_{criterion.pk}": _("请填写该指标的得分。")})
        if score < 0 or score > criterion.max_score:
            raise ValidationError({f"score_{criterion.pk}": _("得分应在 0 至 %(max)s 之间。") % {
                "max": criterion.max_score}})
        checked.append((criterion, score))
    return checked


def _lock_round(round_):
    return AssessmentRound.objects.select_for_update().select_related("alliance").get(pk=round_.pk)


def _write(assessment, checked, *, actor, grade, comment, reason):
    assessment.total = sum((score for _criterion, score in checked), Decimal("0")).quantize(Decimal("0.1"))
    assessment.grade, assessment.comment = grade, comment
    assessment.assessed_by, assessment.assessed_at = actor, timezone.now()
    checked_and_saved(assessment, actor=actor, reason=reason)
    for criterion, score in checked:
        AssessmentScore.objects.update_or_create(assessment=assessment, criterion=criterion,
                                                 defaults={"score": score})
    return assessment


@transaction.atomic
def assessment_enter(*, actor, round, member, scores, grade, comment=""):
    """Enter or change a member's result while the round is not yet published."""
    round_ = _lock_round(round)
    _require_supporter(actor, round_.alliance)
    if round_.is_published:
        raise ValidationError(_("考核结果已发布，不能再修改；如需更正，请登记更正并说明理由。"))
    if not assessable_members(round_).filter(pk=member.pk).exists():
        raise ValidationError(_("只能考核本联盟的现有成员。"))
    checked = _checked_scores(round_, scores)
    assessment = Assessment.objects.filter(round=round_, member=member).first() or Assessment(
        round=round_, member=member)
    return _write(assessment, checked, actor=actor, grade=grade, comment=comment, reason=gettext_lazy("登记考核结果"))


@transaction.atomic
def assessment_round_publish(*, actor, round, summary=""):
    """Publish the round: each member then sees its own result, and the summary shows to whom the round says."""
    round_ = _lock_round(round)
    _require_supporter(actor, round_.alliance)
    if round_.is_published:
        raise ValidationError(_("该业务考核已发布。"))
    if not round_.assessments.exists():
        raise ValidationError(_("尚未登记任何考核结果，不能发布。"))
    round_.status, round_.summary = AssessmentRound.Status.PUBLISHED, summary
    round_.published_by, round_.published_at = actor, timezone.now()
    checked_and_saved(round_, actor=actor, reason=gettext_lazy("发布考核结果"))
    return round_


def _snapshot(assessment):
    return {
        "total": str(assessment.total), "grade": assessment.grade, "comment": assessment.comment,
        "scores": {s.criterion.name: str(s.score) for s in assessment.scores.select_related("criterion")},
    }


@transaction.atomic
def assessment_correct(*, actor, assessment, scores, grade, comment, reason):
    """Correct a published result: the correction is recorded with the values before and after and the reason."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    round_ = _lock_round(assessment.round)
    _require_supporter(actor, round_.alliance)
    if not round_.is_published:
        raise ValidationError(_("考核结果尚未发布，可直接修改。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明更正理由。")})
    before = _snapshot(assessment)
    _write(assessment, _checked_scores(round_, scores), actor=actor, grade=grade, comment=comment,
           reason=f"更正考核结果：{reason}")
    return AssessmentCorrection.objects.create(
        assessment=assessment, before=before, after=_snapshot(assessment), reason=reason, corrected_by=actor,
        corrected_at=timezone.now(),
    )
