import pytest
from django.core.management import call_command

from governance.models import Briefing, Motion

pytestmark = pytest.mark.django_db


def test_loaddemo_shows_votes_and_the_seed_003_briefing_and_writes_nothing_twice():
    from django.apps import apps
    from io import StringIO

    call_command("loaddemo", stdout=StringIO())
    counts = {m.__name__: m.objects.count() for m in apps.get_app_config("governance").get_models()}
    call_command("loaddemo", stdout=StringIO())
    assert counts == {m.__name__: m.objects.count() for m in apps.get_app_config("governance").get_models()}
    statuses = set(Motion.objects.filter(meeting__body__alliance__slug="cop").values_list("status", flat=True))
    assert statuses == {Motion.Status.OPEN, Motion.Status.PASSED}
    briefing = Briefing.objects.get(alliance__slug="jswl")
    assert briefing.issue_label == "2010年第1期"
    assert briefing.articles.count() == 4


def test_the_gz_demo_council_has_the_rotating_chair_and_the_annual_report_and_plan_on_its_agenda():
    """002 arts. 6–7: the council elects the rotating chair and approves the annual plan and report."""
    from io import StringIO

    call_command("loaddemo", stdout=StringIO())
    kinds = list(Motion.objects.filter(meeting__body__alliance__slug="gz").order_by("order")
                 .values_list("kind", flat=True))
    assert kinds == [Motion.Kind.ELECT_OFFICER, Motion.Kind.APPROVE_REPORT, Motion.Kind.APPROVE_PLAN]


def test_a_briefing_added_after_the_demo_continues_after_its_numbers():
    from datetime import date
    from io import StringIO

    from governance import services

    call_command("loaddemo", stdout=StringIO())
    jswl = Briefing.objects.get(alliance__slug="jswl").alliance
    briefing = services.briefing_create(actor=None, alliance=jswl, issued_on=date(2010, 12, 1))
    assert briefing.issue_label == "2010年第2期"


def test_the_demo_keeps_the_gz_assembly_report_and_target_and_the_seed_003_tasks_and_agreement():
    """002 arts. 5, 7, 8 (二) and seed 003, as loaddemo shows them."""
    from io import StringIO

    from alliance.models import Alliance
    from governance.models import Agreement, AnnualReport, Body, LeadTask, ResolutionFollowUp, Target

    call_command("loaddemo", stdout=StringIO())
    gz = Alliance.objects.get(slug="gz")
    assert gz.supervisor_name == "广州市教育局"
    assert Body.objects.filter(alliance=gz, kind=Body.Kind.ASSEMBLY).exists()
    report = AnnualReport.objects.get(alliance=gz, year=2026)
    assert Motion.objects.get(meeting__body__alliance=gz, kind=Motion.Kind.APPROVE_REPORT).subject_ids == [report.pk]
    assert Target.objects.get(alliance=gz).threshold == 20
    assert ResolutionFollowUp.objects.filter(motion__meeting__body__alliance__slug="cop", is_done=True).exists()
    assert list(LeadTask.objects.filter(alliance__slug="jswl").values_list("lead_member__name", flat=True)) == [
        "北京师范大学", "华东师范大学", "东北师范大学", "西南大学"]
    assert Agreement.objects.get(alliance__slug="jswl").signing == Agreement.Signing.CORRESPONDENCE
