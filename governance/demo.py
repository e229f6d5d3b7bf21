"""Demo bodies and the officers the seeds name (000 arts. 25–26, 001 arts. 13–16, 002 art. 6, 003)."""

import datetime

from django.utils import timezone

from alliance.demo import GZ_CENTRES, demo_user
from alliance.demo_utils import upsert
from alliance.models import Alliance

from .models import Body, Seat

K = Body.Kind
R = Seat.Role
# The seeds give no dates for the officers' terms; the demo starts them at the start of 2025 except
# where a seed dates the appointment (003: the coordination group elected its leaders on 2010-06-28).
TERM_START = datetime.date(2025, 1, 1)
COORDINATION_GROUP_FORMED = datetime.date(2010, 6, 28)

BODIES = {
    "cop": [
        (K.COUNCIL, "理事会", "联盟的最高权力机构（第十一条）"),
        (K.EXPERT_COMMITTEE, "专家委员会", ""),
        (K.SECRETARIAT, "秘书处", "联盟管理者下设秘书处，负责联盟的管理工作"),
        (K.TECHNICAL_SUPPORT, "技术支持者", "首都师范大学王陆教授及靠谱 COP 团队：发布技术支撑的教学计划，定期对联盟成员进行"
                                       "业务考核，发布考核结果（联盟组织架构 1）"),
    ],
    "nmg": [
        (K.JOINT_MEETING, "联席会议", "由全体联盟单位参加，研究审议联盟内部的重要事宜和重大决策（第十三条）"),
        (K.GUIDANCE_COMMITTEE, "指导委员会", "联盟的领导和决策机构，由主任、副主任和委员组成（第十四条）"),
        (K.EXPERT_COMMITTEE, "专家委员会", "联盟的业务机构（第十五条）"),
        (K.SECRETARIAT, "秘书处", "负责贯彻执行联盟的相关决议，主持联盟的正常运行和管理（第十六条）"),
    ],
    "gz": [
        (K.COUNCIL, "理事会", "由各联盟成员单位推荐代表组成，设轮值主席 1 名，每届任期一年（第六条）"),
        (K.SECRETARIAT, "秘书处", "办公地点设在轮值主席所在成员单位（第六条）"),
    ],
    "jswl": [
        (K.COUNCIL, "理事会", ""),
        (K.SECRETARIAT, "秘书处", ""),
        (K.COORDINATION_GROUP, "公共服务平台建设工作协调组", "接受教师网联理事会的领导，由六所部属师范大学有关负责人组成"),
    ],
}

# slug, body name, role, person, unit, title, start
SEATS = [
    ("cop", "理事会", R.CHAIR, "陈莉", "", "", TERM_START),
    ("cop", "专家委员会", R.HEAD, "王陆", "首都师范大学", "教授", TERM_START),
    ("cop", "秘书处", R.SECRETARY_GENERAL, "张敏霞", "", "博士", TERM_START),
    *[("gz", "理事会", R.DIRECTOR, "", centre, "成员单位代表", TERM_START) for centre in GZ_CENTRES],
    ("jswl", "公共服务平台建设工作协调组", R.LEADER, "韩震", "北京师范大学", "副校长", COORDINATION_GROUP_FORMED),
    ("jswl", "公共服务平台建设工作协调组", R.DEPUTY_LEADER, "陆靖", "华东师范大学", "副校长", COORDINATION_GROUP_FORMED),
    ("jswl", "公共服务平台建设工作协调组", R.DEPUTY_LEADER, "刘益春", "东北师范大学", "副校长", COORDINATION_GROUP_FORMED),
    ("jswl", "公共服务平台建设工作协调组", R.DEPUTY_LEADER, "李向农", "华中师范大学", "副校长", COORDINATION_GROUP_FORMED),
    ("jswl", "公共服务平台建设工作协调组", R.DEPUTY_LEADER, "赵彬", "陕西师范大学", "副校长", COORDINATION_GROUP_FORMED),
    ("jswl", "公共服务平台建设工作协调组", R.DEPUTY_LEADER, "陈时见", "西南大学", "副校长", COORDINATION_GROUP_FORMED),
]

# Demo accounts that hold seats: email, slug, body, role
ACCOUNT_SEATS = [
    ("director@demo.test", "cop", "理事会", R.DIRECTOR),
    ("expert@demo.test", "cop", "专家委员会", R.MEMBER),
    ("cop-support@demo.test", "cop", "技术支持者", R.MEMBER),
]

# 000 art. 14: the conditions of the chair, vice-chairs and secretary-general that people attest ((三), the age,
# is checked from the birth date).
COP_OFFICER_CONDITIONS = [
    ("第十四条（一）", "坚持党的路线、方针、政策，政治素质好"),
    ("第十四条（二）", "在本业务领域内有较大影响"),
    ("第十四条（四）", "身体健康，能坚持正常工作"),
    ("第十四条（五）", "未受过剥夺政治权利处罚，在业内无不良影响"),
    ("第十四条（六）", "具有完全民事行为能力"),
]


def load(out):
    alliances = {a.slug: a for a in Alliance.objects.filter(slug__in=BODIES)}
    for slug, bodies in BODIES.items():
        for order, (kind, name, description) in enumerate(bodies):
            upsert(Body, {"alliance": alliances[slug], "name": name},
                   {"kind": kind, "description": description, "order": order})
    for order, (slug, body_name, role, person, unit, title, start) in enumerate(SEATS):
        body = Body.objects.get(alliance=alliances[slug], name=body_name)
        upsert(Seat, {"body": body, "role": role, "person_name": person, "unit_name": unit},
               {"title": title, "start_date": start, "order": order})
    for email, slug, body_name, role in ACCOUNT_SEATS:
        user = demo_user(email)
        body = Body.objects.get(alliance=alliances[slug], name=body_name)
        upsert(Seat, {"body": body, "role": role, "user": user},
               {"person_name": user.name, "start_date": TERM_START, "order": 100})
    out.write(f"机构：{Body.objects.count()} 个，任职：{Seat.objects.count()} 条")
    _load_officer_conditions(alliances["cop"])
    _load_meetings(out)
    _load_interpretation()
    _load_rotation(out)
    _load_briefing(out)
    from . import services

    # The daily job's first run, so the admin shows its flag (the 教师网联 council has no meeting on record).
    services.council_reminders_check(today=timezone.localdate())


def _load_officer_conditions(cop):
    """COP's conditions of art. 14, confirmed by its secretariat for the chair and the secretary-general."""
    from .models import OfficerCondition, SeatAttestation

    staff = demo_user("cop-staff@demo.test")
    conditions = [upsert(OfficerCondition, {"alliance": cop, "article": article}, {"text": text, "order": order})
                  for order, (article, text) in enumerate(COP_OFFICER_CONDITIONS)]
    for seat in Seat.objects.filter(body__alliance=cop, role__in=[R.CHAIR, R.SECRETARY_GENERAL]):
        for condition in conditions:
            upsert(SeatAttestation, {"seat": seat, "condition": condition},
                   {"confirmed_by": staff, "confirmed_at": timezone.make_aware(datetime.datetime(2025, 1, 1, 9))})


# --- Meetings and votes (000 arts. 11–13) --------------------------------------------------------------

# The charter names only the chair; the two founding organisations (000 “联盟组织架构”) sit on the demo
# council through representatives, so a vote has a quorum to reach. Their accounts cannot log in.
COP_COUNCIL_ACCOUNTS = [
    ("cop-chair@demo.test", "陈莉", {"role": R.CHAIR, "person_name": "陈莉", "unit_name": ""}),
    ("cop-cnu@demo.test", "首都师范大学理事代表", {"role": R.DIRECTOR, "person_name": "", "unit_name": "首都师范大学"}),
    ("cop-ucs@demo.test", "优学社理事代表",
     {"role": R.DIRECTOR, "person_name": "", "unit_name": "北京优学社教育咨询服务有限公司"}),
]
TZ = datetime.timezone(datetime.timedelta(hours=8))
ANNUAL_MEETING = {
    "title": "靠谱 COP 联盟2026年度理事会会议",
    "form": "in_person", "date": datetime.date(2026, 3, 20), "place": "北京市海淀区西三环北路 105 号科原大厦 611 室",
    "agenda": "一、审定联盟2026年度工作计划\n二、听取秘书处工作汇报", "status": "held",
}
POSTAL_MEETING = {
    "title": "靠谱 COP 联盟理事会2026年第二次会议（通讯形式）",
    "form": "correspondence", "date": datetime.date(2026, 11, 20), "place": "",
    "agenda": "以通讯形式审议《靠谱 COP 联盟成员管理办法》", "status": "scheduled",
    "correspondence_deadline": datetime.datetime(2027, 6, 30, 17, 0, tzinfo=TZ),
}
PLAN_MOTION = ("审定靠谱 COP 联盟2026年度工作计划", "approve_plan", (
    "秘书处提请理事会审定联盟2026年度工作计划：推动建设靠谱 COP 标志性示范实验区；组织联盟成员开展课堂教学"
    "行为大数据研修；定期对联盟成员进行业务考核并发布考核结果。"
))
RULES_MOTION = ("制定《靠谱 COP 联盟成员管理办法》", "adopt_rules", (
    "依据章程第十一条第（五）项，秘书处拟订《靠谱 COP 联盟成员管理办法》，对成员申请、审查批准、成员证书、"
    "会费交纳和退会手续作出规定，提请理事会以通讯形式审议。"
))


def _cop_council(out):
    from alliance.models import User

    body = Body.objects.get(alliance__slug="cop", name="理事会")
    voters = []
    for order, (email, name, seat) in enumerate(COP_COUNCIL_ACCOUNTS, 1):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, name=name, password=None)  # unusable password
        defaults = {"user": user, "start_date": TERM_START}
        if seat["role"] != R.CHAIR:  # the chair's row and its order come from SEATS above
            defaults["order"] = 50 + order
        upsert(Seat, {"body": body, **seat}, defaults)
        voters.append(user)
    return body, voters


def _meeting(body, fields):
    from .models import Meeting

    fields = dict(fields)
    return upsert(Meeting, {"body": body, "title": fields.pop("title")}, fields)


def _load_meetings(out):
    from alliance.queueing import enqueue_on_commit

    from . import services
    from .models import Ballot, Motion
    body, (chair, cnu, ucs) = _cop_council(out)
    director = demo_user("director@demo.test")
    annual = _meeting(body, ANNUAL_MEETING)
    title, kind, text = PLAN_MOTION
    plan = upsert(Motion, {"meeting": annual, "title": title}, {"kind": kind, "text": text, "order": 1})
    if plan.status == Motion.Status.DRAFT:
        # The secretariat records the sign-in sheet of the meeting (000 art. 12: the directors present).
        staff = demo_user("cop-staff@demo.test")
        signed_in = datetime.datetime.combine(annual.date, datetime.time(9, 0), tzinfo=TZ)
        for user in (chair, cnu, ucs, director):
            seat = Seat.objects.in_office(on=annual.date).filter(body=body, user=user).order_by("pk").first()
            services.attendance_check_in(actor=staff, meeting=annual, seat=seat, checked_in_at=signed_in)
        services.vote_open(actor=None, motion=plan)
        for user, choice in ((chair, "for"), (cnu, "for"), (director, "for"), (ucs, "abstain")):
            services.ballot_cast(actor=user, motion=plan, choice=choice)
        services.vote_close(actor=None, motion=plan)
    elif hasattr(plan, "result") and not plan.result.resolution_pdf:
        enqueue_on_commit("governance.tasks.result_render_pdfs", plan.result.pk)

    postal = _meeting(body, POSTAL_MEETING)
    title, kind, text = RULES_MOTION
    rules = upsert(Motion, {"meeting": postal, "title": title}, {"kind": kind, "text": text, "order": 1})
    if rules.status == Motion.Status.DRAFT:
        rules = services.vote_open(actor=None, motion=rules)
    if rules.is_open and not Ballot.objects.filter(motion=rules, voter=chair).exists():
        services.ballot_cast(actor=chair, motion=rules, choice="for")


# 001 art. 24: 本章程委托联盟指导委员负责解释. The seed names no committee members and no interpretation: the three
# accounts (which cannot log in) and the text are illustrative.
NMG_GUIDANCE_ACCOUNTS = [("nmg-guide1@demo.test", "指导委员会主任（演示）", R.HEAD),
                         ("nmg-guide2@demo.test", "指导委员会副主任（演示）", R.DEPUTY_HEAD),
                         ("nmg-guide3@demo.test", "指导委员会委员（演示）", R.MEMBER)]
NMG_INTERPRETATION = ("关于章程第十九条成员任期起算的解释", "第十九条",
                      "第十九条所称成员任期五年，自指导委员会同意入会之日起计算；任期届满可以连任（演示）。")


def _load_interpretation():
    from alliance.models import User

    from . import services
    from .models import CharterInterpretation, Motion

    nmg = Alliance.objects.get(slug="nmg")
    if CharterInterpretation.objects.filter(alliance=nmg).exists():
        return
    body = Body.objects.get(alliance=nmg, kind=K.GUIDANCE_COMMITTEE)
    users = []
    for order, (email, name, role) in enumerate(NMG_GUIDANCE_ACCOUNTS):
        user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, name=name,
                                                                                     password=None)
        upsert(Seat, {"body": body, "user": user}, {"role": role, "person_name": name, "start_date": TERM_START,
                                                     "order": order})
        users.append(user)
    staff = demo_user("nmg-staff@demo.test")
    meeting = _meeting(body, {"title": "内蒙古联盟指导委员会2026年第一次会议", "form": "in_person",
                              "date": datetime.date(2026, 4, 10), "place": "呼和浩特市", "status": "held",
                              "agenda": "审议章程第十九条的解释"})
    title, article, text = NMG_INTERPRETATION
    motion = upsert(Motion, {"meeting": meeting, "title": title}, {"kind": Motion.Kind.OTHER, "text": text})
    if motion.status == Motion.Status.DRAFT:
        signed_in = datetime.datetime.combine(meeting.date, datetime.time(9, 0), tzinfo=TZ)
        for user in users:
            seat = Seat.objects.get(body=body, user=user)
            services.attendance_check_in(actor=staff, meeting=meeting, seat=seat, checked_in_at=signed_in)
        services.vote_open(actor=None, motion=motion)
        for user in users:
            services.ballot_cast(actor=user, motion=motion, choice="for")
        motion = services.vote_close(actor=None, motion=motion).motion
    if motion.status == Motion.Status.PASSED:
        services.charter_interpretation_record(actor=staff, alliance=nmg, motion=motion, article=article, text=text)


GZ_MEETING = {
    "title": "广州市市级教师发展中心联盟2027年度理事会", "form": "in_person", "date": datetime.date(2027, 1, 15),
    "place": "广州市教师发展研训中心",
    "agenda": "一、推举2027年度轮值主席\n二、审定联盟2026年度工作报告\n三、审定联盟2027年度工作计划",
    "status": "scheduled",
}
# 002 art. 7: 理事会负责审定联盟年度工作计划、年度工作报告; the secretariat drafts the report.
GZ_ANNUAL_MOTIONS = [
    ("approve_report", "审定广州市市级教师发展中心联盟2026年度工作报告", (
        "秘书处组织起草联盟2026年度工作报告：各成员单位共享教科研成果、教师教育信息化平台资源、研训硬件设施和"
        "师资，共同完成区域内骨干教师、校（园）长培训任务，提请理事会审定。"
    )),
    ("approve_plan", "审定广州市市级教师发展中心联盟2027年度工作计划", (
        "秘书处提请理事会审定联盟2027年度工作计划：组织年会和以六家市级教师发展中心共性问题为主题的论坛；推进"
        "成员单位资源整合共享，每五年数字资源补充更新率不低于20%；向市教育局提出事业发展建议。"
    )),
]


def _load_rotation(out):
    """002 arts. 6–7: the next member centre's turn as rotating chair, and the annual report and plan, on the
    agenda of the next council."""
    from . import services
    from .models import Meeting, Motion

    body = Body.objects.get(alliance__slug="gz", name="理事会")
    meeting = _meeting(body, GZ_MEETING)
    if not meeting.motions.filter(kind=Motion.Kind.ELECT_OFFICER).exists():
        services.rotating_chair_motion_create(actor=None, meeting=meeting)
    for kind, title, text in GZ_ANNUAL_MOTIONS:
        if not meeting.motions.filter(kind=kind).exists():
            services.motion_create(actor=None, meeting=meeting, kind=kind, title=title, text=text)
    out.write(f"会议：{Meeting.objects.count()} 次，议案：{Motion.objects.count()} 项")


# --- The briefing of seed 003 --------------------------------------------------------------------------

def _load_briefing(out):
    from alliance import numbering
    from alliance.queueing import enqueue_on_commit

    from .demo_briefing import BRIEFING_2010_1_ARTICLES
    from .models import Briefing, BriefingArticle
    jswl = Alliance.objects.get(slug="jswl")
    briefing = upsert(Briefing, {"alliance": jswl, "year": 2010, "number": 1}, {
        "title": "工作简报", "issued_on": datetime.date(2010, 10, 18),
        "reported_to": "教育部师范教育司", "distributed_to": "全国教师教育网络联盟成员单位", "to_members": True,
        "contact": "全国教师教育网络联盟秘书处 （010）58800182\n北京师范大学继续教育与教师培训学院 （010）58800182",
        "status": Briefing.Status.PUBLISHED, "published_at": datetime.datetime(2010, 10, 18, 9, 0, tzinfo=TZ),
    })
    numbering.numbers_taken(kind=numbering.Kind.BRIEFING, alliance=jswl, year=2010, value=briefing.number)
    issuers = list(Body.objects.filter(alliance=jswl, name__in=["理事会", "秘书处"]).order_by("order"))
    if set(briefing.issuers.all()) != set(issuers):
        briefing.issuers.set(issuers)
    for order, (level, heading, text) in enumerate(BRIEFING_2010_1_ARTICLES, 1):
        upsert(BriefingArticle, {"briefing": briefing, "order": order},
               {"level": level, "heading": heading, "text": text})
    if not briefing.pdf:
        enqueue_on_commit("governance.tasks.briefing_render_pdf", briefing.pk)
    out.write(f"工作简报：{briefing}")
