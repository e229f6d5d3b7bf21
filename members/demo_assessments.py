"""Demo: the technical supporter's first assessment of 靠谱 COP's members (000 组织架构 1), published."""

import datetime
from decimal import Decimal

from alliance.demo import demo_user
from alliance.models import Alliance

from . import services
from .models import AssessmentRound, Member

TITLE = "2026年上半年业务考核"
CRITERIA = [("教研活动开展", Decimal("40")), ("课堂教学行为改进", Decimal("40")), ("平台研修参与", Decimal("20"))]
# Illustrative scores: the seed says the supporter assesses and publishes, not how.
SCORES = [(Decimal("36"), Decimal("33"), Decimal("18"), "excellent", "按计划开展课堂观察与研修，成效明显。"),
          (Decimal("30"), Decimal("28"), Decimal("15"), "good", "研修参与稳定，课堂改进有待深入。")]


def load(out):
    cop = Alliance.objects.get(slug="cop")
    if AssessmentRound.objects.filter(alliance=cop, title=TITLE).exists():
        return
    supporter = demo_user("cop-support@demo.test")
    round_ = services.assessment_round_create(
        actor=supporter, alliance=cop, title=TITLE, period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30), criteria=CRITERIA, summary_visibility=AssessmentRound.Visibility.PUBLIC)
    criteria = list(round_.criteria.all())
    members = Member.objects.filter(alliance=cop, status__in=Member.CURRENT_STATUSES).order_by("number")
    for member, (*scores, grade, comment) in zip(members, SCORES * len(members), strict=False):
        services.assessment_enter(actor=supporter, round=round_, member=member, grade=grade, comment=comment,
                                  scores={c.pk: score for c, score in zip(criteria, scores, strict=True)})
    if round_.assessments.exists():
        services.assessment_round_publish(actor=supporter, round=round_,
                                          summary="联盟成员总体按技术支撑的教学计划开展业务活动（演示数据）。")
    out.write(f"业务考核：{round_.assessments.count()} 个成员")
