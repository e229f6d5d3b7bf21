"""Drill 4: the portal on two machines that share no disk, then one of them lost.

Two "hosts", each with its own empty working directory (VAR_DIR, MEDIA_ROOT, mail, collected static files): on each a
gunicorn (one worker process), a Celery worker and a Celery beat. One PostgreSQL, one Redis (broker, cache and the
beat claims) and moto's S3 server on loopback as the media store (MEDIA_STORAGE=s3). Checked:

- an application submitted through web A is approved through web B (the secretariat's page in the admin); its
  certificate is rendered by whichever worker takes it and downloads through both web processes, the same bytes as
  the object in the bucket, with the private-file headers; no host has a file of its own;
- both workers rendered certificates; each periodic job ran once per period although two beats ran;
- req/s of the member directory, signed in, with both web processes ÷ with one (the load client on the same
  2 cores);
- host A (its web process, worker and beat) killed with SIGKILL: host B takes a second application, approves it,
  renders its certificate and serves it, and its beat goes on sending the periodic jobs.

The figures are printed and written to bench/RESULTS.md between the drill markers.
"""

import asyncio
import datetime
import hashlib
import os
import re
import shutil
import signal
import sys
import time
import urllib.request
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common import ROOT, Browser, Check, DrillFailed, Stack, free_port, log, run, wait_until  # noqa: E402
from redis_down import FORM  # noqa: E402

from bench.load import signed_in  # noqa: E402

MEMBERS = 20
BUCKET = "drill-media"
LOAD_SECONDS = 6
LOAD_ROUNDS = 5
LOAD_CLIENTS = 8
SWEEP = "members.tasks.certificate_sweep"
SWEEP_PERIOD = 60
RESULTS = ROOT / "bench" / "RESULTS.md"
MARKERS = ("<!-- drill -->", "<!-- /drill -->")
LOG_TIME = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+: INFO/[^\]]+\] Task (\S+)\[[^\]]+\] succeeded")


class Host:
    """One machine: its own directory and ports; its processes are named after it in the stack."""

    def __init__(self, stack, name, s3_url):
        self.stack, self.name = stack, name
        self.dir = stack.dir / f"host-{name}"
        (self.dir / "var").mkdir(parents=True)
        shutil.copytree(stack.static, self.dir / "static")  # what a deploy puts on every machine
        self.port = free_port(stack.web_port + (0 if name == "a" else 10))
        self.url = f"http://127.0.0.1:{self.port}"
        self.media = self.dir / "media"
        self.s3_url = s3_url

    def env(self, **extra):
        return self.stack.env(
            VAR_DIR=self.dir / "var", MEDIA_ROOT=self.media, STATIC_ROOT=self.dir / "static",
            EMAIL_FILE_PATH=self.dir / "mail", MEDIA_STORAGE="s3", AWS_S3_ENDPOINT_URL=self.s3_url,
            AWS_STORAGE_BUCKET_NAME=BUCKET, AWS_S3_REGION_NAME="us-east-1", AWS_ACCESS_KEY_ID="drill",
            AWS_SECRET_ACCESS_KEY="drill-secret", SITE_URL=self.url, **extra,
        )

    def start(self):
        py = str(ROOT / ".venv" / "bin" / "python")
        self.stack.spawn(f"worker-{self.name}", [
            py, "-m", "celery", "-A", "alliance", "worker", "--concurrency=1", "--loglevel=INFO", "--without-gossip",
            "--without-mingle", "--without-heartbeat", "-n", f"host-{self.name}@%h"], env=self.env())
        self.stack.spawn(f"beat-{self.name}", [
            py, "-m", "celery", "-A", "alliance", "beat", "--loglevel=INFO",
            "--schedule", str(self.dir / "var" / "celerybeat-schedule")], env=self.env(LOG_LEVEL="INFO"))
        self.web_start()
        wait_until(lambda: b" ready." in (self.stack.dir / f"worker-{self.name}.log").read_bytes(), timeout=90,
                   what=f"worker {self.name}")

    def web_start(self):
        proc = self.stack.spawn(f"web-{self.name}", [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "alliance.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", "1", "--threads", "4", "--worker-class", "gthread", "--timeout", "30",
            "--graceful-timeout", "5"], env=self.env())

        def up():
            if proc.poll() is not None:
                raise DrillFailed(f"gunicorn {self.name} exited:\n{self.stack.log_tail(f'web-{self.name}')}")
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(up, timeout=90, what=f"gunicorn {self.name}")

    def kill(self):
        for what in ("web", "worker", "beat"):
            self.stack.kill(f"{what}-{self.name}", signal.SIGKILL, wait=5)

    def files(self):
        return [p for p in self.media.rglob("*") if p.is_file()] if self.media.exists() else []


def task_runs(stack, host, task):
    """The runs of the task on this host's worker, as its log tells them (one line each, when it finished)."""
    path = stack.dir / f"worker-{host}.log"
    runs = []
    for line in path.read_text(errors="replace").splitlines() if path.exists() else []:
        match = LOG_TIME.match(line)
        if match and match.group(2) == task:
            runs.append(match.group(1))
    return runs


def apply(web, email, password, slug):
    """An application submitted through one web process; its pk."""
    browser = Browser(web.url)
    browser.login(email, password)
    path = f"/members/apply/{slug}/individual/"
    status, headers, _ = browser.request(path, {**FORM, "email": email, "csrfmiddlewaretoken": browser.csrf(path)})
    match = re.search(r"/members/applications/(\d+)/", headers.get("Location", ""))
    if status != 302 or not match:
        raise DrillFailed(f"submit through {web.name} answered {status}")
    return int(match.group(1))


def approve(web, staff, password, pk):
    """The secretariat approves on the application's page in the admin of one web process."""
    browser = Browser(web.url)
    browser.login(staff, password)
    path = f"/admin/members/application/{pk}/change/"
    status, headers, _ = browser.request(path, {"csrfmiddlewaretoken": browser.csrf(path), "_approve": "1",
                                                "reason": ""})
    return status == 302 and headers.get("Location", "").endswith("/admin/members/application/")


def download(web, email, password, certificate_pk):
    browser = Browser(web.url)
    browser.login(email, password)
    req = urllib.request.Request(f"{web.url}/members/certificates/{certificate_pk}/")
    with browser.opener.open(req, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def certificate_of(stack, application_pk):
    rows = stack.sql(f"SELECT c.id, c.status, c.file FROM members_certificate c JOIN members_member m "
                     f"ON m.id = c.member_id WHERE m.application_id = {application_pk}")
    return rows[0] if rows else None


def session_key(web, email, password):
    """A signed-in session made on one web process, as its cookie's value."""
    browser = Browser(web.url)
    browser.login(email, password)
    return next(cookie.value for cookie in browser.jar if cookie.name == "sessionid")


async def _directory_rates(a, b, path, email, password):
    """req/s answered 200 with one web process, then with both, LOAD_ROUNDS times interleaved: LOAD_CLIENTS signed-in
    keep-alive clients, all on A, or half on each (each client signed in once on its own host; the sessions are
    the database's, so a session made on one host would work on the other too)."""
    async def sessions(hosts):
        return [signed_in(hosts[i % len(hosts)].url, session_key(hosts[i % len(hosts)], email, password))
                for i in range(LOAD_CLIENTS)]

    one_host, two_hosts = await sessions([a]), await sessions([a, b])
    one, two = [], []
    try:
        await throughput_of(two_hosts, path, 2)  # warm both caches and connections
        for _ in range(LOAD_ROUNDS):
            one.append(await throughput_of(one_host, path, LOAD_SECONDS))
            two.append(await throughput_of(two_hosts, path, LOAD_SECONDS))
    finally:
        for session in one_host + two_hosts:
            await session.close()
    return one, two


async def throughput_of(sessions, path, seconds):
    done, failed = 0, 0
    deadline = time.perf_counter() + seconds

    async def loop(session):
        nonlocal done, failed
        while time.perf_counter() < deadline:
            status, _, _ = await session.get(path)
            done += status == 200
            failed += status != 200

    started = time.perf_counter()
    await asyncio.gather(*(loop(s) for s in sessions))
    if failed:
        raise DrillFailed(f"{failed} answers from {path} were not 200")
    return done / (time.perf_counter() - started)


def write_results(text):
    start, end = MARKERS
    current = RESULTS.read_text() if RESULTS.exists() else ""
    block = f"{start}\n{text.rstrip()}\n{end}"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        current = before + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(current)


def main():
    check = Check()
    started = time.monotonic()
    with Stack("hosts") as stack:
        stack.boot()
        stack.manage("collectstatic", "--noinput")
        s3_port = free_port(5390)
        s3_url = f"http://127.0.0.1:{s3_port}"
        stack.spawn("s3", [str(ROOT / ".venv" / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)])

        def s3_up():
            try:
                urllib.request.urlopen(s3_url, timeout=1).close()
                return True
            except OSError:
                return False

        wait_until(s3_up, timeout=60, what="moto_server")
        s3 = boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1", aws_access_key_id="drill",
                          aws_secret_access_key="drill-secret")
        s3.create_bucket(Bucket=BUCKET)
        made = stack.fixture("several", MEMBERS)
        slug, password = made["slug"], made["password"]
        hosts = {name: Host(stack, name, s3_url) for name in ("a", "b")}
        beats_started = time.monotonic()
        for host in hosts.values():
            host.start()
        a, b = hosts["a"], hosts["b"]
        log(f"host a :{a.port}, host b :{b.port}, S3 :{s3_port}, PostgreSQL :{stack.pg_port}, Redis :{stack.redis_port}")

        ready_sql = (f"SELECT count(*) FROM members_certificate c JOIN members_member m ON m.id = c.member_id "
                     f"WHERE m.alliance_id = {made['alliance_id']} AND c.status = 'ready'")
        wait_until(lambda: stack.sql_value(ready_sql) >= MEMBERS, timeout=300, interval=0.5,
                   what=f"{MEMBERS} certificates")
        by_worker = {name: len(task_runs(stack, name, "members.tasks.certificate_render")) for name in hosts}
        check("both workers rendered certificates (no shared disk)", all(by_worker.values()), by_worker)

        # An application submitted through A, approved through B, its certificate downloaded through both.
        first = apply(a, made["emails"][0], password, slug)
        check("an application submitted through web A", True, f"application {first}")
        check("approved through web B (the admin's application page)", approve(b, made["staff"], password, first))
        cert = wait_until(lambda: (c := certificate_of(stack, first)) and c[1] == "ready" and c, timeout=120,
                          what="the first certificate")
        answers = {name: download(host, made["emails"][0], password, cert[0]) for name, host in hosts.items()}
        stored = s3.get_object(Bucket=BUCKET, Key=cert[2])["Body"].read()
        digests = {name: hashlib.sha256(body).hexdigest()[:12] for name, (_, _, body) in answers.items()}
        check("the certificate downloads through web A and web B, the same bytes as the bucket's object",
              all(status == 200 and body == stored and body.startswith(b"%PDF-")
                  for status, _, body in answers.values()), digests)
        headers = answers["b"][1]
        check("with the private-file headers", headers.get("X-Content-Type-Options") == "nosniff"
              and headers.get("Content-Type") == "application/pdf"
              and headers.get("Content-Length") == str(len(stored))
              and headers.get("Content-Disposition", "").startswith("attachment;"),
              {k: headers.get(k) for k in ("Content-Type", "Content-Length")})
        objects = s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)
        local = {name: len(host.files()) for name, host in hosts.items()}
        check("every file is in the bucket, none on a host's disk", objects == MEMBERS + 1 and not any(local.values()),
              f"{objects} objects, host files {local}")

        # Throughput of the member directory: one web process, then both, interleaved.
        directory = f"/a/{slug}/members/"
        one, two = asyncio.run(_directory_rates(a, b, directory, made["staff"], password))
        # Each round of two processes against the round of one just before it: the other load on the machine
        # changes from one minute to the next, far less between two adjacent rounds.
        ratios = sorted(t / o for o, t in zip(one, two, strict=True))
        ratio = ratios[len(ratios) // 2]
        rps_one, rps_two = sorted(one)[len(one) // 2], sorted(two)[len(two) // 2]
        load_average = os.getloadavg()[0]
        log(f"member directory: one web process {[round(x) for x in one]} req/s, two {[round(x) for x in two]} req/s")
        check("two web processes serve the directory ≥ 1.4× one (median of the paired rounds)", ratio >= 1.4,
              f"{ratio:.2f}×, pairs {', '.join(f'{r:.2f}' for r in ratios)}, load average {load_average:.1f}")

        # Host A is lost: its web process, worker and beat, SIGKILL.
        a.kill()
        killed_mono = time.monotonic()
        sweeps_at_kill = len(task_runs(stack, "b", SWEEP))
        log("host a killed (web, worker, beat)")
        second = apply(b, made["emails"][1], password, slug)
        check("host B takes a second application and approves it", approve(b, made["staff"], password, second),
              f"application {second}")
        cert2 = wait_until(lambda: (c := certificate_of(stack, second)) and c[1] == "ready" and c, timeout=120,
                           what="the second certificate")
        status, _, body = download(b, made["emails"][1], password, cert2[0])
        check("its certificate is rendered by worker B and served by web B",
              status == 200 and body == s3.get_object(Bucket=BUCKET, Key=cert2[2])["Body"].read())
        status, _, body = download(b, made["emails"][0], password, cert[0])
        check("the first certificate still downloads through web B", status == 200 and body == stored)
        # Beat B goes on alone: the sweep still runs once a period.
        wait = max(0.0, SWEEP_PERIOD + 10 - (time.monotonic() - killed_mono))
        log(f"waiting {wait:.0f}s for beat B's next sweep")
        time.sleep(wait)
        runs = task_runs(stack, "a", SWEEP) + task_runs(stack, "b", SWEEP)
        after = task_runs(stack, "b", SWEEP)[sweeps_at_kill:]
        elapsed = time.monotonic() - beats_started
        most = int(elapsed // (SWEEP_PERIOD * 0.9)) + 1
        check("two beats sent the sweep once per period", 1 <= len(runs) <= most,
              f"{len(runs)} runs in {elapsed:.0f} s, at most {most}")
        skipped = sum((stack.dir / f"beat-{name}.log").read_text(errors="replace").count("already sent by another beat")
                      for name in hosts)
        check("the other beat found the jobs due and left them to the first", skipped >= 1, f"{skipped} skipped")
        check("beat B sent it after host A was lost", len(after) >= 1, f"{len(after)} after the kill")

    summary = "\n".join([
        "## Several machines (`bench/drills/multi_machine.py`)",
        "",
        f"Two hosts with no shared disk (own VAR_DIR and MEDIA_ROOT), each a gunicorn (1 process, 4 threads), a "
        f"Celery worker (1 process) and a beat; one PostgreSQL, one Redis, moto's S3 server as the media store. "
        f"Measured {datetime.date.today().isoformat()} on this 2-core machine, the load client on the same cores.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| certificates rendered per worker | A {by_worker['a']}, B {by_worker['b']} |",
        "| submitted through A, approved through B, downloaded through A and B | same bytes as the bucket's object |",
        f"| member directory (signed in), one web process, median of {LOAD_ROUNDS} rounds of {LOAD_SECONDS} s | "
        f"{rps_one:.0f} req/s (rounds {', '.join(f'{x:.0f}' for x in one)}) |",
        f"| member directory (signed in), two web processes, rounds interleaved | "
        f"{rps_two:.0f} req/s (rounds {', '.join(f'{x:.0f}' for x in two)}) |",
        f"| two ÷ one, median of the paired rounds (target ≥ 1.4×) | {ratio:.2f}× "
        f"(pairs {', '.join(f'{r:.2f}' for r in ratios)}) |",
        f"| the machine's load average (1 min) after the rounds | {load_average:.1f} on 2 cores |",
        f"| sweep runs with two beats | {len(runs)} in {elapsed:.0f} s (period {SWEEP_PERIOD} s); {skipped} due jobs "
        "left by one beat to the other |",
        "| after host A was killed | second certificate rendered by B and served by B; beat B kept sending |",
        f"| result | {'PASS' if check.passed else 'FAIL'} |",
    ])
    print()
    print(summary)
    print(f"\n  drill wall time {time.monotonic() - started:.0f} s")
    write_results(summary)
    return 0 if check.passed else 1


if __name__ == "__main__":
    run(main)
