import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from alliance.tests.factories import AllianceFactory, UserFactory, shown_post
from projects.demo import SUBJECT_TABLE
from projects.models import (
    Application, Project, ProjectExpert, ProvincialContact, ProvincialOrganiser, ReviewCriterion, School, SubjectGrade,
    TeamMember, Textbook,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def scan_upload(name="意见.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    alliance = factory.SubFactory(AllianceFactory)
    title = factory.Sequence(lambda n: f"教研共同体协同提升试点项目{n}")
    slug = factory.Sequence(lambda n: f"pilot-{n}")
    starts_on = datetime.date(2026, 9, 1)
    ends_on = datetime.date(2028, 8, 31)
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        for order, (stage, subject, low, high) in enumerate(SUBJECT_TABLE, 1):
            SubjectGrade.objects.create(project=self, stage=stage, subject=subject, grade_from=low, grade_to=high,
                                        order=order)
        for kind in ("county", "community"):
            ReviewCriterion.objects.create(project=self, kind=kind, name="条件", max_score=60, order=1)
            ReviewCriterion.objects.create(project=self, kind=kind, name="方案", max_score=40, order=2)


def subject(project, stage="primary", name="语文"):
    return SubjectGrade.objects.get(project=project, stage=stage, subject=name)


def organiser_of(project, province="云南省", **kwargs):
    user = UserFactory(**kwargs)
    ProvincialOrganiser.objects.create(project=project, province=province, user=user, unit_name=f"{province}电化教育馆")
    return user


def expert_of(project, **kwargs):
    user = UserFactory(**kwargs)
    ProjectExpert.objects.create(project=project, user=user)
    return user


# 004 二（一）: a county that meets every condition of the call.
COUNTY_CONDITIONS_MET = {"is_poverty_county": True, "has_broadband": True, "leadership_measures": "县长牵头，教师参与计入绩效",
                         "buys_class_equipment": True, "has_av_research_team": True}


def county_application(project, user, province="云南省", *, team=5, status="draft", county=None, scan=True, **kw):
    """A county application that meets every rule when team >= 5."""
    n = Application.objects.filter(project=project).count() + 1
    app = Application.objects.create(
        project=project, province=province, kind="county", created_by=user, status=status,
        submitted_at=timezone.now() if status != "draft" else None,
        applicant_unit=f"{county or f'县{n}'}教育体育局", county=county or f"县{n}", address="县城路1号",
        head_name="李局长", head_phone="0886-3622001", contact_name="和老师", contact_phone="13908860101",
        ict_infrastructure="校校通宽带", research_organisation="片区教研", **{**COUNTY_CONDITIONS_MET, **kw},
    )
    if scan:
        app.applicant_scan.save("applicant.pdf", scan_upload(), save=False)
        app.opinion_scan.save("scan.pdf", scan_upload(), save=True)
    School.objects.create(application=app, name="中心完小", kind="乡镇中心校")
    yw = subject(project)
    Textbook.objects.create(application=app, subject=yw, edition="统编版")
    for i in range(team):
        TeamMember.objects.create(application=app, subject=yw, grade=3, name=f"教师{i}", gender="女",
                                  employer="中心完小", phone="13900000000", role="teacher", order=i + 1)
    return app


def community_application(project, user, province="云南省", *, team=6, status="draft", grade=3, **kw):
    app = Application.objects.create(
        project=project, province=province, kind="community", created_by=user, status=status,
        submitted_at=timezone.now() if status != "draft" else None,
        organising_unit="昆明市教科院", stage="primary", subject=kw.pop("subject", None) or subject(project),
        grade=grade, leader_name=kw.pop("leader_name", "赵明华"), leader_gender="女", leader_birth_month="1972-05",
        leader_employer="昆明市教科院", leader_title="正高级教师",
        leader_qualification=kw.pop("leader_qualification", "special"),
        leader_position="主任", leader_email="zhao@example.cn", leader_phone="13888010001",
        leader_address="昆明市五华区", leader_postcode="650031", plan_goals="目标", plan_foundation="基础", **kw,
    )
    app.organiser_opinion_scan.save("organiser.pdf", scan_upload(), save=False)
    app.opinion_scan.save("scan.png", SimpleUploadedFile("scan.png", png_bytes()), save=True)
    for i in range(team):
        TeamMember.objects.create(application=app, name=f"名师{i}", gender="男", employer="昆明市教科院",
                                  phone="13900000001", role="leader" if i == 0 else "member", order=i + 1)
    return app



def provincial_contact(project, user, province="云南省", *, scan=True):
    contact = ProvincialContact.objects.create(
        project=project, province=province, created_by=user, head_name="周", head_gender="男", head_ethnicity="汉族",
        head_unit="省电教馆", head_position="馆长", head_office_phone="0871-1234567", head_mobile="13908710001",
        contact_name="和", contact_gender="女", contact_ethnicity="纳西族", contact_unit="省电教馆",
        contact_position="主任", contact_office_phone="0871-1234568", contact_mobile="13908710002")
    if scan:
        contact.scan.save("contact.pdf", scan_upload(), save=True)
    return contact


def edit_post(application, **changes):
    """What the edit page posts back when nothing is changed (each formset with its rows), plus ``changes``."""
    from projects.forms import build_forms

    form, formsets = build_forms(application)
    shown = [form]
    for _prefix, _heading, formset in formsets:
        shown += [formset.management_form, *formset.forms[:formset.initial_form_count()]]
    return {**shown_post(*shown), **changes}


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def county_post(project, *, members=5, scan=True):
    yw = subject(project)
    data = {
        "applicant_unit": "泸水市教育体育局", "county": "泸水市", "is_sanqu_sanzhou": "on", "address": "云南省怒江州泸水市",
        "head_name": "李建国", "head_position": "局长", "head_phone": "0886-3622001", "head_email": "li@example.cn",
        "head_qq": "52001001", "contact_name": "和丽萍", "contact_position": "站长", "contact_phone": "13908860101",
        "contact_email": "he@example.cn", "contact_qq": "52001002", "ict_infrastructure": "宽带校校通",
        "research_organisation": "片区联校教研", "opinion_unit": "云南省电化教育馆", "opinion_date": "2026-11-20",
        "is_poverty_county": "on", "has_broadband": "on", "leadership_measures": "县长牵头，教师参与计入绩效",
        "buys_class_equipment": "on", "has_av_research_team": "on",
        **management("schools", 2), "schools-0-name": "称杆乡中心完小", "schools-0-kind": "乡镇中心校",
        "schools-1-name": "色仲教学点", "schools-1-kind": "教学点",
        **management("textbooks", 1), "textbooks-0-subject": yw.pk, "textbooks-0-edition": "统编版",
        **management("team", members),
    }
    for i in range(members):
        data.update({f"team-{i}-subject": yw.pk, f"team-{i}-grade": "3", f"team-{i}-name": f"教师{i}",
                     f"team-{i}-gender": "女",
                     f"team-{i}-employer": "称杆乡中心完小", f"team-{i}-title": "一级教师",
                     f"team-{i}-phone": "13908860000", f"team-{i}-role": "teacher"})
    if scan:
        data["applicant_scan"] = scan_upload("申报单位.pdf")
        data["opinion_scan"] = scan_upload()
    return data
