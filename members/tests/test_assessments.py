"""The technical supporter's assessments of the members (000 组织架构 1: 定期对联盟成员进行业务考核，发布考核结果)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from alliance.tests.factories import UserFactory
from governance.models import Body
from governance.tests.factories import BodyFactory, SeatFactory
from members import services
from members.models import Assessment, AssessmentCorrection, AssessmentRound
from members.tests.factories import admitted_member

pytestmark = pytest.mark.django_db


def supporter_of(alliance):
    """An account seated in the alliance's 技术支持者 body."""
    body = Body.objects.filter(alliance=alliance, kind=Body.Kind.TECHNICAL_SUPPORT).first() or BodyFactory(
        alliance=alliance, kind=Body.Kind.TECHNICAL_SUPPORT, name="技术支持者")
    return SeatFactory(body=body, role="member", user=UserFactory(name="王陆")).user


@pytest.fixture
def world():
    member, staff = admitted_member()
    other, _ = admitted_member(alliance=member.alliance)
    supporter = supporter_of(member.alliance)
    round_ = services.assessment_round_create(
        actor=supporter, alliance=member.alliance, title="2026年上半年业务考核", period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30), criteria=[("教研活动开展", Decimal("60")), ("平台使用", Decimal("40"))],
        summary_visibility=AssessmentRound.Visibility.MEMBERS,
    )
    return {"member": member, "other": other, "staff": staff, "supporter": supporter, "round": round_}


def _scores(round_, *values):
    return {c.pk: Decimal(v) for c, v in zip(round_.criteria.all(), values, strict=True)}


def _enter(w, member=None, values=("50", "30"), grade="good"):
    return services.assessment_enter(actor=w["supporter"], round=w["round"], member=member or w["member"],
                                     scores=_scores(w["round"], *values), grade=grade, comment="按计划开展教研。")


def test_supporter_enters_a_score_per_criterion_and_the_total_is_their_sum(world):
    result = _enter(world)
    assert result.total == Decimal("80")
    assert [s.score for s in result.scores.order_by("criterion__order")] == [Decimal("50"), Decimal("30")]


def test_a_score_above_the_criterions_maximum_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _enter(world, values=("61", "30"))
    assert "0 至 60.0" in str(exc.value)
    assert not Assessment.objects.exists()


def test_only_the_technical_supporters_accounts_assess_members(world):
    with pytest.raises(PermissionDenied):
        services.assessment_enter(actor=world["staff"], round=world["round"], member=world["member"],
                                  scores=_scores(world["round"], "1", "1"), grade="pass")
    with pytest.raises(PermissionDenied):
        services.assessment_round_create(
            actor=world["staff"], alliance=world["member"].alliance, title="另一次", criteria=[("x", Decimal(1))],
            period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 1, 2),
            summary_visibility="public")


def test_a_published_result_cannot_change_but_a_correction_is_recorded_with_its_reason(world):
    result = _enter(world)
    services.assessment_round_publish(actor=world["supporter"], round=world["round"], summary="总体良好。")
    with pytest.raises(ValidationError):
        _enter(world, values=("60", "40"))
    correction = services.assessment_correct(
        actor=world["supporter"], assessment=result, scores=_scores(world["round"], "55", "30"), grade="good",
        comment="补记一次活动。", reason="漏记一次教研活动")
    result.refresh_from_db()
    assert result.total == Decimal("85")
    assert correction.before["total"] == "80.0" and correction.after["total"] == "85.0"
    assert AssessmentCorrection.objects.get().corrected_by == world["supporter"]


def test_each_member_sees_its_own_published_result_on_its_page(client, world):
    _enter(world)
    _enter(world, member=world["other"], values=("10", "10"), grade="fail")
    client.force_login(world["member"].user)
    page = client.get(world["member"].get_absolute_url()).content.decode()
    assert "业务考核结果" not in page  # not published yet
    services.assessment_round_publish(actor=world["supporter"], round=world["round"])
    page = client.get(world["member"].get_absolute_url()).content.decode()
    assert "2026年上半年业务考核" in page and "80.0" in page and "良好" in page
    assert "不合格" not in page  # the other member's result is its own


def test_a_members_only_summary_is_refused_to_outsiders_and_a_public_one_is_not(client, world):
    _enter(world)
    services.assessment_round_publish(actor=world["supporter"], round=world["round"])
    url = reverse("members:assessment_summary", args=[world["round"].pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(world["member"].user)
    assert "良好" in client.get(url).content.decode()
    AssessmentRound.objects.filter(pk=world["round"].pk).update(summary_visibility="public")
    client.logout()
    assert client.get(url).status_code == 200


def test_the_supporter_enters_a_result_on_the_portal_page_and_a_refusal_shows_on_the_form(client, world):
    client.force_login(world["supporter"])
    round_ = world["round"]
    url = reverse("members:assessment_enter", args=[round_.pk, world["member"].pk])
    first, second = round_.criteria.all()
    page = client.post(url, {f"score_{first.pk}": "70", f"score_{second.pk}": "30", "grade": "good"})
    assert page.status_code == 200 and "60.0" in page.content.decode()
    assert not Assessment.objects.exists()
    page = client.post(url, {f"score_{first.pk}": "50", f"score_{second.pk}": "30", "grade": "good"})
    assert page.status_code == 302
    assert Assessment.objects.get().total == Decimal("80")


def test_staff_of_another_alliance_cannot_open_or_export_a_round(client, world):
    other_member, other_staff = admitted_member()
    client.force_login(other_staff)
    assert client.get(reverse("members:assessment_round", args=[world["round"].pk])).status_code == 403
    assert client.get(reverse("members:assessment_export", args=[world["round"].pk])).status_code == 403
    client.force_login(world["staff"])
    assert client.get(reverse("members:assessment_round", args=[world["round"].pk])).status_code == 200
    # Staff read; only the supporter enters.
    url = reverse("members:assessment_enter", args=[world["round"].pk, world["member"].pk])
    assert client.get(url).status_code == 403


def test_the_results_export_to_excel_with_a_column_per_criterion(client, world):
    _enter(world)
    client.force_login(world["staff"])
    response = client.get(reverse("members:assessment_export", args=[world["round"].pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("成员编号", "成员名称", "教研活动开展（满分60.0）", "平台使用（满分40.0）")
    assert rows[1][1] == world["member"].name and rows[1][4] == 80 and rows[1][5] == "良好"


def test_criteria_are_typed_one_a_line_and_a_bad_line_is_named():
    assert services.criteria_parse("教研活动|60\n平台使用|40") == [("教研活动", Decimal("60.0")),
                                                               ("平台使用", Decimal("40.0"))]
    with pytest.raises(ValidationError) as exc:
        services.criteria_parse("教研活动|60\n平台使用")
    assert "第 2 行" in str(exc.value)


HOSTILE = ["", "x" * 5000, "<script>alert(1)</script>", "\x00\x07", "NaN", "Infinity", "1e999", "-1", "99|", "|",
           "a|NaN\nb|1e999", "2026-02-30"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_on_the_assessment_pages_never_gives_a_500(client, world, text):
    client.force_login(world["supporter"])
    slug = world["member"].alliance.slug
    fields = {"title": text, "period_start": text, "period_end": text, "summary_visibility": text, "criteria": text}
    response = client.post(reverse("members:assessment_round_create", args=[slug]), fields)
    assert response.status_code == 200 and "<script>alert" not in response.content.decode()
    round_ = world["round"]
    scores = {f"score_{c.pk}": text for c in round_.criteria.all()}
    url = reverse("members:assessment_enter", args=[round_.pk, world["member"].pk])
    response = client.post(url, {**scores, "grade": text, "comment": text})
    assert response.status_code == 200
    response = client.post(reverse("members:assessment_round", args=[round_.pk]), {"summary": text})
    assert response.status_code in (200, 302)


def _same_queries(client, url, add_rows, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_rows(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_rows(5)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_round_page_the_member_page_and_the_admin_make_as_many_queries_for_1_row_as_for_6(
        client, world, django_assert_num_queries):
    alliance = world["member"].alliance

    def add_members(n):
        for _ in range(n):
            member, _ = admitted_member(alliance=alliance)
            _enter(world, member=member)

    client.force_login(world["supporter"])
    _same_queries(client, reverse("members:assessment_round", args=[world["round"].pk]), add_members,
                  django_assert_num_queries)

    def add_rounds(n):
        for i in range(n):
            round_ = services.assessment_round_create(
                actor=world["supporter"], alliance=alliance, title=f"考核{AssessmentRound.objects.count()}-{i}",
                period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 6, 30),
                criteria=[("教研", Decimal("10"))], summary_visibility="public")
            services.assessment_enter(actor=world["supporter"], round=round_, member=world["member"],
                                      scores={round_.criteria.get().pk: Decimal("8")}, grade="good")
            services.assessment_round_publish(actor=world["supporter"], round=round_)

    _same_queries(client, reverse("members:assessment_list"), add_rounds, django_assert_num_queries)
    client.force_login(world["member"].user)
    _same_queries(client, world["member"].get_absolute_url(), add_rounds, django_assert_num_queries)
    client.force_login(world["staff"])
    _same_queries(client, reverse("admin:members_assessmentround_changelist"), add_rounds, django_assert_num_queries)


def test_staff_read_a_round_in_the_admin_and_export_it_but_change_nothing(client, world):
    _enter(world)
    client.force_login(world["staff"])
    url = reverse("admin:members_assessmentround_change", args=[world["round"].pk])
    response = client.get(url)
    assert response.status_code == 200 and response.context["has_change_permission"] is False
    client.post(url, {"title": "改过的名称"})
    world["round"].refresh_from_db()
    assert world["round"].title == "2026年上半年业务考核"
    response = client.post(reverse("admin:members_assessmentround_changelist"),
                           {"action": "export_excel", "_selected_action": [world["round"].pk]})
    assert load_workbook(io.BytesIO(response.content)).active["B2"].value == world["member"].name
    member_page = client.get(reverse("admin:members_member_change", args=[world["member"].pk])).content.decode()
    assert "2026年上半年业务考核" in member_page
