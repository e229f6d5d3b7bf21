"""Demo members and applications from the seeds (000 arts. 4–9, 001 arts. 17–19, 002 arts. 5–6, 003).

Idempotent: rows are found by their natural keys and written through ``upsert``; a transition runs only when
the application is not yet in the state the demo wants, so a second run writes nothing.
"""

import datetime

from alliance.demo import DEMO_PASSWORD, GZ_CENTRES, demo_user
from alliance.demo_utils import upsert
from alliance.models import Alliance, User

from governance.models import Body, Meeting, Seat

from . import services
from .models import Application, Kind, Liaison, Member

S = Application.Status

# 002 art. 5 names the six centres; the demo dates their enrolment at the start of 2021.
GZ_ENROLLED = datetime.date(2021, 1, 1)
# 003: the six normal universities signed the cooperation agreement of 教师网联 on 2010-10-18.
JSWL_ENROLLED = datetime.date(2010, 10, 18)
JSWL_UNIVERSITIES = [
    ("北京师范大学", "韩震", "副校长"),
    ("华东师范大学", "陆靖", "副校长"),
    ("东北师范大学", "刘益春", "副校长"),
    ("华中师范大学", "李向农", "副校长"),
    ("陕西师范大学", "赵彬", "副校长"),
    ("西南大学", "陈时见", "副校长"),
]
GZ_LIAISONS = ["陈老师", "林老师", "黄老师", "何老师", "梁老师", "罗老师"]


def _unit(name, unit_type, *, province, city, county, address, postcode, head, contact, mobile, email, field,
          description, credit_code=""):
    return {
        "unit_name": name, "unit_type": unit_type, "credit_code": credit_code, "province": province, "city": city,
        "county": county, "address": address, "postcode": postcode, "head_name": head[0], "head_title": head[1],
        "head_phone": head[2], "head_email": "", "contact_name": contact[0], "contact_title": contact[1],
        "contact_office_phone": contact[2], "contact_mobile": mobile, "contact_email": email, "contact_im": "",
        "field_of_work": field, "description": description, "consent_charter": True, "consent_voluntary": True,
    }


# (applicant e-mail, applicant name, alliance slug, kind, data, wanted state, staff reason or reference)
APPLICATIONS = [
    ("applicant@demo.test", None, "cop", Kind.UNIT, _unit(
        "北京市海淀区教师进修学校", "学校", province="北京市", city="北京市", county="海淀区",
        address="北京市海淀区温泉镇政府西侧", postcode="100095", head=("刘建华", "校长", "010-62456789"),
        contact=("演示申请人", "培训部主任", "010-62456790"), mobile="13812345678", email="applicant@demo.test",
        field="区域教师培训与校本研修，参与靠谱 COP 课堂教学行为大数据研修项目。",
        description="海淀区教师培训与教研机构，承担全区中小学教师继续教育。",
    ), S.SUBMITTED, ""),
    ("cop-school1@demo.test", "赵老师", "cop", Kind.UNIT, _unit(
        "北京市朝阳区实验小学", "学校", province="北京市", city="北京市", county="朝阳区",
        address="北京市朝阳区安慧里四区", postcode="100101", head=("孙丽", "校长", "010-64912345"),
        contact=("赵老师", "教学主任", "010-64912346"), mobile="13911112222", email="cop-school1@demo.test",
        field="课堂教学行为观察与教师在线实践社区研修。", description="区属公办小学。",
    ), S.APPROVED, ""),
    ("cop-company@demo.test", "周经理", "cop", Kind.UNIT, _unit(
        "北京智学教育科技有限公司", "企业", province="北京市", city="北京市", county="海淀区",
        address="北京市海淀区中关村大街27号", postcode="100080", head=("周明", "总经理", "010-82601234"),
        contact=("周经理", "市场部经理", "010-82601235"), mobile="13522223333", email="cop-company@demo.test",
        field="教育技术产品研发（课堂录播系统）。", description="教育信息化企业。",
        credit_code="91350100M000100Y43",
    ), S.RETURNED, "请补充从事教育技术产品研发的证明材料（章程第五条第三项），如产品著作权登记证书。"),
    ("cop-person@demo.test", "吴老师", "cop", Kind.INDIVIDUAL, {
        "person_name": "吴晓梅", "gender": "female", "birth_date": datetime.date(1982, 4, 12), "ethnicity": "汉族",
        "employer": "河北省石家庄市第二中学", "professional_title": "中学高级教师", "position": "教研组长",
        "office_phone": "0311-86012345", "mobile": "13633334444", "email": "cop-person@demo.test",
        "address": "河北省石家庄市长安区", "postcode": "050011", "field_of_work": "中学英语教学与教师培训",
        "achievements": "省级骨干教师，主持省级课题一项。", "consent_charter": True, "consent_voluntary": True,
    }, S.REJECTED, "申请材料未能说明在教育技术或教师专业发展领域的影响力（章程第五条第三项），欢迎补充后重新申请。"),
    ("cop-draft@demo.test", "郑老师", "cop", Kind.UNIT, {
        "unit_name": "天津市河西区教育信息中心", "unit_type": "教育技术部门", "province": "天津市", "city": "天津市",
        "county": "河西区",
    }, S.DRAFT, ""),
    ("nmg-imnu@demo.test", "包老师", "nmg", Kind.UNIT, _unit(
        "内蒙古师范大学", "举办师范教育专业的高等院校", province="内蒙古自治区", city="呼和浩特市", county="赛罕区",
        address="内蒙古呼和浩特市赛罕区昭乌达路81号", postcode="010022", head=("乌云", "副校长", "0471-4392001"),
        contact=("包老师", "教师教育学院办公室主任", "0471-4392002"), mobile="13947112345",
        email="nmg-imnu@demo.test", field="师范生培养与中小学教师培训。",
        description="自治区举办师范教育专业的高等院校（章程第一条）。",
    ), S.SUBMITTED, ""),
]


def _person(email, name):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, name=name, password=DEMO_PASSWORD)
    return user


def _enrol(alliance, name, admitted_on, reference, admin):
    member = Member.objects.filter(alliance=alliance, name=name).first()
    if member is None:
        member = services.member_enrol_by_charter(
            actor=admin, alliance=alliance, name=name, kind=Kind.UNIT, admitted_on=admitted_on, reference=reference
        )
    return member


def _application(email, name, slug, kind, data, wanted, note, staff_by_slug, admin):
    alliance = Alliance.objects.get(slug=slug)
    applicant = demo_user(email) if name is None else _person(email, name)
    key = {"alliance": alliance, "applicant": applicant, "kind": kind}
    app = Application.objects.filter(**key).first()
    if app is None:
        app = services.application_save(actor=applicant, alliance=alliance, kind=kind, data=data)
    elif app.is_editable:
        app = upsert(Application, {"pk": app.pk}, data)
    if wanted == S.DRAFT or app.status == wanted:
        return app
    staff = staff_by_slug.get(slug, admin)
    if app.status == S.DRAFT:
        app = services.application_submit(actor=applicant, application=app)
    if wanted == S.APPROVED:
        services.application_approve(actor=staff, application=app)
    elif wanted == S.RETURNED:
        services.application_return(actor=staff, application=app, reason=note)
    elif wanted == S.REJECTED:
        services.application_reject(actor=staff, application=app, reason=note)
    app.refresh_from_db()
    return app


# 000 art. 11 (二): the council ratified the applications the secretariat had approved, in one motion at its
# annual meeting (the meeting and the directors present come from governance/demo.py).
COP_ANNUAL_MEETING = "靠谱 COP 联盟2026年度理事会会议"
COP_COUNCIL_VOTERS = ["cop-chair@demo.test", "cop-cnu@demo.test", "director@demo.test", "cop-ucs@demo.test"]


def _cop_ratification(staff):
    from governance import services as governance

    if not Application.objects.filter(alliance__slug="cop", status=S.PENDING_RATIFICATION).exists():
        return
    meeting = Meeting.objects.get(body__alliance__slug="cop", title=COP_ANNUAL_MEETING)
    motion = services.applications_ratification_motion_create(actor=staff, meeting=meeting)
    governance.vote_open(actor=staff, motion=motion)
    for email in COP_COUNCIL_VOTERS:
        governance.ballot_cast(actor=User.objects.get(email=email), motion=motion, choice="for")
    governance.vote_close(actor=staff, motion=motion)


# 001 art. 24: the charter took effect when the joint meeting of all members passed it. The seed names no
# member; the demo's founding members are three universities, each represented at the joint meeting (001 art. 13).
NMG_ENROLLED = datetime.date(2025, 1, 1)
NMG_FOUNDERS = [("集宁师范学院", "高老师"), ("赤峰学院", "白老师"), ("呼和浩特民族学院", "哈老师")]


def _nmg_joint_meeting(admin):
    nmg = Alliance.objects.get(slug="nmg")
    body = Body.objects.get(alliance=nmg, kind=Body.Kind.JOINT_MEETING)
    for order, (university, representative) in enumerate(NMG_FOUNDERS):
        member = _enrol(nmg, university, NMG_ENROLLED, "第二十四条：全体成员联席会议通过章程", admin)
        upsert(Seat, {"body": body, "member": member},
               {"role": Seat.Role.MEMBER, "person_name": representative, "unit_name": university,
                "title": "成员单位代表", "start_date": NMG_ENROLLED, "order": order})


def load(out):
    admin = demo_user("admin@demo.test")
    gz = Alliance.objects.get(slug="gz")
    for centre, liaison in zip(GZ_CENTRES, GZ_LIAISONS, strict=True):
        member = _enrol(gz, centre, GZ_ENROLLED, "《广州市市级教师发展中心联盟章程》第五条", admin)
        # 002 art. 6: each member names one liaison.
        upsert(Liaison, {"member": member}, {"name": liaison, "title": "联络员", "phone": "020-83800000",
                                              "email": f"liaison{GZ_CENTRES.index(centre) + 1}@gz.demo.test"})
    jswl = Alliance.objects.get(slug="jswl")
    for index, (university, head, title) in enumerate(JSWL_UNIVERSITIES, start=1):
        member = _enrol(jswl, university, JSWL_ENROLLED,
                        "《六所部属师范大学关于依托全国教师教育网络联盟公共服务平台开展免费师范生教育的合作协议》", admin)
        upsert(Liaison, {"member": member}, {"name": head, "title": title, "phone": "010-58800182",
                                              "email": f"university{index}@jswl.demo.test"})
    staff_by_slug = {"cop": demo_user("cop-staff@demo.test"), "nmg": demo_user("nmg-staff@demo.test")}
    for spec in APPLICATIONS:
        _application(*spec, staff_by_slug=staff_by_slug, admin=admin)
    _cop_ratification(staff_by_slug["cop"])
    _nmg_joint_meeting(admin)
    out.write(f"成员：{Member.objects.count()} 个，入会申请：{Application.objects.count()} 份")
    from . import demo_assessments

    demo_assessments.load(out)
