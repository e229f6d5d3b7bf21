import datetime

import factory

from alliance.models import CharterRules
from alliance.tests.factories import AllianceFactory, UserFactory
from members.models import Application, Kind

UNIT_DATA = {
    "unit_name": "首都师范大学教育技术系",
    "unit_type": "学校",
    "credit_code": "91350100M000100Y43",
    "province": "北京市",
    "city": "北京市",
    "county": "海淀区",
    "address": "北京市海淀区西三环北路105号",
    "postcode": "100048",
    "head_name": "王陆",
    "head_title": "系主任",
    "head_phone": "010-68902177",
    "head_email": "wanglu@example.cn",
    "contact_name": "张敏霞",
    "contact_title": "秘书",
    "contact_office_phone": "010-68902177",
    "contact_mobile": "13812345678",
    "contact_email": "zhangmx@example.cn",
    "contact_im": "kp_cop",
    "field_of_work": "教师专业发展研究与教师在线实践社区建设",
    "description": "从事教育技术和教师专业发展研究。",
    "consent_charter": True,
    "consent_voluntary": True,
}

INDIVIDUAL_DATA = {
    "person_name": "李华",
    "gender": "female",
    "birth_date": datetime.date(1980, 5, 1),
    "ethnicity": "汉族",
    "employer": "北京市海淀区教师进修学校",
    "professional_title": "中学高级教师",
    "position": "教研员",
    "office_phone": "010-62345678",
    "mobile": "13912345678",
    "email": "lihua@example.cn",
    "address": "北京市海淀区",
    "postcode": "100080",
    "field_of_work": "教师培训",
    "achievements": "主持市级课题两项。",
    "consent_charter": True,
    "consent_voluntary": True,
}


def alliance_with(**rules):
    alliance = AllianceFactory()
    CharterRules.objects.filter(alliance=alliance).update(**rules)
    alliance.rules.refresh_from_db()
    return alliance


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft; pass status via the services, not here."""

    class Meta:
        model = Application

    alliance = factory.SubFactory(AllianceFactory)
    applicant = factory.SubFactory(UserFactory)
    kind = Kind.UNIT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        data = UNIT_DATA if kwargs.get("kind", Kind.UNIT) == Kind.UNIT else INDIVIDUAL_DATA
        for key, value in data.items():
            kwargs.setdefault(key, value)
        return super()._create(model_class, *args, **kwargs)


def submitted_application(**kwargs):
    from members import services

    application = ApplicationFactory(**kwargs)
    return services.application_submit(actor=application.applicant, application=application)


def admitted_member(**kwargs):
    from alliance.tests.factories import staff_of
    from members import services

    application = submitted_application(**kwargs)
    staff = staff_of(application.alliance)
    rules = application.alliance.rules
    decision = None
    if rules.admission_route == CharterRules.AdmissionRoute.BODY_CONSENT:  # 001 art. 17: the body's consent
        decision = decided_motion(alliance=application.alliance, kind="other", body_kind=rules.admission_body_kind,
                                  title="同意入会")
    return services.application_approve(actor=staff, application=application, decision=decision), staff


def decided_motion(*, alliance, kind, subjects=(), body_kind="council", title="决定", passed=True):
    """A motion of the alliance's body of body_kind (made with three directors if it has none), put to the vote
    and closed: passed, or failed by every director voting against. Its handlers have run."""
    from governance import services as governance
    from governance.models import Body
    from governance.tests.factories import BodyFactory, MeetingFactory, SeatFactory

    body = Body.objects.filter(alliance=alliance, kind=body_kind).first() or BodyFactory(
        alliance=alliance, kind=body_kind)
    seats = list(body.seats.filter(user__isnull=False)) or [
        SeatFactory(body=body, user=UserFactory(), order=i) for i in range(3)]
    meeting = MeetingFactory(body=body)
    motion = governance.motion_create(actor=None, meeting=meeting, kind=kind, title=title, subjects=subjects)
    for seat in seats:
        governance.attendance_check_in(actor=seat.user, meeting=meeting)
    governance.vote_open(actor=None, motion=motion)
    for seat in seats:
        governance.ballot_cast(actor=seat.user, motion=motion, choice="for" if passed else "against")
    governance.vote_close(actor=None, motion=motion)
    motion.refresh_from_db()
    return motion


def expelled(member):
    """The member expelled by a passed motion of the council (000 art. 10; the handler applies it)."""
    return decided_motion(alliance=member.alliance, kind="expel_member", subjects=[member], title="除名")
