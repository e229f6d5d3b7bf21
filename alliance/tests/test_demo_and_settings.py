"""The demo loader and the production settings."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from alliance.models import Alliance
from alliance.permissions import alliances_managed_by


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_loaddemo_loads_the_seed_alliances_and_a_second_run_changes_nothing():
    """One test, because loading the demo takes seconds: content, scoping, then idempotency."""
    from alliance.models import User
    from governance.models import Seat

    call_command("loaddemo", stdout=StringIO())
    names = set(Alliance.objects.filter(kind="alliance").values_list("name", flat=True))
    assert names == {"靠谱 COP 联盟", "内蒙古自治区教师教育协同创新联盟", "广州市市级教师发展中心联盟", "全国教师教育网络联盟"}

    cop = Alliance.objects.get(slug="cop").rules  # 000 arts. 9, 12, 14-16, 19
    assert (cop.quorum_numerator, cop.quorum_denominator, cop.pass_numerator, cop.pass_denominator) == (2, 3, 2, 3)
    assert (cop.officer_age_limit, cop.officer_term_years, cop.officer_max_terms) == (70, 4, 2)
    assert cop.withdrawal_notice_months == 1 and cop.dues_apply
    nmg = Alliance.objects.get(slug="nmg").rules  # 001 arts. 17-19
    assert nmg.member_term_years == 5 and nmg.withdrawal_needs_approval and not nmg.admits_individuals
    assert Alliance.objects.get(slug="gz").rules.rotating_chair_years == 1  # 002 art. 6

    holders = {(s.body.alliance.slug, s.get_role_display(), s.holder_name)
               for s in Seat.objects.select_related("body__alliance")}
    assert {("cop", "理事长", "陈莉"), ("cop", "主任", "王陆"), ("cop", "秘书长", "张敏霞"),
            ("jswl", "组长", "韩震"), ("jswl", "副组长", "陈时见")} <= holders

    cop_staff = User.objects.get(email="cop-staff@demo.test")
    assert [a.slug for a in alliances_managed_by(cop_staff)] == ["cop"]

    first = row_counts()
    call_command("loaddemo", stdout=StringIO())
    assert row_counts() == first


def _manage(*args, **env):
    unset = ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    full_env = {k: v for k, v in os.environ.items() if k not in unset}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_debug_is_off_unless_the_environment_turns_it_on():
    show = "from django.conf import settings; print(settings.DEBUG)"
    result = _manage("shell", "--no-imports", "-c", show)  # no DEBUG, no SECRET_KEY
    assert result.stdout.splitlines()[-1] == "False", result.stderr
    result = _manage("shell", "--no-imports", "-c", show, DEBUG="1")
    assert result.stdout.splitlines()[-1] == "True", result.stderr


def test_management_commands_that_sign_nothing_run_without_a_secret_key():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_serve_without_a_secret_key():
    unset = ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run([sys.executable, "-c", "import alliance.wsgi"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr


def test_the_worker_refuses_to_start_without_a_secret_key():
    unset = ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    celery = str(Path(sys.executable).with_name("celery"))
    result = subprocess.run([celery, "-A", "alliance", "worker", "--loglevel=ERROR"], cwd=settings.BASE_DIR,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     DEBUG="0", SECRET_KEY="x" * 64 + "-Production-Secret-Key-0123456789", ALLOWED_HOSTS="portal.example.cn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_cache_url_selects_the_redis_cache_that_fails_soft_and_anything_else_is_refused():
    show = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = _manage("shell", "--no-imports", "-c", show, CACHE_URL="redis://127.0.0.1:6379/1", DEBUG="1")
    assert result.stdout.splitlines()[-1] == "alliance.cache.FailSoftRedisCache", result.stderr
    result = _manage("shell", "--no-imports", "-c", show, CACHE_URL="", DEBUG="1")
    assert result.stdout.splitlines()[-1] == "django.core.cache.backends.filebased.FileBasedCache", result.stderr
    result = _manage("check", CACHE_URL="memcached://127.0.0.1:11211", DEBUG="1")
    assert result.returncode != 0 and "CACHE_URL must be" in result.stderr


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 64 + "-Production-Secret-Key-0123456789",
              "ALLOWED_HOSTS": "portal.example.cn"}
S3 = {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "portal-media", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9"}


def test_media_storage_s3_selects_the_private_object_store_and_needs_a_bucket():
    show = "from django.core.files.storage import storages; s = storages['default']; print(type(s).__name__, s.bucket_name)"
    result = _manage("shell", "--no-imports", "-c", show, DEBUG="1", **S3)
    assert result.stdout.splitlines()[-1] == "PrivateS3Storage portal-media", result.stderr
    result = _manage("check", DEBUG="1", MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="")
    assert result.returncode != 0 and "needs AWS_STORAGE_BUCKET_NAME" in result.stderr
    result = _manage("check", DEBUG="1", MEDIA_STORAGE="nfs")
    assert result.returncode != 0 and "MEDIA_STORAGE must be" in result.stderr


def test_the_deploy_check_asks_several_machines_to_share_the_cache_and_the_broker():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", CACHE_URL="", CELERY_BROKER_URL="filesystem://",
                     **PRODUCTION, **S3)
    assert result.returncode != 0
    assert "alliance.W001" in result.stderr and "alliance.W002" in result.stderr
    result = _manage("check", "--deploy", "--fail-level", "WARNING", CACHE_URL="redis://127.0.0.1:6379/1",
                     CELERY_BROKER_URL="redis://127.0.0.1:6379/0", **PRODUCTION, **S3)
    assert result.returncode == 0, result.stdout + result.stderr
