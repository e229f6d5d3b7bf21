"""The three forms of seed 004 as filed on the pages and printed: the county's conditions of the call, the
年级学科组 rule, each stamped scan (required at submit, checked by content, private to the owner and staff), and
the team printed in the order it was entered."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.tests.factories import AllianceFactory, staff_of
from projects import services
from projects.models import Application, TeamMember

from .factories import (
    ProjectFactory, community_application, county_application, county_post, edit_post, expert_of, management,
    organiser_of, provincial_contact, scan_upload, subject,
)

pytestmark = pytest.mark.django_db
SCANS = [("county", "applicant_scan"), ("county", "opinion_scan"), ("community", "organiser_opinion_scan"),
         ("community", "opinion_scan")]


def pdf_text(pdf):
    """The PDF's text with the line breaks of table cells taken out."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return "".join(text.decode().split())


@pytest.fixture
def project():
    return ProjectFactory()


@pytest.fixture
def organiser(project, client):
    user = organiser_of(project)
    client.force_login(user)
    return user


def _new_county(client, project):
    client.post(reverse("projects:application_new", args=[project.pk, "county"]))
    return Application.objects.get()


def _edit(client, application, data):
    return client.post(reverse("projects:application_edit", args=[application.pk]), data)


def _application(kind, project, organiser, **kw):
    return (county_application if kind == "county" else community_application)(project, organiser, **kw)


# ---- the conditions of the call ------------------------------------------------------------------------------

def test_the_conditions_of_the_call_are_fields_of_the_county_form_asked_for_at_submit(client, project, organiser):
    app = _new_county(client, project)
    data = county_post(project)
    for name in Application.COUNTY_CONDITIONS:
        data.pop(name)
    response = _edit(client, app, {**data, "submit": "1"})
    errors = response.context["form"].errors
    assert errors["is_poverty_county"] == ["试点县须具备：本县为贫困县。"]
    assert errors["leadership_measures"] == [
        "试点县须具备：县级领导重视信息化、开展项目试点的积极性及激励县级优秀教师参与项目的举措。"]
    assert set(Application.COUNTY_CONDITIONS) <= set(errors)
    app.refresh_from_db()
    assert app.status == "draft"


def test_the_county_pdf_prints_the_conditions_with_the_seeds_wording(client, project, organiser):
    app = county_application(project, organiser, has_av_research_team=False)
    text = pdf_text(client.get(reverse("projects:application_pdf", args=[app.pk])).content)
    assert "试点县遴选条件" in text
    assert "■本县为贫困县" in text
    assert "■义务教育学校基本实现了网络宽带校校通，班级具有网络多媒体教学设备" in text
    assert "■县级教育行政部门已确定本县参与项目的教学点和农村薄弱学校，并按照项目要求为项目班级自行采购全向麦克和摄像头" in text
    assert "□电教教研队伍基本健全，可以协助名校和平台支持学校落实试点工作" in text
    assert "县级领导重视信息化、开展项目试点的积极性及激励县级优秀教师参与项目的举措：县长牵头，教师参与计入绩效" in text


# ---- the 年级学科组 rule on the page --------------------------------------------------------------------------

def test_a_grade_subject_group_of_four_is_refused_on_the_page_naming_the_group(client, project, organiser):
    app = _new_county(client, project)
    data = county_post(project, members=9)
    for i in range(5, 9):
        data[f"team-{i}-grade"] = "4"
    response = _edit(client, app, {**data, "submit": "1"})
    assert "小学语文四年级学科组现有4人，每年级学科组至少5人。" in response.content.decode()
    app.refresh_from_db()
    assert app.status == "draft" and app.team.filter(grade=4).count() == 4


# ---- the stamped scans ---------------------------------------------------------------------------------------

def test_a_draft_is_saved_without_its_scans_and_each_is_asked_for_at_submit(client, project, organiser):
    app = _new_county(client, project)
    response = _edit(client, app, {**county_post(project, scan=False), "save": "1"})
    assert response.status_code == 302
    response = _edit(client, app, edit_post(app, submit="1"))
    errors = response.context["form"].errors
    assert errors["applicant_scan"] == ["请上传申报单位（加盖公章）加盖公章的扫描件。"]
    assert errors["opinion_scan"] == ["请上传省级项目组织单位意见加盖公章的扫描件。"]
    app.refresh_from_db()
    assert app.status == "draft"


def test_the_community_form_has_two_opinion_blocks_each_with_its_own_scan(client, project, organiser):
    app = community_application(project, organiser)
    app.organiser_opinion_scan.delete(save=True)
    response = _edit(client, app, edit_post(app, submit="1"))
    assert response.context["form"].errors["organiser_opinion_scan"] == ["请上传组织实施单位意见加盖公章的扫描件。"]
    response = _edit(client, app, edit_post(app, submit="1", organiser_opinion_unit="昆明市教科院",
                                            organiser_opinion_scan=scan_upload("组织实施单位意见.pdf")))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "submitted" and app.organiser_opinion_scan_name == "组织实施单位意见.pdf"
    body = client.get(reverse("projects:application_detail", args=[app.pk])).content.decode()
    assert "组织实施单位意见扫描件" in body and "省级推荐单位意见扫描件" in body


@pytest.mark.parametrize(("kind", "field"), SCANS)
def test_a_scan_that_is_not_a_real_picture_or_pdf_is_refused_on_its_field(client, project, organiser, kind, field):
    app = _application(kind, project, organiser)
    fake = SimpleUploadedFile("盖章.png", b"\x89PNG\r\n\x1a\n" + b"not a picture" * 10, content_type="image/png")
    response = _edit(client, app, edit_post(app, save="1", **{field: fake}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        "“盖章.png”不是 PDF、JPG 或 PNG 格式的加盖公章的扫描件（按文件内容判断）。"]
    app.refresh_from_db()
    assert not getattr(app, f"{field}_name")


@pytest.mark.parametrize(("kind", "field"), SCANS)
def test_each_scan_is_served_to_the_owner_and_staff_and_refused_to_everyone_else(client, project, organiser, kind,
                                                                                 field):
    app = _application(kind, project, organiser, status="submitted")
    url = reverse("projects:application_scan", args=[app.pk, field])
    assert client.get(url).status_code == 200
    client.force_login(staff_of(project.alliance))
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    expert = expert_of(project)
    services.assignment_create(actor=staff_of(project.alliance), application=app, expert=expert)
    for refused in (organiser_of(project, "甘肃省"), staff_of(AllianceFactory()), expert):
        client.force_login(refused)
        assert client.get(url).status_code == 403
    client.logout()
    assert "/accounts/login/" in client.get(url).url


def test_a_field_that_is_not_a_scan_of_the_form_is_not_served(client, project, organiser):
    app = county_application(project, organiser)
    for field in ("pdf_file", "organiser_opinion_scan"):  # not a scan / not a scan of the county form
        assert client.get(reverse("projects:application_scan", args=[app.pk, field])).status_code == 404


def test_the_contact_forms_scan_is_served_to_the_owner_and_staff_and_refused_to_everyone_else(client, project,
                                                                                              organiser):
    provincial_contact(project, organiser)
    own = reverse("projects:contact_scan", args=[project.pk])
    by_province = reverse("projects:contact_scan_province", args=[project.pk, "云南省"])
    response = client.get(own)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(staff_of(project.alliance))
    assert client.get(by_province).status_code == 200
    for refused in (organiser_of(project, "甘肃省"), staff_of(AllianceFactory())):
        client.force_login(refused)
        assert client.get(by_province).status_code == 403
    client.logout()
    assert "/accounts/login/" in client.get(own).url


def test_the_printed_forms_list_their_scans_as_attached(client, project, organiser):
    county = county_application(project, organiser)
    county.applicant_scan.delete(save=True)
    text = pdf_text(client.get(reverse("projects:application_pdf", args=[county.pk])).content)
    assert "随表附加盖公章的扫描件：申报单位（加盖公章）（未上传）；省级项目组织单位意见。" in text
    community = community_application(project, organiser)
    text = pdf_text(client.get(reverse("projects:application_pdf", args=[community.pk])).content)
    assert "组织实施单位意见" in text and "省级推荐单位意见" in text
    assert "随表附加盖公章的扫描件：组织实施单位意见；省级推荐单位意见。" in text
    provincial_contact(project, organiser)
    text = pdf_text(client.get(reverse("projects:contact_pdf", args=[project.pk])).content)
    assert "随表附加盖公章的扫描件：项目联系表。" in text


# ---- the team in the order entered ---------------------------------------------------------------------------

def test_the_team_is_printed_in_the_order_it_was_entered(client, project, organiser):
    app = _new_county(client, project)
    names = ["赵六", "钱五", "孙四", "李三", "周二"]
    data = county_post(project)
    for i, name in enumerate(names):
        data[f"team-{i}-name"] = name
    _edit(client, app, {**data, "save": "1"})
    # A second visit deletes the second row and adds one at the end.
    data = edit_post(app, save="1")
    rows = list(app.team.all())
    data.update({"team-1-DELETE": "on", **management("team", 6, initial=5), "team-5-subject": subject(project).pk,
                 "team-5-grade": "3", "team-5-name": "吴一", "team-5-gender": "男", "team-5-employer": "中心完小",
                 "team-5-phone": "13900000000", "team-5-role": "teacher"})
    _edit(client, app, data)
    expected = ["赵六", "孙四", "李三", "周二", "吴一"]
    assert [m.name for m in app.team.all()] == expected
    assert list(TeamMember.objects.filter(application=app).values_list("order", flat=True)) == [1, 2, 3, 4, 5]
    assert rows[1].name == "钱五" and not TeamMember.objects.filter(pk=rows[1].pk).exists()
    text = pdf_text(client.get(reverse("projects:application_pdf", args=[app.pk])).content)
    positions = [text.index(name) for name in expected]
    assert positions == sorted(positions)
