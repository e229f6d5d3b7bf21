"""Certificates rendered by tasks (called directly, then through a real worker), sweeps and the daily job."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import wait_for
from alliance.models import Email
from members import services, tasks
from members.documents import qr_data_url
from members.models import Certificate, Member
from members.tests.factories import admitted_member, alliance_with


def pdf_fonts(path):
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def embedded_fonts(path):
    """pdffonts' rows, each checked to be embedded, subset and with a Unicode map ("emb sub uni")."""
    rows = pdf_fonts(path).splitlines()[2:]
    assert all(re.search(r" yes +yes +yes ", row) for row in rows), rows
    return rows


def pdf_text(path):
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.replace(" ", "")  # the title is letter-spaced


@pytest.mark.django_db
def test_the_render_task_makes_the_pdf_once(tmp_path):
    member, _ = admitted_member()
    certificate = Certificate.objects.get(member=member)
    tasks.certificate_render(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.READY
    assert certificate.file.name == f"members/certificates/{certificate.token}.pdf"
    path = Path(certificate.file.path)
    text = pdf_text(path)
    assert "成员证书" in text and member.name in text and member.number in text
    mtime = path.stat().st_mtime_ns
    emails = Email.objects.filter(subject__contains="证书已生成").count()
    tasks.certificate_render(certificate.pk)  # a second delivery of the same message does nothing
    assert path.stat().st_mtime_ns == mtime
    assert Email.objects.filter(subject__contains="证书已生成").count() == emails == 2  # the account, the liaison


@pytest.mark.django_db
def test_the_certificate_is_set_in_one_embedded_font():
    member, _ = admitted_member()
    certificate = Certificate.objects.get(member=member)
    tasks.certificate_render(certificate.pk)
    certificate.refresh_from_db()
    fonts = embedded_fonts(certificate.file.path)
    assert len(fonts) == 1 and "+Noto-Serif-CJK-SC-GB2312 " in fonts[0], fonts


@pytest.mark.django_db
def test_a_name_with_a_character_outside_gb2312_is_set_from_the_full_font():
    member, _ = admitted_member(unit_name="北京市海淀区王堃喆玥实验学校")
    certificate = Certificate.objects.get(member=member)
    tasks.certificate_render(certificate.pk)
    certificate.refresh_from_db()
    fonts = embedded_fonts(certificate.file.path)
    assert sorted(row.split()[0].split("+")[1] for row in fonts) == ["Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-GB2312"]
    assert "王堃喆玥" in pdf_text(certificate.file.path)


@pytest.mark.django_db
def test_a_revoked_certificate_is_not_rendered():
    member, staff = admitted_member()
    old = Certificate.objects.get(member=member)
    services.certificate_reissue(actor=staff, member=member)
    tasks.certificate_render(old.pk)
    old.refresh_from_db()
    assert old.status == Certificate.Status.PENDING and not old.file


def test_the_qr_code_is_an_embedded_png_of_the_verify_address():
    url = qr_data_url("http://127.0.0.1:8000/verify/abc/")
    assert url.startswith("data:image/png;base64,")


@pytest.mark.django_db
def test_the_sweep_re_enqueues_pending_certificates(monkeypatch):
    member, _ = admitted_member()
    certificate = Certificate.objects.get(member=member)
    Certificate.objects.filter(pk=certificate.pk).update(created_at="2020-01-01T00:00Z")
    sent = []
    monkeypatch.setattr("alliance.queueing.enqueue", lambda task, *args: sent.append((task.name, args)))
    tasks.certificate_sweep()
    assert sent == [("members.tasks.certificate_render", (certificate.pk,))]


@pytest.mark.django_db
def test_the_daily_task_runs_the_expiry_job():
    alliance = alliance_with(member_term_years=5)
    member, _ = admitted_member(alliance=alliance)
    Member.objects.filter(pk=member.pk).update(term_ends_on="2020-01-01", admitted_on="2015-01-01")
    assert tasks.members_expiry_daily() == {"lapsed": 1, "reminded": 0}
    assert tasks.members_expiry_daily() == {"lapsed": 0, "reminded": 0}


def test_the_beat_schedule_runs_the_daily_job_and_the_sweep():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"members.tasks.members_expiry_daily", "members.tasks.certificate_sweep"} <= tasks_scheduled


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_certificate_with_a_cjk_font(celery_worker, worker_env, client):
    member, _ = admitted_member()  # the approval enqueues the render after commit
    certificate = wait_for(
        lambda: Certificate.objects.filter(member=member, status=Certificate.Status.READY).first(), timeout=60
    )
    path = Path(worker_env["MEDIA_ROOT"]) / certificate.file.name
    assert path.read_bytes().startswith(b"%PDF-")
    fonts = pdf_fonts(path)
    assert "Noto-Serif-CJK-SC" in fonts or "NotoSerifCJK" in fonts, fonts
    assert "成员证书" in pdf_text(path)
    client.force_login(member.user)
    response = client.get(reverse("members:certificate_download", args=[certificate.pk]))
    assert response.status_code == 200
    # The certificate-ready e-mail leaves through the worker too.
    wait_for(Email.objects.filter(subject__contains="证书已生成", sent_at__isnull=False).exists, timeout=60)
