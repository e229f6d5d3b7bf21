"""Demo records for seed 004: the 2019 call of 中央电化教育馆 with a finished selection, and a current call.

Idempotent: every row goes through ``upsert``, so a second ``loaddemo`` writes nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from alliance import numbering
from alliance.demo import DEMO_PASSWORD
from alliance.demo_utils import upsert
from alliance.models import Alliance, User
from alliance.queueing import enqueue_on_commit
from alliance.services import secretariat_grant

from .models import (
    Activity, ActivityTeacher, Application, AppointmentLetter, Assignment, Pairing, Project, ProjectExpert,
    ProvincialContact, ProvincialOrganiser, ReviewCriterion, School, Score, SelectionNotice, SubjectGrade, TeamMember,
    Textbook,
)

# 004 二（二）遴选学科年级: (stage, subject, from, to)
SUBJECT_TABLE = [
    ("primary", "语文", 2, 5), ("primary", "道德与法治", 2, 5), ("primary", "数学", 2, 5),
    ("primary", "英语", 3, 5), ("primary", "音乐", 2, 5),
    ("junior", "语文", 7, 7), ("junior", "历史", 7, 7), ("junior", "道德与法治", 7, 7),
    ("junior", "数学", 7, 7), ("junior", "英语", 7, 7),
]
CRITERIA = {
    "county": [("信息化基础条件（宽带校校通、班级多媒体设备）", 30), ("县级重视程度与激励措施", 20),
               ("县域教研共同体组建情况", 30), ("电教教研队伍与三区三州优先", 20)],
    "community": [("领衔专家的学科影响力与组织能力", 30), ("团队结构与一线教学经验", 30),
                   ("建设方案（目标、基础、创新）", 20), ("获奖荣誉与成果", 20)],
}
NOTICE_TITLE = "中央电化教育馆关于遴选“教研共同体协同提升试点项目”试点县和名师教研共同体的通知"
TZ = timezone.get_default_timezone()


def _aware(*args):
    return timezone.make_aware(datetime.datetime(*args), TZ)


def _project(alliance, slug, title, deadline, starts, ends):
    project = upsert(Project, {"slug": slug}, {
        "alliance": alliance, "title": title, "notice_title": NOTICE_TITLE,
        "notice_date": datetime.date(2019, 8, 27), "starts_on": starts, "ends_on": ends, "deadline": deadline,
        "summary": "以同步单元教研为基础，通过异步、同步教研，示范教学等形式，将名师教研共同体对接贫困地区县域教研共同体，"
                   "县级教研共同体再以专递课堂形式覆盖本县师资缺乏的教学点和农村薄弱学校。",
        "contact_text": "中央电教馆网络部 张博、齐琳；010-66490229/0227；zhangbo1986@moe.edu.cn",
        # 004 sets no rate; this demo value lets the finance app show a subsidy.
        "rate_per_class_hour": Decimal("150.00"),
    })
    for order, (stage, subject, low, high) in enumerate(SUBJECT_TABLE, 1):
        upsert(SubjectGrade, {"project": project, "stage": stage, "subject": subject},
               {"grade_from": low, "grade_to": high, "order": order})
    for kind, rows in CRITERIA.items():
        for order, (name, max_score) in enumerate(rows, 1):
            upsert(ReviewCriterion, {"project": project, "kind": kind, "name": name},
                   {"max_score": max_score, "order": order})
    return project


def _subject(project, stage, subject):
    return SubjectGrade.objects.get(project=project, stage=stage, subject=subject)


def _county(project, organiser, province, unit, county, sanqu, schools, teams, status, submitted_at):
    app = upsert(Application, {"project": project, "kind": "county", "province": province, "county": county}, {
        "created_by": organiser, "applicant_unit": unit, "is_sanqu_sanzhou": sanqu,
        "address": f"{province}{county}教育体育局", "head_name": "李建国", "head_position": "局长",
        "head_phone": "0886-3622001", "head_email": "lsjyj@example.cn", "head_qq": "52001001",
        "contact_name": "和丽萍", "contact_position": "电教站站长", "contact_phone": "13908860101",
        "contact_email": "lsdj@example.cn", "contact_qq": "52001002",
        "ict_infrastructure": "全县义务教育学校均已接入宽带，校均出口带宽100M；班级多媒体教学设备覆盖率100%；"
                              "教学点配备录播一体机，学生终端以班级电脑和平板为主。",
        "research_organisation": "县教师发展中心设小学语文、数学、英语教研组，实行片区联校教研；"
                                 "每月开展一次县级集体备课，电教站协助开展网络教研。",
        "opinion_unit": "云南省电化教育馆" if province == "云南省" else f"{province}电化教育馆",
        "opinion_date": datetime.date(2019, 10, 8) if submitted_at else None,
        "status": status, "submitted_at": submitted_at,
    })
    for order, (name, kind) in enumerate(schools, 1):
        upsert(School, {"application": app, "name": name},
               {"kind": kind, "head": "王校长", "head_phone": "0886-3622100", "order": order})
    for subject, names in teams:
        upsert(Textbook, {"application": app, "subject": subject},
               {"edition": "统编版" if subject.subject in ("语文", "道德与法治", "历史") else "人教版"})
        for order, name in enumerate(names, 1):
            upsert(TeamMember, {"application": app, "name": name, "subject": subject}, {
                "gender": "女" if order % 2 else "男", "employer": schools[order % len(schools)][0],
                "title": "一级教师", "phone": f"1390886{order:04d}", "role": "subject_lead" if order == 1 else "teacher",
            })
    return app


def _community(project, organiser, province, subject, grade, leader, team, status, submitted_at):
    app = upsert(Application, {"project": project, "kind": "community", "province": province,
                               "leader_name": leader[0]}, {
        "created_by": organiser, "organising_unit": leader[1], "stage": subject.stage, "subject": subject,
        "grade": grade, "leader_gender": leader[2], "leader_birth_month": leader[3], "leader_employer": leader[1],
        "leader_title": "正高级教师", "leader_qualification": "special", "leader_position": "教研组长",
        "leader_email": "leader@example.cn", "leader_phone": "13888010001", "leader_address": f"{province}昆明市五华区",
        "leader_postcode": "650031",
        "plan_goals": "以同步单元教研带动县域教师成长，让山区孩子上好每一节课。",
        "plan_foundation": "共同体现有成员8人，均为市级以上骨干教师；近三年开展网络教研40余次，覆盖州县教师600余人次。",
        "plan_awards": "全国基础教育教学成果奖二等奖；省级优秀教研团队。",
        "opinion_unit": "云南省电化教育馆", "status": status, "submitted_at": submitted_at,
    })
    for order, (name, role) in enumerate(team, 1):
        upsert(TeamMember, {"application": app, "name": name}, {
            "gender": "女" if order % 2 else "男", "employer": leader[1], "title": "高级教师",
            "phone": f"1388801{order:04d}", "role": role, "order": order,
        })
    return app


def load(out):
    ncet = Alliance.objects.get(slug="ncet")
    admin = User.objects.get(email="admin@demo.test")
    organiser = User.objects.get(email="organiser@demo.test")
    expert = User.objects.get(email="expert@demo.test")
    staff = User.objects.filter(email="ncet-staff@demo.test").first()
    if staff is None:
        staff = User.objects.create_user(email="ncet-staff@demo.test", name="中央电教馆项目组", password=DEMO_PASSWORD)
    if not staff.has_perm("alliance.manage_alliance", ncet):
        secretariat_grant(actor=admin, user=staff, alliance=ncet)
    leader = User.objects.filter(email="leader@demo.test").first()
    if leader is None:
        leader = User.objects.create_user(email="leader@demo.test", name="赵明华", password=DEMO_PASSWORD)

    pilot = _project(ncet, "pilot-2019", "教研共同体协同提升试点项目", _aware(2019, 10, 10, 23, 59),
                     datetime.date(2019, 9, 1), datetime.date(2021, 12, 31))
    current = _project(ncet, "pilot-demo", "教研共同体协同提升试点项目（演示申报批次）", _aware(2027, 6, 30, 23, 59),
                       datetime.date(2026, 9, 1), datetime.date(2028, 8, 31))
    for project in (pilot, current):
        upsert(ProvincialOrganiser, {"project": project, "user": organiser},
               {"province": "云南省", "unit_name": "云南省电化教育馆"})
        upsert(ProjectExpert, {"project": project, "user": expert}, {"title": "北京师范大学 教授"})

    yw, sx = _subject(pilot, "primary", "语文"), _subject(pilot, "primary", "数学")
    submitted = _aware(2019, 10, 9, 16, 30)
    names = ["和春花", "李文华", "余建芬", "杨光明", "普丽娟", "段海涛"]
    lushui = _county(pilot, organiser, "云南省", "泸水市教育体育局", "泸水市", True,
                     [("泸水市称杆乡中心完小", "乡镇中心校"), ("泸水市古登乡色仲教学点", "教学点"),
                      ("泸水市大兴地镇自扁王村小学", "农村薄弱学校")],
                     [(yw, names[:5]), (sx, names[1:] )], "final", submitted)
    _county(pilot, organiser, "云南省", "兰坪白族普米族自治县教育体育局", "兰坪县", True,
            [("兰坪县河西乡中心完小", "乡镇中心校"), ("兰坪县通甸镇黄松教学点", "教学点")],
            [(yw, ["和金莲", "杨丽", "李志强", "熊艳", "和军"])], "not_selected", submitted)
    # Ticked 三区三州 but is not one of its counties: the ranking does not give it priority (004 二（一）).
    _county(pilot, organiser, "云南省", "会泽县教育局", "会泽县", True,
            [("会泽县大井镇中心小学", "乡镇中心校"), ("会泽县大桥乡教学点", "教学点")],
            [(yw, ["张红梅", "李建华", "王丽", "陈刚", "赵敏"])], "not_selected", submitted)
    _county(pilot, admin, "甘肃省", "东乡族自治县教育局", "东乡族自治县", True,
            [("东乡县锁南镇中心小学", "乡镇中心校"), ("东乡县达板镇教学点", "教学点")],
            [(sx, ["马晓燕", "马明", "妥建华", "马丽", "汪海"])], "final", submitted)
    community = _community(pilot, organiser, "云南省", yw, 3, ("赵明华", "昆明市五华区教育科学研究中心", "女", "1972-05"),
                           [("赵明华", "leader"), ("陈晓燕", "admin"), ("刘芳", "member"), ("张丽", "member"),
                            ("王静", "member"), ("孙磊", "member")], "final", submitted)

    for app in Application.objects.filter(project=pilot).exclude(status="draft"):
        assignment = upsert(Assignment, {"application": app, "expert": expert},
                            {"assigned_by": staff, "scored_at": _aware(2019, 10, 20, 10, 0),
                             "comment": "材料齐全，条件符合要求。"})
        for i, criterion in enumerate(ReviewCriterion.objects.filter(project=pilot, kind=app.kind)):
            value = criterion.max_score - (i if app.status == "final" else i + 6)
            upsert(Score, {"assignment": assignment, "criterion": criterion}, {"value": value})
    notice = upsert(SelectionNotice, {"project": pilot, "title": "“教研共同体协同提升试点项目”试点县和名师教研共同体入选名单公示"}, {
        "body": "经各省级电教部门推荐、专家遴选，拟确定以下试点县和名师教研共同体，现予以公示。",
        "starts_on": datetime.date(2019, 11, 1), "ends_on": datetime.date(2019, 11, 7),
        "contact": "中央电教馆网络部 010-66490229", "published_at": _aware(2019, 11, 1, 9, 0),
        "finalised_at": _aware(2019, 11, 8, 9, 0),
    })
    finals = list(Application.objects.filter(project=pilot, status="final"))
    if set(notice.applications.all()) != set(finals):
        notice.applications.set(finals)
    letter = upsert(AppointmentLetter, {"application": community},
                    {"number": "NCET-2019-001", "issued_on": datetime.date(2019, 11, 8)})
    numbering.numbers_taken(kind=numbering.Kind.LETTER, alliance=ncet, year=2019, value=1)
    if letter.status != AppointmentLetter.Status.READY:
        enqueue_on_commit("projects.tasks.letter_render", letter.pk)
    for pk in Application.objects.filter(project=pilot, pdf_file="").exclude(status="draft").values_list("pk", flat=True):
        enqueue_on_commit("projects.tasks.application_pdf_render", pk)

    pairing = upsert(Pairing, {"community": community, "county": lushui, "subject": yw, "grade": 3},
                     {"project": pilot, "starts_on": datetime.date(2019, 11, 15), "leader": leader})
    members = {m.name: m for m in community.team.all()}
    for date, kind, hours, topic, teachers in [
        (datetime.date(2019, 11, 20), "sync", Decimal("2"), "三年级上册第六单元同步教研", [("赵明华", 2), ("刘芳", 2)]),
        (datetime.date(2019, 11, 27), "demo", Decimal("1"), "《富饶的西沙群岛》示范课", [("张丽", 1)]),
        (datetime.date(2019, 12, 4), "remote_class", Decimal("1"), "专递课堂：《海滨小城》", [("王静", 1)]),
        (datetime.date(2019, 12, 11), "async", Decimal("2"), "第七单元异步教研：作业设计", [("赵明华", 1), ("孙磊", 1)]),
    ]:
        activity = upsert(Activity, {"pairing": pairing, "date": date, "kind": kind}, {
            "class_hours": hours, "topic": topic,
            "teaching_points": "泸水市古登乡色仲教学点" if kind in ("remote_class", "demo") else "",
            "rural_schools": "泸水市大兴地镇自扁王村小学" if kind == "remote_class" else "",
        })
        # Staff have confirmed the hours of November; December's wait on the dashboard (004 二（二）).
        confirmed = {"confirmed_by": staff, "confirmed_at": _aware(2019, 12, 1, 9, 0)} if date.month == 11 else {}
        for name, h in teachers:
            upsert(ActivityTeacher, {"activity": activity, "name": name},
                   {"hours": Decimal(h), "member": members[name], **confirmed})

    upsert(ProvincialContact, {"project": pilot, "province": "云南省"}, {
        "created_by": organiser, "status": "submitted", "submitted_at": submitted,
        "head_name": "周立新", "head_gender": "男", "head_ethnicity": "汉族", "head_unit": "云南省电化教育馆",
        "head_position": "馆长", "head_office_phone": "0871-65141001", "head_mobile": "13908710001",
        "head_wechat": "zlx_yn", "contact_name": "和晓梅", "contact_gender": "女", "contact_ethnicity": "纳西族",
        "contact_unit": "云南省电化教育馆资源部", "contact_position": "主任", "contact_office_phone": "0871-65141002",
        "contact_mobile": "13908710002", "contact_wechat": "hxm_yn",
    })
    # The current call: one draft county application for the organiser to continue.
    upsert(Application, {"project": current, "kind": "county", "province": "云南省", "county": "福贡县"}, {
        "created_by": organiser, "applicant_unit": "福贡县教育体育局", "is_sanqu_sanzhou": True,
        "address": "云南省怒江傈僳族自治州福贡县上帕镇", "head_name": "余新民", "head_position": "局长",
        "opinion_unit": "云南省电化教育馆",
    })
    out.write(f"项目：{Project.objects.count()} 个，申报表 {Application.objects.count()} 份")
