"""Staff decide where they read, in Chromium: from the workbench's count of applications awaiting review to their
changelist, one opened, its data and evidence read, approved on its own page, and the message names the
application admitted."""

from django.core.files.uploadedfile import SimpleUploadedFile
import pytest
from playwright.sync_api import expect

from alliance.tests.factories import PASSWORD, staff_of
from members import services
from members.models import Application, Member
from members.tests.factories import ApplicationFactory
from members.tests.test_validators import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_approve_an_application_on_its_own_page(page, live_server, monkeypatch):
    monkeypatch.setattr("members.services.certificates.enqueue_on_commit", lambda task, *ids: None)
    monkeypatch.setattr("alliance.services.enqueue_on_commit", lambda task, *ids: None)
    application = ApplicationFactory(unit_name="北京市海淀区实验小学")
    services.attachment_add(actor=application.applicant, application=application,
                            uploaded=SimpleUploadedFile("办学许可证.pdf", PDF))
    services.application_submit(actor=application.applicant, application=application)
    ApplicationFactory(unit_name="尚未提交的学校", alliance=application.alliance)
    staff = staff_of(application.alliance)

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.locator(".workbench-counts a", has_text="待审核申请").click()
    page.wait_for_url("**/admin/members/application/?status=submitted")
    results = page.locator("#result_list")
    expect(results).to_contain_text("北京市海淀区实验小学")
    expect(results).not_to_contain_text("尚未提交的学校")

    page.get_by_role("link", name="北京市海淀区实验小学").click()
    expect(page.locator("#content")).to_contain_text("王陆")  # the applicant's data, shown open
    expect(page.locator("#content")).to_contain_text("办学许可证.pdf")
    page.get_by_role("button", name="批准", exact=True).click()

    page.wait_for_url("**/admin/members/application/")
    expect(page.locator(".messagelist")).to_contain_text("已批准申请：北京市海淀区实验小学，已入会。")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert Member.objects.filter(application=application).exists()
