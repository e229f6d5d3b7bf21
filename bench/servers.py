"""Start and stop the processes a benchmark measures: gunicorn and Celery workers, on real services."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_env(**extra):
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    env.update(extra)
    return env


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Process:
    def __init__(self, args, *, env, log):
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def gunicorn(*, env, port, workers=3, threads=4, log):
    process = Process(
        [sys.executable, "-m", "gunicorn", "alliance.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--worker-class", "gthread", "--access-logfile", "-", "--log-level", "warning"],
        env=env, log=log,
    )
    wait_http(f"http://127.0.0.1:{port}/healthz")
    return process


def celery_worker(*, env, concurrency, log, name="bench"):
    process = Process(
        [sys.executable, "-m", "celery", "-A", "alliance", "worker", f"--concurrency={concurrency}", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "-n", f"{name}@%h"],
        env=env, log=log,
    )
    wait_log(log, b" ready.")
    return process


def wait_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def wait_log(path, needle, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Path(path).exists() and needle in Path(path).read_bytes():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{needle!r} not in {path} within {timeout}s")


def database_ensure(url, *, rebuild=False, log=print):
    """Create the benchmark database `url` names (dropped first with rebuild); only databases named bench_*."""
    import psycopg2

    server, name = url.rsplit("/", 1)
    assert name.startswith("bench_"), "the benchmark only touches databases named bench_*"
    conn = psycopg2.connect(server + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        if rebuild:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")
    conn.close()
