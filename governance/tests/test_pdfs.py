"""Minutes, resolutions and briefings as PDFs, rendered by tasks from frozen data; one real-worker run."""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse

from alliance.tests.factories import UserFactory
from conftest import wait_for
from governance import services, tasks
from governance.models import Body, Briefing, Result
from governance.tests.factories import BodyFactory

from .helpers import run_vote


def _pdf(path, tool):
    return subprocess.run([tool, str(path)] + (["-"] if tool == "pdftotext" else []), capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.django_db
def test_the_resolution_and_minutes_are_rendered_once_from_the_frozen_result(django_capture_on_commit_callbacks,
                                                                              client):
    result = run_vote(in_office=9, present=6, votes_for=4, against=2,
                      pass_rule_text="第十二条：其决议须经到会理事 2/3 以上表决通过方能生效")
    tasks.result_render_pdfs(result.pk)
    result.refresh_from_db()
    text = _pdf(result.resolution_pdf.path, "pdftotext")
    assert "议案获得通过" in text and "赞成 4 票" in text and "第十二条" in text
    minutes = _pdf(result.minutes_pdf.path, "pdftotext")
    assert "表决记录" in minutes and "出席理事（6 人）" in minutes
    first = result.resolution_pdf.name
    tasks.result_render_pdfs(result.pk)  # idempotent: nothing is rendered twice
    result.refresh_from_db()
    assert result.resolution_pdf.name == first


@pytest.mark.django_db
def test_closing_a_vote_enqueues_the_pdfs_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    monkeypatch.setattr("alliance.queueing.enqueue", lambda task, *args: calls.append((getattr(task, "name", task), args)))
    with django_capture_on_commit_callbacks(execute=True):
        result = run_vote(in_office=3, present=3, votes_for=3)
    assert ("governance.tasks.result_render_pdfs", (result.pk,)) in calls


@pytest.mark.django_db
def test_a_briefing_is_laid_out_like_seed_003_and_escapes_html(tmp_path):
    body = BodyFactory(name="理事会")
    secretariat = BodyFactory(alliance=body.alliance, name="秘书处", kind=Body.Kind.SECRETARIAT)
    briefing = services.briefing_create(
        actor=None, alliance=body.alliance, issued_on=datetime.date(2010, 10, 18), issuers=[body, secretariat],
        reported_to="教育部师范教育司", distributed_to="全国教师教育网络联盟成员单位",
        contact="全国教师教育网络联盟秘书处 （010）58800182",
        articles=[(1, "六所部属师范大学签署合作协议", "第一段<b>不加粗</b>\n\n第二段"), (2, "一、酝酿出台方案", "正文")],
    )
    services.briefing_publish(actor=None, briefing=briefing)
    tasks.briefing_render_pdf(briefing.pk)
    briefing.refresh_from_db()
    text = _pdf(briefing.pdf.path, "pdftotext")
    for expected in ("工作简报", "2010年第1期", f"{body.alliance.name}理事会", f"{body.alliance.name}秘书处",
                     "2010年10月18日", "报：教育部师范教育司", "发：全国教师教育网络联盟成员单位",
                     "联系单位：全国教师教育网络联盟秘书处", "一、酝酿出台方案", "<b>不加粗</b>"):
        assert expected in text, expected


@pytest.mark.django_db
def test_only_people_with_access_download_the_resolution(client):
    result = run_vote(in_office=3, present=3, votes_for=3)
    tasks.result_render_pdfs(result.pk)
    url = reverse("governance:result_pdf", args=[result.motion_id, "resolution"])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    director = result.motion.meeting.body.seats.first().user
    client.force_login(director)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_resolution_with_an_embedded_cjk_font(celery_worker, worker_env):
    result = run_vote(in_office=3, present=3, votes_for=3)
    wait_for(lambda: Result.objects.filter(pk=result.pk).exclude(resolution_pdf="").exists(), timeout=60)
    result.refresh_from_db()
    path = f"{worker_env['MEDIA_ROOT']}/{result.resolution_pdf.name}"
    fonts = _pdf(path, "pdffonts")
    cjk = [line for line in fonts.splitlines() if re.search(r"[A-Z]{6}\+Noto-?(Sans|Serif)-?CJK", line)]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk)
    assert "议案获得通过" in _pdf(path, "pdftotext")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_a_published_briefing(celery_worker):
    body = BodyFactory()
    briefing = services.briefing_create(actor=None, alliance=body.alliance, issued_on=datetime.date(2026, 1, 5),
                                        issuers=[body], articles=[(1, "标题", "正文")])
    services.briefing_publish(actor=None, briefing=briefing)
    wait_for(lambda: Briefing.objects.filter(pk=briefing.pk).exclude(pdf="").exists(), timeout=60)


@pytest.mark.django_db
def test_the_sweep_enqueues_pdfs_whose_enqueue_was_lost(monkeypatch):
    calls = []
    monkeypatch.setattr("alliance.queueing.enqueue", lambda task, *args: calls.append((getattr(task, "name", task), args)))
    result = run_vote(in_office=3, present=3, votes_for=3)  # on_commit never runs here: the enqueue is "lost"
    tasks.pdf_sweep()
    assert ("governance.tasks.result_render_pdfs", (result.pk,)) in calls
    tasks.result_render_pdfs(result.pk)
    calls.clear()
    tasks.pdf_sweep()
    assert calls == []
