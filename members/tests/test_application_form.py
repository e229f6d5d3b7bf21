"""The application form as a person fills it in: grouped as the paper form, errors listed at the top with links,
the 省/市/县 lists, drafts that keep what was typed, and texts from the alliance's own charter."""

import datetime
import re

import pytest
from django.urls import reverse

from alliance.tests.factories import UserFactory
from members import divisions
from members.forms import SECTIONS, ApplicationForm
from members.models import Application, Kind
from members.services import application_fields
from members.tests.factories import alliance_with
from members.tests.test_views import unit_post

pytestmark = pytest.mark.django_db
COP = {
    "application_form_title": "靠谱 COP 联盟会员申请登记表",
    "application_help": "申请加入联盟的成员，必须拥护联盟章程（章程第五条）。",
    "field_of_work_help": "从事教育技术产品或教师专业发展等相关研究和生产的情况（第五条第三项）。",
    "consent_article": "第五条",
}


def _form_page(client, alliance, kind="unit"):
    client.force_login(UserFactory())
    return client.get(reverse("members:application_create", args=[alliance.slug, kind])).content.decode()


@pytest.mark.parametrize("kind", [Kind.UNIT, Kind.INDIVIDUAL])
def test_every_field_of_the_form_sits_in_one_section_of_the_paper_form(kind):
    in_sections = [name for _legend, names in SECTIONS[kind] for name in names]
    assert sorted(in_sections) == sorted([*application_fields(kind), "attachments"])


def test_the_unit_form_renders_the_paper_forms_fieldsets(client):
    html = _form_page(client, alliance_with(unit_types="学校"))
    legends = re.findall(r"<legend>(.*?)</legend>", html)
    assert legends == ["单位信息", "负责人", "联系人", "业务与简介", "承诺", "证明材料"]
    assert html.count("<fieldset>") == 6


def test_required_fields_are_marked_and_labels_have_no_ascii_colon(client):
    html = _form_page(client, alliance_with(unit_types="学校"))
    assert re.search(r'<label for="id_unit_name">单位名称<span class="req" aria-hidden="true">\*</span></label>', html)
    assert '<label for="id_credit_code">统一社会信用代码</label>' in html  # optional: no mark
    assert 'aria-required="true"' in html
    assert not re.search(r"</?label[^>]*>[^<]*:</label>", html)


def test_a_checkbox_sits_before_its_label(client):
    html = _form_page(client, alliance_with(unit_types="学校"))
    assert re.search(r'<input type="checkbox" name="consent_charter"[^>]*id="id_consent_charter"[^>]*>'
                     r'<label for="id_consent_charter">拥护联盟章程', html)


def test_empty_choices_read_please_choose(client):
    html = _form_page(client, alliance_with(unit_types="学校", admits_individuals=True), kind="individual")
    assert '<option value="" selected>请选择</option>' in html
    assert "---------" not in html


def test_a_failed_submit_lists_each_error_at_the_top_linking_to_its_field(client):
    alliance = alliance_with(unit_types="学校")
    client.force_login(UserFactory())
    response = client.post(reverse("members:application_create", args=[alliance.slug, "unit"]),
                           unit_post(submit="1", postcode="10004", contact_mobile="12345"))
    html = response.content.decode()
    summary = html[html.index('class="error-summary"'):html.index("</div>", html.index('class="error-summary"'))]
    assert '<a href="#id_postcode">邮编：邮编须为 6 位数字。</a>' in summary
    assert '<a href="#id_contact_mobile">联系人手机：' in summary
    assert 'id="id_postcode"' in html and 'aria-invalid="true"' in html


def test_the_province_list_has_the_34_provincial_level_divisions():
    assert len(divisions.provinces()) == 34
    assert {"北京市", "内蒙古自治区", "新疆维吾尔自治区", "台湾省", "香港特别行政区", "澳门特别行政区"} <= set(
        divisions.provinces())


def test_a_municipality_lists_its_districts_under_itself():
    assert divisions.cities("北京市") == ["北京市"]
    assert "海淀区" in divisions.counties("北京市", "北京市")
    assert "仙桃市" in divisions.cities("湖北省")  # a county-level city the province governs directly


def test_cities_and_counties_follow_the_chosen_province_without_javascript():
    alliance = alliance_with(unit_types="学校")
    form = ApplicationForm({"province": "内蒙古自治区", "city": "呼和浩特市"}, kind=Kind.UNIT, alliance=alliance)
    html = str(form["city"]) + str(form["county"])
    assert '<option value="包头市">包头市</option>' in html and '<option value="赛罕区">赛罕区</option>' in html
    assert "海淀区" not in html


def test_a_saved_region_not_in_the_lists_stays_as_free_text():
    alliance = alliance_with(unit_types="学校")
    application = Application(alliance=alliance, kind=Kind.UNIT, province="内蒙古自治区", city="某新设市")
    form = ApplicationForm(instance=application, kind=Kind.UNIT, alliance=alliance)
    assert 'type="text" name="city" value="某新设市"' in str(form["city"])


def test_the_region_of_a_municipality_reads_without_repeating_it():
    application = Application(province="北京市", city="北京市", county="海淀区")
    assert application.region == "北京市海淀区"
    assert Application(province="内蒙古自治区", city="呼和浩特市", county="赛罕区").region == "内蒙古自治区呼和浩特市赛罕区"


def test_a_city_from_another_province_is_refused_on_its_field():
    alliance = alliance_with(unit_types="学校")
    form = ApplicationForm({"province": "河北省", "city": "呼和浩特市"}, kind=Kind.UNIT, alliance=alliance)
    assert "请从列表中选择" in form.errors["city"][0]


def _draft_with_bad_values(client, alliance):
    person = UserFactory()
    client.force_login(person)
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = client.post(reverse("members:application_create", args=[alliance.slug, "individual"]),
                           {"person_name": "李华", "birth_date": future, "postcode": "10004", "mobile": "12345",
                            "email": "lihua@@example", "save": "1"})
    return response, Application.objects.get(applicant=person), future


def test_save_draft_keeps_values_that_fail_a_check_as_typed(client):
    response, draft, future = _draft_with_bad_values(client, alliance_with(admits_individuals=True))
    html = response.content.decode()
    assert response.status_code == 200
    assert "草稿已保存" in html and "申请未能提交" not in html
    assert "邮编须为 6 位数字。" in html and "日期不能晚于今天。" in html
    assert (draft.status, draft.postcode, draft.mobile, draft.birth_date.isoformat(), draft.email) == (
        "draft", "10004", "12345", future, "lihua@@example")
    assert re.search(r'<a href="#id_email">电子邮箱：[^<]+</a>', html)


def test_a_reopened_draft_shows_the_messages_of_the_values_that_failed_a_check(client):
    _response, draft, future = _draft_with_bad_values(client, alliance_with(admits_individuals=True))
    again = client.get(reverse("members:application_edit", args=[draft.pk])).content.decode()
    assert 'value="10004"' in again and 'value="12345"' in again and f'value="{future}"' in again
    assert 'value="lihua@@example"' in again and 'value="李华"' in again
    summary = again[again.index('class="error-summary"'):again.index("</div>", again.index('class="error-summary"'))]
    assert "草稿已保存。以下内容尚需修改，提交前请更正" in summary
    assert '<a href="#id_postcode">邮编：邮编须为 6 位数字。</a>' in summary
    assert '<a href="#id_birth_date">出生日期：日期不能晚于今天。</a>' in summary
    assert '<a href="#id_mobile">' in summary and '<a href="#id_email">' in summary
    # A draft needs no field yet: a blank one is not an error until it is submitted.
    assert "提交前请填写此项" not in again
    for name in ("postcode", "mobile", "email", "birth_date"):
        assert re.search(rf'<input [^>]*name="{name}"[^>]*aria-invalid="true"', again), name


def test_a_reopened_draft_without_a_bad_value_shows_no_errors(client):
    alliance = alliance_with(admits_individuals=True)
    client.force_login(UserFactory())
    client.post(reverse("members:application_create", args=[alliance.slug, "individual"]),
                {"person_name": "李华", "postcode": "100048", "email": "lihua@example.com", "save": "1"})
    draft = Application.objects.get(person_name="李华")
    again = client.get(reverse("members:application_edit", args=[draft.pk])).content.decode()
    assert 'class="error-summary"' not in again and 'aria-invalid' not in again
    assert 'value="100048"' in again and 'value="lihua@example.com"' in again


def test_a_draft_holding_a_bad_value_cannot_be_submitted_as_it_stands():
    from django.core.exceptions import ValidationError

    from members import services
    from members.tests.factories import ApplicationFactory

    application = ApplicationFactory(alliance=alliance_with(unit_types="学校"), postcode="10004")
    with pytest.raises(ValidationError) as exc:
        services.application_submit(actor=application.applicant, application=application)
    assert "postcode" in exc.value.message_dict
    application.refresh_from_db()
    assert application.status == "draft"


def test_full_width_digits_are_accepted_and_stored_in_ascii(client):
    alliance = alliance_with(unit_types="学校")
    person = UserFactory()
    client.force_login(person)
    client.post(reverse("members:application_create", args=[alliance.slug, "unit"]),
                unit_post(submit="1", contact_mobile="１３８１２３４５６７８", postcode="１０００４８",
                          credit_code="９１３５０１００ｍ０００１００ｙ４３"))
    application = Application.objects.get(applicant=person)
    assert application.status == "submitted"
    assert (application.contact_mobile, application.postcode, application.credit_code) == (
        "13812345678", "100048", "91350100M000100Y43")


def test_each_alliance_shows_its_own_charter_texts_only(client):
    cop = alliance_with(unit_types="学校", **COP)
    other = alliance_with(unit_types="学校", consent_article="第十七条")
    cop_page, other_page = _form_page(client, cop), _form_page(client, other)
    assert "<h1>靠谱 COP 联盟会员申请登记表（单位成员）</h1>" in cop_page
    assert COP["field_of_work_help"] in cop_page and COP["application_help"] in cop_page
    assert "COP" not in other_page and "第五条" not in other_page
    assert f"<h1>{other.name}入会申请表（单位成员）</h1>" in other_page


def test_a_missing_consent_cites_the_alliances_own_article(client):
    alliance = alliance_with(unit_types="学校", consent_article="第十七条")
    client.force_login(UserFactory())
    html = client.post(reverse("members:application_create", args=[alliance.slug, "unit"]),
                       unit_post(submit="1", consent_charter=None)).content.decode()
    assert "申请入会须拥护联盟章程（第十七条）。" in html and "第五条" not in html
