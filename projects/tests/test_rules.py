"""The call's rules (004 二): team sizes, counties per province, the subject/grade table, the deadline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.tests.factories import UserFactory
from projects import services
from projects.demo import SUBJECT_TABLE
from projects.files import validate_image, validate_scan
from projects.models import Application, SubjectGrade, TeamMember

from .factories import (
    PDF_BYTES, ProjectFactory, community_application, county_application, organiser_of, png_bytes, provincial_contact,
    scan_upload, subject,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def organiser(project):
    return organiser_of(project)


def submit_problems(actor, app):
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=actor, application=app)
    return exc.value.message_dict


def test_subject_table_is_the_seeds_table(project):
    rows = [(s.get_stage_display(), s.subject, s.grades_label) for s in project.subjects.all()]
    assert rows[0] == ("小学", "语文", "二至五年级")
    assert ("小学", "英语", "三至五年级") in rows
    assert ("初中", "历史", "七年级") in rows
    assert len(rows) == len(SUBJECT_TABLE) == 10


def test_a_community_grade_outside_the_subjects_grades_is_refused(project, organiser):
    english = subject(project, name="英语")
    app = community_application(project, organiser, subject=None)
    app.subject, app.grade = english, 2
    app.save()
    problems = submit_problems(organiser, app)
    assert "小学英语遴选三至五年级" in problems["grade"][0]
    app.grade = 3
    app.save()
    assert services.application_submit(actor=organiser, application=app).status == "submitted"


def test_a_subject_of_the_other_stage_is_refused(project, organiser):
    app = community_application(project, organiser)
    app.stage = "junior"
    app.save()
    assert "与学段不符" in submit_problems(organiser, app)["subject"][0]


def test_a_grade_subject_group_of_four_is_refused_at_submit_naming_the_group(project, organiser):
    app = county_application(project, organiser, team=5)  # 小学语文三年级: five
    for i in range(4):
        TeamMember.objects.create(application=app, subject=subject(project), grade=4, name=f"四年级{i}", gender="男",
                                  employer="校", phone="13900000000", role="teacher")
    assert submit_problems(organiser, app)["team"] == ["小学语文四年级学科组现有4人，每年级学科组至少5人。"]
    TeamMember.objects.create(application=app, subject=subject(project), grade=4, name="第五人", gender="男",
                              employer="校", phone="13900000000", role="teacher")
    assert services.application_submit(actor=organiser, application=app).status == "submitted"


def test_five_in_a_subject_spread_over_two_grades_is_refused(project, organiser):
    """The notice's 5 per subject is met, the form's 5 per 年级学科组 is not: the stricter one holds."""
    app = county_application(project, organiser, team=3)
    for i in range(2):
        TeamMember.objects.create(application=app, subject=subject(project), grade=4, name=f"四年级{i}", gender="男",
                                  employer="校", phone="13900000000", role="teacher")
    assert submit_problems(organiser, app)["team"] == ["小学语文三年级学科组现有3人，每年级学科组至少5人。",
                                                       "小学语文四年级学科组现有2人，每年级学科组至少5人。"]


def test_a_county_member_without_a_grade_is_refused_at_submit(project, organiser):
    app = county_application(project, organiser, team=5)
    app.team.filter(name="教师0").update(grade=None)
    assert "请为每位县域教研共同体成员选择学科和年级。" in submit_problems(organiser, app)["team"]


def test_a_county_members_grade_outside_the_subjects_grades_is_refused(project, organiser):
    app = county_application(project, organiser, team=0)
    member = TeamMember(application=app, subject=subject(project, name="英语"), grade=2, name="王", gender="男",
                        employer="校", phone="13900000000", role="teacher")
    with pytest.raises(ValidationError) as exc:
        member.full_clean()
    assert exc.value.message_dict["grade"] == ["小学英语遴选三至五年级，所填年级不在其中。"]


def test_county_minimum_per_group_is_read_from_the_project(project, organiser):
    project.county_team_min_per_group = 6
    project.save()
    app = county_application(project, organiser, team=5)
    assert "每年级学科组至少6人" in submit_problems(organiser, app)["team"][0]


@pytest.mark.parametrize(("field", "message"), [
    ("is_poverty_county", "试点县须具备：本县为贫困县。"),
    ("has_broadband", "试点县须具备：义务教育学校基本实现了网络宽带校校通，班级具有网络多媒体教学设备。"),
    ("leadership_measures", "试点县须具备：县级领导重视信息化、开展项目试点的积极性及激励县级优秀教师参与项目的举措。"),
    ("buys_class_equipment", "试点县须具备：县级教育行政部门已确定本县参与项目的教学点和农村薄弱学校，"
                             "并按照项目要求为项目班级自行采购全向麦克和摄像头。"),
    ("has_av_research_team", "试点县须具备：电教教研队伍基本健全，可以协助名校和平台支持学校落实试点工作。"),
])
def test_each_condition_of_the_call_is_required_at_submit(project, organiser, field, message):
    app = county_application(project, organiser, **{field: "" if field == "leadership_measures" else False})
    assert submit_problems(organiser, app) == {field: [message]}


@pytest.mark.parametrize(("size", "ok"), [(4, False), (5, True), (10, True), (11, False)])
def test_famous_teacher_community_has_five_to_ten_members(project, organiser, size, ok):
    app = community_application(project, organiser, team=size)
    if ok:
        assert services.application_submit(actor=organiser, application=app).status == "submitted"
    else:
        assert f"名师教研共同体应为5–10人，现填写{size}人" in submit_problems(organiser, app)["team"][0]


def test_the_leader_must_be_a_special_grade_teacher_or_senior_researcher(project, organiser):
    app = community_application(project, organiser, leader_qualification="other")
    assert submit_problems(organiser, app)["leader_qualification"] == ["领衔专家应为特级教师或资深教研员。"]


def test_a_province_may_submit_at_most_three_counties(project, organiser):
    for _ in range(3):
        services.application_submit(actor=organiser, application=county_application(project, organiser))
    fourth = county_application(project, organiser)
    problems = submit_problems(organiser, fourth)
    assert "云南省已提交3个试点县申报，每省推荐2–3个县。" in problems["__all__"]
    fourth.refresh_from_db()
    assert fourth.status == "draft"


def test_another_provinces_counties_do_not_count_toward_the_limit(project, organiser):
    other = organiser_of(project, province="甘肃省")
    for _ in range(3):
        county_application(project, other, province="甘肃省", status="submitted")
    app = county_application(project, organiser)
    assert services.application_submit(actor=organiser, application=app).status == "submitted"


def test_the_contact_form_goes_in_only_with_at_least_two_counties(project, organiser):
    provincial_contact(project, organiser)
    services.application_submit(actor=organiser, application=county_application(project, organiser))
    with pytest.raises(ValidationError) as exc:
        services.contact_submit(actor=organiser, project=project)
    assert "本省已提交1个试点县申报，每省须推荐2–3个县。" in exc.value.messages
    services.application_submit(actor=organiser, application=county_application(project, organiser))
    assert services.contact_submit(actor=organiser, project=project).status == "submitted"


def test_the_contact_form_goes_in_only_with_its_stamped_scan(project, organiser):
    contact = provincial_contact(project, organiser, scan=False)
    for _ in range(2):
        services.application_submit(actor=organiser, application=county_application(project, organiser))
    with pytest.raises(ValidationError) as exc:
        services.contact_submit(actor=organiser, project=project)
    assert exc.value.message_dict == {"scan": ["请上传项目联系表加盖公章的扫描件。"]}
    contact.refresh_from_db()
    assert contact.status == "draft"


def test_submission_after_the_deadline_is_refused_with_a_chinese_message(project, organiser):
    app = county_application(project, organiser)
    project.deadline = timezone.make_aware(datetime.datetime(2019, 10, 10, 23, 59))
    project.save()
    problems = submit_problems(organiser, app)
    assert problems["__all__"] == ["申报已于2019年10月10日 23:59截止，不能再提交。"]
    app.refresh_from_db()
    assert app.status == "draft"


def test_a_new_application_after_the_deadline_is_refused(project, organiser):
    project.deadline = timezone.now() - datetime.timedelta(minutes=1)
    project.save()
    with pytest.raises(ValidationError, match="截止"):
        services.application_create(actor=organiser, project=project, kind="county")


def test_only_a_provincial_organiser_starts_an_application(project):
    with pytest.raises(PermissionDenied):
        services.application_create(actor=UserFactory(), project=project, kind="county")


def test_a_new_application_belongs_to_the_organisers_province(project):
    user = organiser_of(project, province="西藏自治区")
    app = services.application_create(actor=user, project=project, kind="county")
    assert app.province == "西藏自治区" and app.status == "draft"


@pytest.mark.parametrize(("kind", "field", "message"), [
    ("county", "applicant_scan", "请上传申报单位（加盖公章）加盖公章的扫描件。"),
    ("county", "opinion_scan", "请上传省级项目组织单位意见加盖公章的扫描件。"),
    ("community", "organiser_opinion_scan", "请上传组织实施单位意见加盖公章的扫描件。"),
    ("community", "opinion_scan", "请上传省级推荐单位意见加盖公章的扫描件。"),
])
def test_each_stamped_scan_is_required_at_submit(project, organiser, kind, field, message):
    app = (county_application if kind == "county" else community_application)(project, organiser)
    getattr(app, field).delete(save=True)
    assert submit_problems(organiser, app) == {field: [message]}


def test_a_submitted_application_cannot_be_submitted_again(project, organiser):
    app = county_application(project, organiser)
    services.application_submit(actor=organiser, application=app)
    with pytest.raises(ValidationError, match="已提交"):
        services.application_submit(actor=organiser, application=app)


def test_submission_is_kept_in_history_with_the_actor(project, organiser):
    app = county_application(project, organiser)
    services.application_submit(actor=organiser, application=app)
    record = Application.history.filter(id=app.pk).latest("history_date")
    assert record.history_user == organiser and record.history_change_reason == "提交申报表"


def test_scans_are_judged_by_content_not_by_name():
    validate_scan(scan_upload("a.pdf", PDF_BYTES))
    validate_scan(scan_upload("a.png", png_bytes()))
    with pytest.raises(ValidationError, match="PDF、JPG 或 PNG"):
        validate_scan(scan_upload("fake.pdf", b"<html>not a pdf</html>"))
    with pytest.raises(ValidationError):
        validate_scan(scan_upload("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10))
    with pytest.raises(ValidationError, match="JPG 或 PNG"):
        validate_image(scan_upload("a.pdf", PDF_BYTES))


def test_subject_grade_rows_refuse_an_inverted_range(project):
    row = SubjectGrade(project=project, stage="primary", subject="科学", grade_from=5, grade_to=3)
    with pytest.raises(ValidationError):
        row.full_clean()
