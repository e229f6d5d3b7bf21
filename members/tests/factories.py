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
    return services.application_approve(actor=staff, application=application, reference="会议纪要第1号"), staff
