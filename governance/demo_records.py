"""Demo of the alliance's record (after the members): the GZ assembly, annual report and shared target (002 arts.
5, 7, 8), a follow-up of COP's adopted plan, and 教师网联's four lead tasks and cooperation agreement (seed 003)."""

import datetime
from decimal import Decimal

from alliance.demo import demo_user
from alliance.demo_utils import upsert
from alliance.models import Alliance

from .models import Agreement, AnnualReport, Body, LeadTask, Motion, ResolutionFollowUp, Target, TargetProgress

JSWL_TASK_SOURCE = "《六所部属师范大学“全国教师教育网络联盟公共服务平台”工作协调组工作任务方案》（2010年7月27日）"
# Seed 003: 四项任务，分别依托北京师范大学、华东师范大学、东北师范大学、西南大学等四所院校来牵头负责.
JSWL_TASKS = [
    ("免费师范生优质课程教学资源共享", "北京师范大学"),
    ("免费师范毕业生攻读教育硕士远程教育", "华东师范大学"),
    ("中小学教师培训优质资源共享", "东北师范大学"),
    ("配套平台建设", "西南大学"),
]
JSWL_AGREEMENT = {
    "title": "六所部属师范大学关于依托全国教师教育网络联盟公共服务平台开展免费师范生教育的合作协议",
    "parties": "\n".join(["北京师范大学", "华东师范大学", "东北师范大学", "华中师范大学", "陕西师范大学", "西南大学"]),
    # 2010年4月至6月，教师网联秘书处通过通讯的方式组织六所部属师范大学签署 (seed 003).
    "signed_on": datetime.date(2010, 6, 30),
    "signing": Agreement.Signing.CORRESPONDENCE,
    "summary": (
        "2010年4月至6月以通讯方式签署。共同建设免费师范毕业生在职攻读教育硕士远程教育服务体系、面向在校免费师范生的"
        "优质课程教学资源和教师网联公共服务平台；附件为《教师教育公共服务平台总体实施方案》等三个方案。"
    ),
}
GZ_REPORT = {
    "title": "广州市市级教师发展中心联盟2026年度工作报告",
    "text": (
        "一、教科研成果共享：各成员单位围绕教师队伍建设开展调查研究，为教育行政部门决策提供专业支持。\n"
        "二、平台资源共享：依托广州市中小学教师继续教育网共享学习资源平台、资源库和网络研修社区。\n"
        "三、共同完成工作任务：各成员单位按照职责分工完成区域内骨干教师、校（园）长培训任务。"
    ),
    "figures": "成员单位：6 个\n数字资源补充更新率（累计）：3.20%",
}


def load(out):
    gz = Alliance.objects.get(slug="gz")
    admin = demo_user("admin@demo.test")
    # 002 art. 7: the members' representative assembly, whose resolutions the secretariat carries out.
    upsert(Body, {"alliance": gz, "name": "成员代表大会"},
           {"kind": Body.Kind.ASSEMBLY, "order": 0, "description": "由各成员单位代表组成；秘书处具体执行其各项决议（第七条）"})
    report = upsert(AnnualReport, {"alliance": gz, "year": 2026}, GZ_REPORT)
    motion = Motion.objects.filter(meeting__body__alliance=gz, kind=Motion.Kind.APPROVE_REPORT).first()
    if motion is not None and motion.status == Motion.Status.DRAFT and not motion.subject_ids:
        from . import services

        services.motion_update(actor=admin, motion=motion, subjects=[report])
    target = upsert(Target, {"alliance": gz, "title": "数字资源补充更新率每五年不低于20%"}, {
        "measure": "数字资源补充更新率", "unit": "%", "threshold": Decimal("20.00"),
        "start_date": datetime.date(2025, 1, 1), "end_date": datetime.date(2030, 1, 1), "article": "第八条（二）",
    })
    upsert(TargetProgress, {"target": target, "recorded_on": datetime.date(2025, 12, 31)},
           {"value": Decimal("3.20"), "note": "广州市远程培训教师发展中心统计", "recorded_by": admin})

    plan = Motion.objects.filter(meeting__body__alliance__slug="cop", kind=Motion.Kind.APPROVE_PLAN,
                                 status=Motion.Status.PASSED).first()
    if plan is not None:
        upsert(ResolutionFollowUp, {"motion": plan, "acted_on": datetime.date(2026, 3, 27)}, {
            "action": "秘书处印发联盟2026年度工作计划，并分解到各成员单位。", "is_done": True,
            "recorded_by": demo_user("cop-staff@demo.test"),
        })

    jswl = Alliance.objects.get(slug="jswl")
    for order, (title, university) in enumerate(JSWL_TASKS, 1):
        lead = jswl.members.get(name=university)
        upsert(LeadTask, {"alliance": jswl, "title": title},
               {"lead_member": lead, "source": JSWL_TASK_SOURCE, "order": order})
    agreement = dict(JSWL_AGREEMENT)
    upsert(Agreement, {"alliance": jswl, "title": agreement.pop("title")}, agreement)
    out.write(f"年度工作报告：{AnnualReport.objects.count()} 份，共同目标：{Target.objects.count()} 项，"
              f"牵头任务：{LeadTask.objects.count()} 项，合作协议：{Agreement.objects.count()} 份")
