"""002 arts. 5 and 7: the supervising authority, the members' representative assembly whose resolutions the
secretariat carries out, and the annual work report the council approves and the portal files."""

import datetime
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliance import services as alliance_services
from alliance.models import Email
from alliance.tests import pdf_jobs
from alliance.tests.factories import AllianceFactory, staff_of
from governance import services, tasks
from governance.models import AnnualReport, Body, ResolutionFollowUp
from governance.tests.factories import BodyFactory, MeetingFactory
from members.tests.factories import decided_motion

pytestmark = pytest.mark.django_db
FIGURES = "举办培训：36 场\n共享课程资源：120 门"


def gz_alliance():
    alliance = AllianceFactory(supervisor_name="广州市教育局", supervisor_contact="教师工作处",
                               supervisor_email="authority@example.cn")
    return alliance, staff_of(alliance)


def drafted_report(alliance, staff, year=2026):
    return services.annual_report_create(actor=staff, alliance=alliance, year=year, title=f"{year}年度工作报告",
                                         text="一、资源共享\n二、共同完成培训任务", figures=FIGURES)


def test_002_art_5_the_supervising_authority_is_part_of_the_alliance_record(client):
    alliance, staff = gz_alliance()
    alliance_services.alliance_update(actor=staff, alliance=alliance, supervisor_phone="020-12345678")
    page = client.get(alliance.get_absolute_url()).content.decode()
    assert "主管部门" in page and "广州市教育局（教师工作处 020-12345678）" in page


def test_002_art_5_staff_of_another_alliance_cannot_change_the_supervising_authority():
    alliance, _staff = gz_alliance()
    with pytest.raises(PermissionDenied):
        alliance_services.alliance_update(actor=staff_of(AllianceFactory()), alliance=alliance,
                                          supervisor_name="别的部门")


def test_002_art_7_the_assembly_is_a_body_whose_passed_resolution_gets_the_secretariats_follow_up(client):
    alliance, staff = gz_alliance()
    motion = decided_motion(alliance=alliance, kind="other", body_kind=Body.Kind.ASSEMBLY, title="共享研训师资")
    assert motion.meeting.body.get_kind_display() == "成员代表大会"
    step = services.follow_up_record(actor=staff, motion=motion, action="印发师资互聘办法", acted_on=datetime.date(2026, 5, 6))
    services.follow_up_update(actor=staff, follow_up=step, is_done=True)
    assert ResolutionFollowUp.objects.get().is_done
    client.force_login(staff)
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "决议执行情况" in page and "印发师资互聘办法" in page and "已办结" in page


def test_002_art_7_a_motion_that_failed_gets_no_follow_up():
    alliance, staff = gz_alliance()
    motion = decided_motion(alliance=alliance, kind="other", body_kind=Body.Kind.ASSEMBLY, passed=False)
    with pytest.raises(ValidationError) as refused:
        services.follow_up_record(actor=staff, motion=motion, action="执行", acted_on=datetime.date(2026, 5, 6))
    assert "motion" in refused.value.message_dict


def test_002_art_7_staff_of_another_alliance_cannot_record_a_follow_up():
    alliance, _staff = gz_alliance()
    motion = decided_motion(alliance=alliance, kind="other", body_kind=Body.Kind.ASSEMBLY)
    with pytest.raises(PermissionDenied):
        services.follow_up_record(actor=staff_of(AllianceFactory()), motion=motion, action="执行",
                                  acted_on=datetime.date(2026, 5, 6))


def test_002_art_7_the_council_approves_the_report_which_is_filed_as_a_pdf_and_sent_to_the_authority(
        client, django_capture_on_commit_callbacks):
    alliance, staff = gz_alliance()
    report = drafted_report(alliance, staff)
    with django_capture_on_commit_callbacks() as callbacks:
        motion = decided_motion(alliance=alliance, kind="approve_report", subjects=[report], title="审定年度工作报告")
    report.refresh_from_db()
    assert (report.status, report.approved_by_motion, report.approved_on) == (
        AnnualReport.Status.APPROVED, motion, motion.meeting.date)
    assert callbacks  # the render is enqueued after the commit
    pdf_jobs.run_task(services.REPORT, report.pk)
    report.refresh_from_db()
    assert report.is_filed
    text = subprocess.run(["pdftotext", report.pdf.path, "-"], capture_output=True, text=True, check=True).stdout
    assert "2026年度工作报告" in text and "举办培训" in text and "广州市教育局" in text
    email = Email.objects.get(to="authority@example.cn")
    assert reverse("governance:annual_report_pdf", args=[report.pk]) in email.body
    page = client.get(alliance.get_absolute_url()).content.decode()
    assert "2026年度工作报告" in page
    response = client.get(reverse("governance:annual_report_pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"


def test_002_art_7_a_second_delivery_of_the_render_sends_the_authority_one_email():
    alliance, staff = gz_alliance()
    report = drafted_report(alliance, staff)
    decided_motion(alliance=alliance, kind="approve_report", subjects=[report])
    pdf_jobs.assert_rendered_once(services.REPORT, report.pk)
    assert Email.objects.filter(to="authority@example.cn").count() == 1


def test_002_art_7_an_approve_report_motion_that_failed_leaves_the_report_a_draft(client):
    alliance, staff = gz_alliance()
    report = drafted_report(alliance, staff)
    decided_motion(alliance=alliance, kind="approve_report", subjects=[report], passed=False)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT and services.annual_report_render(report_id=report.pk) is False
    assert client.get(reverse("governance:annual_report_pdf", args=[report.pk])).status_code == 404


def test_002_art_7_only_the_council_approves_the_report():
    alliance, staff = gz_alliance()
    report = drafted_report(alliance, staff)
    expert_committee = BodyFactory(alliance=alliance, kind=Body.Kind.EXPERT_COMMITTEE)
    with pytest.raises(ValidationError):
        services.motion_create(actor=None, meeting=MeetingFactory(body=expert_committee), kind="approve_report",
                               title="审定", subjects=[report])


def test_002_art_7_an_approved_report_is_not_changed_and_one_alliance_has_one_report_a_year():
    alliance, staff = gz_alliance()
    report = drafted_report(alliance, staff)
    with pytest.raises(ValidationError) as twice:
        drafted_report(alliance, staff)
    assert "year" in twice.value.message_dict
    decided_motion(alliance=alliance, kind="approve_report", subjects=[report])
    with pytest.raises(ValidationError):
        services.annual_report_update(actor=staff, report=report, text="改写")


def test_002_art_7_a_report_of_another_alliance_cannot_be_named_by_the_motion():
    alliance, staff = gz_alliance()
    other = AllianceFactory()
    report = drafted_report(other, staff_of(other))
    with pytest.raises(ValidationError) as refused:
        decided_motion(alliance=alliance, kind="approve_report", subjects=[report])
    assert "subject_ids" in refused.value.message_dict


def test_staff_of_another_alliance_neither_see_nor_change_the_reports_and_follow_ups_in_the_admin(client):
    alliance, staff = gz_alliance()
    report = drafted_report(alliance, staff)
    motion = decided_motion(alliance=alliance, kind="other", body_kind=Body.Kind.ASSEMBLY)
    step = services.follow_up_record(actor=staff, motion=motion, action="印发", acted_on=datetime.date(2026, 5, 6))
    with pytest.raises(PermissionDenied):
        services.annual_report_update(actor=staff_of(AllianceFactory()), report=report, text="改写")
    client.force_login(staff_of(AllianceFactory()))
    assert client.get(reverse("admin:governance_annualreport_change", args=[report.pk])).status_code == 302
    assert client.get(reverse("admin:governance_resolutionfollowup_change", args=[step.pk])).status_code == 302
    changelist = client.get(reverse("admin:governance_annualreport_changelist")).content.decode()
    assert report.title not in changelist


def test_staff_draft_the_report_in_the_admin_and_a_refusal_shows_on_the_form(client):
    alliance, staff = gz_alliance()
    drafted_report(alliance, staff, year=2025)
    client.force_login(staff)
    url = reverse("admin:governance_annualreport_add")
    data = {"alliance": alliance.pk, "year": 2025, "title": "又一份", "text": "正文", "figures": ""}
    response = client.post(url, data)
    assert response.status_code == 200 and "本联盟该年度的工作报告已存在" in response.content.decode()
    assert AnnualReport.objects.count() == 1
    response = client.post(url, {**data, "year": 2026})
    assert response.status_code == 302 and AnnualReport.objects.get(year=2026).title == "又一份"


def test_a_filed_report_of_a_hidden_alliance_is_not_served(client):
    alliance, staff = gz_alliance()
    report = drafted_report(alliance, staff)
    decided_motion(alliance=alliance, kind="approve_report", subjects=[report])
    tasks.annual_report_render_pdf(report.pk)
    alliance.is_public = False
    alliance.save()
    assert client.get(reverse("governance:annual_report_pdf", args=[report.pk])).status_code == 404
