"""The membership journey in Chromium: sign up and verify the e-mail, apply as a unit with evidence, staff approve
in the admin, the person downloads the certificate and its QR code's page says valid."""

import re

import pytest

from alliance.models import CharterRules
from alliance.tests.browser_steps import sign_up_and_verify
from alliance.tests.factories import PASSWORD, AllianceFactory, UserFactory
from alliance.services import secretariat_grant
from members import services
from members.models import Application, Certificate
from members.tests.test_qr import assert_qr_encodes
from members.tests.test_validators import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_apply_approve_download_and_verify(page, browser, live_server, settings, monkeypatch, tmp_path):
    settings.SITE_URL = live_server.url
    # The certificate is rendered in this process below (a worker would use its own SITE_URL).
    monkeypatch.setattr("members.services.certificates.enqueue_on_commit", lambda task, *ids: None)
    monkeypatch.setattr("alliance.services.enqueue_on_commit", lambda task, *ids: None)
    alliance = AllianceFactory(name="靠谱 COP 联盟", slug="cop", code="COP")
    CharterRules.objects.filter(alliance=alliance).update(unit_types="教育管理部门\n教育技术部门\n学校\n企业")
    staff = UserFactory(email="staff@example.cn", name="秘书处")
    secretariat_grant(actor=None, user=staff, alliance=alliance)

    # A new person signs up and verifies the e-mail address.
    sign_up_and_verify(page, live_server, email="wang@example.cn", name="王老师", password="Xue-xiao-2026!")

    # From the alliance page, apply as a unit.
    page.goto(live_server.url + "/a/cop/")
    page.get_by_role("link", name="申请加入").click()
    page.get_by_role("link", name="以单位申请（单位成员）").click()
    fields = {
        "单位名称": "北京市海淀区实验小学", "负责人": "刘校长", "负责人职务": "校长", "负责人联系电话": "010-62551234",
        "负责人电子邮箱": "liu@example.cn", "联系人": "王老师", "联系人职务": "信息中心主任",
        "联系人办公电话": "010-62551235", "联系人手机": "13912345678", "联系人电子邮箱": "wang@example.cn",
        "联系人QQ或微信": "wang_xx", "单位简介": "区属公办小学，开展教师在线实践社区研修。", "通讯地址": "北京市海淀区中关村大街1号",
        "邮编": "100080", "业务领域": "教师专业发展与课堂教学行为研究",
    }
    def field(label):  # the label, with the * of a field required at submit
        return page.get_by_label(re.compile(f"^{re.escape(label)}\\*?$"))

    for label, value in fields.items():
        field(label).fill(value)
    field("单位类型").select_option("学校")
    # 省/市/县 from the lists: each list follows the one before it (members/static/members/divisions.js).
    field("所在省（自治区、直辖市）").select_option("北京市")
    field("所在市（地、州、盟）").select_option("北京市")
    field("所在县（市、区、旗）").select_option("海淀区")
    page.get_by_label("证明材料").set_input_files(
        files=[{"name": "办学许可证.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("拥护联盟章程").check()
    page.get_by_label("自愿加入联盟").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/members/applications/\d+/$"))
    assert page.locator("#status").inner_text() == "已提交，待审核"
    assert "办学许可证.pdf" in page.locator("main").inner_text()
    application = Application.objects.get(unit_name="北京市海淀区实验小学")

    # Staff approve in the admin.
    staff_context = browser.new_context(locale="zh-CN")
    admin = staff_context.new_page()
    admin.goto(live_server.url + "/admin/login/")
    admin.fill("#id_username", staff.email)
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.goto(live_server.url + "/admin/members/application/")
    admin.locator(f"input[name=_selected_action][value='{application.pk}']").check()
    admin.select_option("select[name=action]", "approve")
    admin.click("button[name=index]")
    admin.get_by_role("button", name="确认批准").click()
    admin.wait_for_url("**/admin/members/application/")
    assert "已批准 1 份申请：北京市海淀区实验小学。" in admin.locator("body").inner_text()
    staff_context.close()

    certificate = Certificate.objects.get(member__application=application)
    services.certificate_render(certificate_id=certificate.pk)

    # The person downloads the certificate from their member page.
    page.goto(live_server.url + "/members/applications/")
    page.get_by_role("link", name="北京市海淀区实验小学").first.click()
    with page.expect_download() as download_info:
        page.locator("#certificate-download").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    verify_url = live_server.url + f"/verify/{certificate.token}/"
    assert_qr_encodes(pdf_path, verify_url, tmp_path)

    # The QR code's page says valid, with no contact data.
    anonymous = browser.new_context(locale="zh-CN").new_page()
    anonymous.goto(verify_url)
    text = anonymous.locator("main").inner_text()
    assert "有效" in text and "北京市海淀区实验小学" in text and "靠谱 COP 联盟" in text
    assert "13912345678" not in text
