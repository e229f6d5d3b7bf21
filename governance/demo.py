"""Demo bodies and the officers the seeds name (000 arts. 25–26, 001 arts. 13–16, 002 art. 6, 003)."""

import datetime

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
