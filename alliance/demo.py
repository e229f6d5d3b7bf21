"""Demo alliances (seeds 000–004), their charter rules, announcements and one account per role."""

import datetime

from django.utils import timezone

from .demo_utils import upsert
from .models import Alliance, Announcement, CharterRules, User
from .permissions import can_manage_alliance
from .services import secretariat_grant

DEMO_PASSWORD = "Demo-2026"

# email, name, role shown to the person trying the demo
ACCOUNTS = [
    ("admin@demo.test", "平台管理员", "超级管理员：所有联盟"),
    ("cop-staff@demo.test", "靠谱COP秘书处", "秘书处工作人员：靠谱 COP 联盟"),
    ("nmg-staff@demo.test", "内蒙古联盟秘书处", "秘书处工作人员：内蒙古自治区教师教育协同创新联盟"),
    ("director@demo.test", "演示理事", "理事：靠谱 COP 联盟理事会"),
    ("expert@demo.test", "演示专家", "专家：靠谱 COP 联盟专家委员会"),
    ("applicant@demo.test", "演示申请人", "申请人：可向联盟提交成员申请"),
    ("organiser@demo.test", "省级项目组织单位", "省级项目组织单位：试点项目申报"),
    ("cop-support@demo.test", "靠谱COP技术支持团队", "技术支持者：靠谱 COP 联盟的成员业务考核"),
]

# Accounts that the apps' demo loaders create along with their records; listed here so `make run` prints them.
APP_ACCOUNTS = [
    ("cop-school1@demo.test", "成员：靠谱 COP 联盟的单位成员（证书、会费与收据）"),
    ("ncet-staff@demo.test", "秘书处工作人员：中央电化教育馆（试点项目评审、公示、结对）"),
    ("leader@demo.test", "名师教研共同体负责人：在网站上记录结对活动和课时（试点项目）"),
]

COP_RIGHTS = """（一）参加联盟组织的活动；
（二）获得联盟的培训服务；
（三）对联盟工作提出批评建议的权利和监督权；
（四）入会自愿、退会自由的权利。"""

COP_DUTIES = """（一）遵守国家法律、法规，具有良好的职业道德和较高的业务素质；
（二）遵守联盟章程，执行联盟决议，接受联盟监督管理；
（三）维护联盟合法权益，维护联盟声誉；
（四）完成联盟交办的工作；
（五）按规定交纳会费；
（六）向联盟反映情况，提供有关资料；
（七）尊重知识产权，遵守行规、行约。"""

NMG_RIGHTS = """（一）对联盟内部的重要决策、重大活动、重要事项等有表决权，知情权，对联盟的工作有批评、建议和监督权；
（二）有权享受教育行政部门为联盟提供的政策和条件；
（三）有权参加联盟的各项活动，优先获得和使用联盟的有关资源。"""

NMG_DUTIES = """（一）遵守国家法律法规，执行国家教育方针、政策，落实教育部和自治区教育厅有关教师教育的政策文件和规章制度；
（二）遵守联盟章程，执行联盟决议；
（三）坚持联盟自律，规范办学，接受监督；
（四）积极承担联盟委托的工作。"""

GZ_CENTRES = [
    "广州市中小学教师发展中心",
    "广州市中职学校教师发展中心",
    "广州市民办学校教师发展中心",
    "广州市远程培训教师发展中心",
    "广州市幼儿园教师发展中心",
    "广州市教师发展研训中心",
]

ALLIANCES = [
    {
        "slug": "cop",
        "fields": {
            "kind": Alliance.Kind.ALLIANCE,
            "name": "靠谱 COP 联盟",
            "short_name": "靠谱 COP",
            "name_en": "Communities of Practice Alliance",
            "code": "COP",
            "summary": (
                "由首都师范大学王陆教授、北京优学社教育咨询服务有限公司及业界知名企业共同发起成立的社会联盟，"
                "围绕“聚焦课堂教学行为大数据，培育教师在线实践社区”的指导思想，以产学研协同创新推广靠谱 COP "
                "项目成果。项目自2009年启动以来，已跨越全国12个省（自治区、直辖市），覆盖200多所项目学校。"
            ),
            "contact_person": "张敏霞博士",
            "phone": "010 68902177",
            "email": "kp_cop@163.com",
            "website": "http://www.tocop.cn",
            "address": "北京市海淀区西三环北路 105 号科原大厦 611 室",
        },
        "rules": {
            "admits_units": True,
            "admits_individuals": True,
            "unit_types": "教育管理部门\n教育技术部门\n学校\n企业",
            # 000 art. 6 (the manager reviews) and art. 11 (二), 组织架构3 (the council decides admissions): the
            # secretariat reviews, the council ratifies the reviewed applications together in one motion.
            "admission_route": CharterRules.AdmissionRoute.RATIFICATION,
            "admission_body_kind": "council",
            "admission_article": "第六条：提交《靠谱 COP 联盟会员申请登记表》，由联盟管理者审查批准；第十一条（二）：理事会决定成员的吸收",
            # 000 arts. 5 and 6 (一): the conditions of admission and the form's name.
            "application_form_title": "靠谱 COP 联盟会员申请登记表",
            "application_help": "申请加入联盟的成员，必须拥护联盟章程，自愿加入联盟，并从事过或正在从事教育技术产品或教师专业"
                                "发展等相关的研究和生产（章程第五条）。",
            "field_of_work_help": "从事教育技术产品或教师专业发展等相关研究和生产的情况（第五条第三项）。",
            "consent_article": "第五条",
            "member_term_years": None,
            "withdrawal_notice_months": 1,
            "withdrawal_needs_approval": False,
            "withdrawal_article": "第九条：成员退会应提前 1 个月书面通知联盟秘书处",
            "expulsion_article": "第十条：成员如有严重违反本章程的行为，经联盟理事会表决通过，予以除名",
            "rights_text": COP_RIGHTS,
            "duties_text": COP_DUTIES,
            "decision_body_kind": "council",
            "quorum_numerator": 2,
            "quorum_denominator": 3,
            "quorum_rule_text": "第十二条：理事会须有 2/3 以上理事出席方能召开",
            "pass_numerator": 2,
            "pass_denominator": 3,
            "pass_rule_text": "第十二条：其决议须经到会理事 2/3 以上表决通过方能生效",
            "abstentions_in_base": True,
            "min_meetings_per_year": 1,
            "correspondence_allowed": True,
            "officer_age_limit": 70,
            "officer_term_years": 4,
            "officer_max_terms": 2,
            "officer_rules_article": "第十四至十六条：理事长、副理事长、秘书长最高任职年龄不得超过 70 岁；任期 4 年，最长不得超过两届",
            "rotating_chair_years": None,
            "dues_apply": True,
            "distribution_allowed": False,
            "distribution_article": "第二十一条：联盟经费必须用于本章程规定的业务范围和事业的发展，不得在成员中分配",
        },
        "announcements": [],
    },
    {
        "slug": "nmg",
        "fields": {
            "kind": Alliance.Kind.ALLIANCE,
            "name": "内蒙古自治区教师教育协同创新联盟",
            "short_name": "内蒙古教师教育联盟",
            "name_en": "Inner Mongolia Teacher Education Collaborative Innovation Alliance",
            "code": "NMG",
            "summary": (
                "在自治区教育厅的指导下，以自治区内举办师范教育专业的高等院校为主体，地市教育局和相关中小学"
                "（幼儿园）共同参与，共建共享优质教育资源的教师教育协作共同体。"
            ),
        },
        "rules": {
            "admits_units": True,
            "admits_individuals": False,
            "unit_types": "举办师范教育专业的高等院校\n地方教育行政部门\n中小学\n幼儿园",
            "admission_route": CharterRules.AdmissionRoute.BODY_CONSENT,
            "admission_body_kind": "guidance_committee",
            "admission_article": "第十七条：向秘书处提交加入联盟的申请，经指导委员会同意后，即可取得成员资格",
            # 001 art. 17: who may apply, and that they agree to keep the charter.
            "application_form_title": "内蒙古自治区教师教育协同创新联盟入盟申请表",
            "application_help": "愿意遵守本章程的规定，自治区有关高校、地方教育行政部门、中小学幼儿园均可向秘书处提交加入联盟的"
                                "申请，经指导委员会同意后，即可取得成员资格（章程第十七条）。",
            "field_of_work_help": "本单位开展教师教育或参与教师教育协同创新的情况。",
            "consent_article": "第十七条",
            "member_term_years": 5,
            "term_renewable": True,
            "withdrawal_notice_months": 0,
            "withdrawal_needs_approval": True,
            "withdrawal_article": "第十八条：退出成员需向秘书处提出申请，经指导委员会批准后，方可退出",
            "expulsion_article": "第二十二条：经联盟单位全体会议讨论通过，指导委员会审核同意，可取消其相对应的成员权利，直至取消其成员资格",
            "rights_text": NMG_RIGHTS,
            "duties_text": NMG_DUTIES,
            "decision_body_kind": "joint_meeting",
            # 001 art. 22 (二): the all-member meeting passes it, then the guidance committee agrees.
            "sanction_body_kinds": "joint_meeting,guidance_committee",
            "quorum_rule_text": "章程未规定出席比例，沿用平台默认值；如需改变，由联席会议通过修改章程议案确定（第十三、二十四条）",
            "pass_rule_text": "章程未规定通过比例，沿用平台默认值；如需改变，由联席会议通过修改章程议案确定（第十三、二十四条）",
            "min_meetings_per_year": 1,
            "dues_apply": False,
        },
        "announcements": [],
    },
    {
        "slug": "gz",
        "fields": {
            "kind": Alliance.Kind.ALLIANCE,
            "name": "广州市市级教师发展中心联盟",
            "short_name": "广州教师发展中心联盟",
            "name_en": "Guangzhou Municipal Teacher Development Centre Alliance",
            "code": "GZ",
            "summary": (
                "在广州市教育局支持和指导下，由六所市级教师发展中心形成的非盈利性合作组织，以资源共享、优势互补、"
                "相互促进、整体提升为目的。"
            ),
            # 002 art. 5: the supervising authority, which receives the annual work report.
            "supervisor_name": "广州市教育局",
            "supervisor_contact": "教师工作处",
            "supervisor_email": "teachers@gzedu.demo.test",
        },
        "rules": {
            "admits_units": True,
            "admits_individuals": False,
            "unit_types": "\n".join(GZ_CENTRES),
            "admission_route": CharterRules.AdmissionRoute.CLOSED,
            "admission_article": "第五条：联盟成员为六所市级教师发展中心",
            "decision_body_kind": "council",
            "quorum_rule_text": "章程未规定出席比例，沿用平台默认值；如需改变，由理事会通过修改章程议案确定",
            "pass_rule_text": "章程未规定通过比例，沿用平台默认值；如需改变，由理事会通过修改章程议案确定",
            "officer_rules_article": "第六条：理事会设主席 1 名，由成员单位推荐人选轮流担任，每届任期一年",
            "rotating_chair_years": 1,
            "dues_apply": False,
        },
        "announcements": [],
    },
    {
        "slug": "jswl",
        "fields": {
            "kind": Alliance.Kind.ALLIANCE,
            "name": "全国教师教育网络联盟",
            "short_name": "教师网联",
            "name_en": "National Teacher Education Network Alliance",
            "code": "JSWL",
            "summary": (
                "组织六所部属师范大学共同建设教师网联公共服务平台，为免费师范生优质课程教学资源共享、免费师范毕业生"
                "在职攻读教育硕士远程教育以及中小学教师培训优质资源共享提供技术支撑。"
            ),
            "contact_person": "全国教师教育网络联盟秘书处",
            "phone": "（010）58800182",
        },
        "rules": {
            "admits_units": True,
            "admits_individuals": False,
            "unit_types": "师范大学\n高等院校",
            "admission_route": CharterRules.AdmissionRoute.SECRETARIAT,
            "decision_body_kind": "council",
            "dues_apply": False,
            "distribution_allowed": True,
            "distribution_article": "《六所部属师范大学关于依托全国教师教育网络联盟公共服务平台开展免费师范生教育的合作协议》："
                                    "六校共同享有教师网联公共服务平台所产生的收益分配权",
        },
        "announcements": [
            (
                "六所部属师范大学签署合作协议依托全国教师教育网络联盟公共服务平台开展免费师范生教育",
                "教师网联组织六所部属师范大学签署了《六所部属师范大学关于依托全国教师教育网络联盟公共服务平台开展"
                "免费师范生教育的合作协议》，共同建设教师网联公共服务平台，实现优质资源的共建共享、课程互选与学分互认。",
                datetime.datetime(2010, 10, 18, 9, 0),
            ),
        ],
    },
    {
        "slug": "ncet",
        "fields": {
            "kind": Alliance.Kind.AGENCY,
            "name": "中央电化教育馆",
            "short_name": "中央电教馆",
            "name_en": "National Center for Educational Technology",
            "code": "NCET",
            "summary": "承担“教研共同体协同提升试点项目”，面向全国遴选项目试点县和名师教研共同体。",
            "contact_person": "中央电教馆网络部 张博、齐琳",
            "phone": "010-66490229/0227",
            "email": "zhangbo1986@moe.edu.cn",
        },
        "rules": {
            "admits_units": False,
            "admits_individuals": False,
            "admission_route": CharterRules.AdmissionRoute.CLOSED,
            "dues_apply": False,
        },
        "announcements": [
            (
                "关于遴选“教研共同体协同提升试点项目”试点县和名师教研共同体的通知",
                "我馆将面向全国遴选项目试点县和名师教研共同体。各省级电教部门于2019年10月10日前，将本省《试点县申报表》"
                "汇总，并与《名师教研共同体申报表》、《项目联系表》一并报送。我馆将根据申报情况，组织专家遴选后公示最终入选名单。",
                datetime.datetime(2019, 8, 27, 9, 0),
            ),
        ],
    },
]


def demo_user(email):
    return User.objects.get(email=email)


def load(out):
    for email, name, _ in ACCOUNTS:
        if not User.objects.filter(email=email).exists():
            User.objects.create_user(
                email=email, name=name, password=DEMO_PASSWORD, is_superuser=email.startswith("admin@"),
                is_staff=email.startswith("admin@"),
            )
    tz = timezone.get_default_timezone()
    for spec in ALLIANCES:
        alliance = upsert(Alliance, {"slug": spec["slug"]}, spec["fields"])
        upsert(CharterRules, {"alliance": alliance}, spec["rules"])
        for title, body, published in spec["announcements"]:
            upsert(Announcement, {"alliance": alliance, "title": title},
                   {"body": body, "published_at": timezone.make_aware(published, tz)})
    admin = demo_user("admin@demo.test")
    for email, slug in [("cop-staff@demo.test", "cop"), ("nmg-staff@demo.test", "nmg")]:
        alliance = Alliance.objects.get(slug=slug)
        staff = demo_user(email)
        if not can_manage_alliance(staff, alliance):
            secretariat_grant(actor=admin, user=staff, alliance=alliance)
    out.write(f"联盟：{Alliance.objects.count()} 个")


def print_accounts(out):
    out.write("\n演示账号（密码均为 %s）：" % DEMO_PASSWORD)
    for email, role in [(email, role) for email, _, role in ACCOUNTS] + APP_ACCOUNTS:
        out.write(f"  {email:<24} {role}")
