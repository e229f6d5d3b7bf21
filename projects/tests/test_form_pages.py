"""The project forms as a person reads them: every input of a table labelled, readable columns, the uploaded scan
named with a link to view it, a draft its organiser can delete (asked once), and phones checked as the members'."""

import re

import pytest
from django.urls import reverse


from projects.models import Application, TeamMember

from .factories import ProjectFactory, community_application, county_application, edit_post, organiser_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client):
    project = ProjectFactory()
    user = organiser_of(project)
    client.force_login(user)
    return county_application(project, user)


def _page(client, application):
    return client.get(reverse("projects:application_edit", args=[application.pk])).content.decode()


def test_every_input_of_the_form_and_its_tables_has_a_label(client, draft):
    html = _page(client, draft)
    ids = set(re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    assert ids and ids <= labelled, sorted(ids - labelled)
    assert '<label class="sr-only" for="id_team-0-phone">联系电话（第1行）</label>' in html


def test_the_tables_of_inputs_scroll_in_their_card_and_keep_their_columns_readable(client, draft):
    html = _page(client, draft)
    assert '<div class="table-scroll"><table class="inputs formset" data-prefix="team">' in html
    assert "<style>" not in html  # the widths live in forms.css
    assert 'type="tel" name="team-0-phone"' in html


def test_an_uploaded_scan_is_named_with_links_to_view_and_replace_it(client, draft):
    html = _page(client, draft)
    name = draft.applicant_scan_name or "扫描件"
    view = reverse("projects:application_scan", args=[draft.pk, "applicant_scan"])
    assert f'已上传：{name}（<a href="{view}">查看</a> / <label for="id_applicant_scan" class="link">替换</label>）' in html
    assert "Currently" not in html and "目前" not in html and "清除" not in html


def test_empty_choices_read_please_choose(client, draft):
    html = _page(client, draft)
    assert "---------" not in html and '<option value="" selected>请选择</option>' in html


def test_the_organiser_deletes_a_draft_after_confirming_once(client, draft):
    url = reverse("projects:application_delete", args=[draft.pk])
    assert "确定删除" in client.get(url).content.decode()
    assert Application.objects.filter(pk=draft.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("projects:detail", args=[draft.project_id])
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not TeamMember.objects.filter(application_id=draft.pk).exists()


def test_a_submitted_application_is_not_deleted(client):
    project = ProjectFactory()
    user = organiser_of(project)
    client.force_login(user)
    submitted = community_application(project, user, status="submitted")
    client.post(reverse("projects:application_delete", args=[submitted.pk]))
    assert Application.objects.filter(pk=submitted.pk, status="submitted").exists()


def test_another_provinces_organiser_cannot_delete_a_draft(client, draft):
    other = organiser_of(draft.project, province="四川省")
    client.force_login(other)
    response = client.post(reverse("projects:application_delete", args=[draft.pk]))
    assert response.status_code == 403
    assert Application.objects.filter(pk=draft.pk).exists()


def test_a_phone_of_dashes_is_refused_on_its_row(client, draft):
    response = client.post(reverse("projects:application_edit", args=[draft.pk]),
                           edit_post(draft, save="1", **{"team-0-phone": "-----"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_team-0-phone">联系电话（第1行）：请输入手机号码或带区号的固定电话' in html
    assert TeamMember.objects.filter(application=draft).exclude(phone="-----").count() == draft.team.count()


def test_a_full_width_phone_is_kept_in_ascii(client, draft):
    client.post(reverse("projects:application_edit", args=[draft.pk]),
                edit_post(draft, save="1", **{"team-0-phone": "１３９００００００００", "head_phone": "０８７１-６５１４１００１"}))
    draft.refresh_from_db()
    assert draft.head_phone == "0871-65141001"
    assert draft.team.order_by("order").first().phone == "13900000000"
