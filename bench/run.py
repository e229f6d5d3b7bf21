"""`make bench`: seed PostgreSQL, serve with gunicorn + Celery on Redis, drive load, measure the figures as ratios
to floors (bench/floors.py), write bench/RESULTS.md.

    .venv/bin/python -m bench.run [--rebuild] [--port 8765]

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_portal), BENCH_REDIS_URL
(default redis://127.0.0.1:6379/6). Every process started here is stopped at the end (process groups).
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import servers

ROOT = servers.ROOT
VAR = ROOT / "var" / "bench"
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_portal")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
ENV = {
    "DATABASE_URL": DB_URL, "CELERY_BROKER_URL": REDIS_URL, "CACHE_URL": REDIS_URL, "VAR_DIR": str(VAR),
    "MEDIA_ROOT": str(VAR / "media"), "STATIC_ROOT": str(VAR / "static"), "SITE_URL": "http://127.0.0.1:8765",
    "DB_CONN_MAX_AGE": "60",
}


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def ensure_database(rebuild):
    servers.database_ensure(DB_URL, rebuild=rebuild, log=log)


def machine():
    import redis
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    model = platform.processor() or ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "cores": os.cpu_count(), "memory": f"{mem_kb / 1024 / 1024:.1f} GiB", "cpu": model,
        "postgresql": pg, "redis": redis.Redis.from_url(REDIS_URL).info("server")["redis_version"],
        "python": platform.python_version(), "load": os.getloadavg(),
    }


def sessions_for(users):
    """Server-side sessions for accounts, as a login would leave them (the load process only carries cookies)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    return keys


def drive(spec, base_url):
    """Run one scenario in a separate process (bench/load.py) and return its JSON answer."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"base_url": base_url, **spec}, f)
    try:
        done = subprocess.run([sys.executable, "-m", "bench.load", f.name], cwd=ROOT, capture_output=True, text=True,
                              timeout=spec.get("timeout", 300) + 30, env=servers.bench_env(**ENV))
    finally:
        os.unlink(f.name)
    if done.returncode:
        errors = "\n".join(line for line in done.stderr.splitlines() if "nclosed" not in line and "client_session" not in line)
        raise RuntimeError(f"load {spec['scenario']} failed: {errors[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_applicants(run_id, n=20):
    from django.contrib.auth.hashers import make_password

    from alliance.models import User

    password = make_password("Bench-2026")
    return User.objects.bulk_create(
        [User(email=f"bench-run{run_id}-{i:02d}@bench.test", name=f"并发申请人{i}", password=password) for i in range(n)]
    )


def bench_submit(base_url, run_id):
    from alliance.models import Alliance
    from members.models import Application
    from members.tests.factories import UNIT_DATA

    users = fresh_applicants(run_id)
    targets = [{"slug": a.slug, "unit_type": a.rules.unit_type_list[0]}
               for a in Alliance.objects.select_related("rules").filter(slug__in=["cop", "nmg", "jswl"]).order_by("pk")]
    form = {k: ("on" if v is True else v) for k, v in UNIT_DATA.items() if k != "credit_code"}
    result = drive({"scenario": "submit", "sessions": sessions_for(users), "targets": targets, "form": form}, base_url)
    result["stored"] = Application.objects.filter(applicant__in=users, status="submitted").count()
    result["expected"] = len(users) * len(targets)
    return result


def bench_pages(base_url):
    from alliance.demo import demo_user
    from alliance.models import Alliance
    from members.selectors import member_directory

    cop = Alliance.objects.get(slug="cop")
    pages = -(-member_directory(alliance=cop).count() // 50)
    member_paths = [f"/a/cop/members/?page={p}" for p in range(1, pages + 1)]
    staff_key = sessions_for([demo_user("cop-staff@demo.test")])[0]
    changelist = ["/admin/members/application/", "/admin/members/application/?p=2",
                  "/admin/members/application/?status__exact=submitted"]
    members = drive({"scenario": "pages", "clients": 4, "requests": 50, "paths": member_paths}, base_url)
    admin = drive({"scenario": "pages", "clients": 4, "requests": 25, "paths": changelist, "session": staff_key},
                  base_url)
    members["pages"] = pages
    return members, admin


def bench_throughput(base_url):
    return drive({"scenario": "throughput", "clients": 8, "seconds": 10,
                  "paths": {"members": "/a/cop/members/", "bare": "/bench/bare/"}}, base_url)


def bench_vote(base_url, run_id):
    from django.utils import timezone

    from alliance.models import User
    from governance import services
    from governance.models import Ballot, Body, Meeting, Motion

    council = Body.objects.get(alliance__slug="cop", name="理事会")
    meeting, _ = Meeting.objects.get_or_create(
        body=council, title=f"基准测试理事会会议 {timezone.localdate()}",
        defaults={"date": timezone.localdate(), "form": "in_person", "place": "会议室"},
    )
    motion = services.motion_create(actor=None, meeting=meeting, kind=Motion.Kind.OTHER, title=f"基准测试议案 {run_id}")
    services.vote_open(actor=None, motion=motion)
    directors = list(User.objects.filter(email__startswith="bench-director-").order_by("email")[:100])
    result = drive({"scenario": "vote", "sessions": sessions_for(directors), "path": f"/governance/motions/{motion.pk}/",
                    "vote_path": f"/governance/motions/{motion.pk}/vote/"}, base_url)
    result["ballots"] = Ballot.objects.filter(motion=motion).count()
    return result


TASK_LINE = re.compile(rb"Task members\.tasks\.certificate_render\[[^\]]+\] succeeded in ([0-9.]+)s")


def _reissue(members):
    """Re-issue through the real service (revoke + new pending certificate + enqueue after commit)."""
    from django.db import transaction

    from alliance.demo import demo_user
    from members import services

    staff = demo_user("cop-staff@demo.test")
    with transaction.atomic():
        certs = [services.certificate_reissue(actor=staff, member=m, reason="基准测试换发") for m in members]
        started = time.perf_counter()  # the enqueues run at commit: the clock starts here
    return [c.pk for c in certs], started


def _wait_ready(ids, timeout):
    from members.models import Certificate

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Certificate.objects.filter(pk__in=ids, status="ready").count() == len(ids):
            break
        time.sleep(0.25)
    certs = list(Certificate.objects.filter(pk__in=ids, status="ready"))
    return [c for c in certs if c.file and Path(c.file.path).exists()]


def _worker_runtimes(log_path, offset):
    return [float(x) * 1000 for x in TASK_LINE.findall(Path(log_path).read_bytes()[offset:])]


def bench_certificates(worker_log):
    from members.models import Member

    active = list(Member.objects.filter(alliance__slug="cop", status="active").order_by("pk")[:1050])
    offset = Path(worker_log).stat().st_size
    ids, _ = _reissue(active[:50])
    ready = _wait_ready(ids, timeout=300)
    time.sleep(1)
    runtimes = _worker_runtimes(worker_log, offset)
    sizes = [Path(c.file.path).stat().st_size for c in ready]
    single = {"n": len(ready), "runtimes": len(runtimes), "median_ms": statistics.median(runtimes) if runtimes else None,
              "min_ms": min(runtimes, default=None), "max_ms": max(runtimes, default=None),
              "max_kb": max(sizes, default=0) / 1024, "median_kb": statistics.median(sizes) / 1024 if sizes else 0}
    offset = Path(worker_log).stat().st_size
    ids, started = _reissue(active[50:1050])
    ready = _wait_ready(ids, timeout=600)
    wall = time.perf_counter() - started
    runtimes = _worker_runtimes(worker_log, offset)
    batch = {"n": len(ready), "expected": len(ids), "wall_s": wall,
             "median_ms": statistics.median(runtimes) if runtimes else None}
    return single, batch


def _other_sections(text):
    """The marked sections (``<!-- name -->`` … ``<!-- /name -->``) other parts of the benchmark wrote, but floors'."""
    return [m.group(0) for m in re.finditer(r"<!-- ([a-z0-9_-]+) -->.*?<!-- /\1 -->", text, re.S)
            if m.group(1) != "floors"]


def write_results(figures, info, notes):
    from bench import floors

    f = figures
    path = ROOT / "bench" / "RESULTS.md"
    kept = _other_sections(path.read_text(encoding="utf-8")) if path.exists() else []
    lines = [
        "# Benchmark results", "",
        f"Run: {f['date']} (UTC), `make bench`, seed {'built' if f['seeded'] else 'reused'} in this run.", "",
        "## Machine", "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; memory {info['memory']}",
        f"- PostgreSQL {info['postgresql']}, Redis {info['redis']}, Python {info['python']}",
        f"- Load average before the run: {' / '.join(f'{x:.2f}' for x in info['load'])}; after: "
        f"{' / '.join(f'{x:.2f}' for x in f['load_after'])}",
        "- In-process figures: django.test.Client through the full middleware stack, bench settings (DEBUG off), "
        "the Redis cache and broker; Celery workers for the certificates: prefork, Redis broker.",
        "", floors.section(f["floors"], f.get("workers")), "",
        *[part for section in kept for part in (section, "")],
        "## Notes", "", *notes, "",
        *([(ROOT / "bench" / "FINDINGS.md").read_text(encoding="utf-8"), ""]
          if (ROOT / "bench" / "FINDINGS.md").exists() else []),
        "## Raw figures", "", "```json", json.dumps(f, ensure_ascii=False, indent=1, default=str), "```", "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


NOTES = [
    "- **Served scenarios.** `make bench` still serves the portal with gunicorn (3 workers × 4 threads, gthread) and "
    "drives bursts from a separate asyncio process (aiohttp) before the floors: 20 concurrent submits, the member "
    "list, the changelist, 100 simultaneous ballots (exactly 100 stored), 50 certificates and the 1,000 batch, req/s "
    "of the member list against a bare view. Their absolute latencies are kept under Raw figures only: on this "
    "2-core machine the same figure moves 2–4× from one day to the next, so the table above gives ratios instead.",
    "- **Contention.** The load client, gunicorn, the Celery worker, PostgreSQL and Redis share the machine's 2 "
    "cores; the load averages above show whether anything else ran. Latencies are end-to-end from the client "
    "(loopback, no TLS).",
    "- Sign-in is done by creating server-side sessions for the accounts (what a login leaves), so that 120 "
    "password hashes (PBKDF2, ~0.3–1 s each) do not dominate the run; every measured request is the real view with "
    "session, CSRF and permission checks.",
    "- Submit: each of 20 fresh applicant accounts opens the real form (GET, for the CSRF token; not timed) and "
    "submits a complete unit application (POST, timed: one save-and-submit service call with the outbox e-mail, "
    "then the enqueue), once per alliance that takes unit applications (cop, nmg, jswl): 60 timed POSTs, all 20 "
    "clients at once.",
    "- Pages: the member list walks all pages of the largest alliance's 成员名录 (cop); the changelist is the admin "
    "applications list (first, second and a filtered page) as the cop secretariat account.",
    "- Vote: a new motion on a bench meeting of the cop council is opened through the governance service each run; "
    "100 director accounts fetch the motion page, then all POST to the real vote endpoint at the same moment "
    "(casts share the motion's lock; a close waits for them and later casts wait for the close).",
    "- Certificates: re-issued through `members.services.certificate_reissue` (revoke + new pending + enqueue "
    "after commit); the render time is the task's own runtime as Celery's worker logs it (`succeeded in …s`), "
    "without queue wait; the 1,000 batch is timed from the commit (when the enqueues happen) until all 1,000 "
    "rows are ready and their files exist.",
    "- Seed: demo data (`loaddemo`) plus bulk rows written with history (applications with their events, members "
    "numbered through the counters, liaisons, pending certificates as issued at admission, 100 director seats, "
    "scheduled meetings with draft motions). Seeded outbox e-mails and past votes are not generated.",
]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true", help="drop and re-seed the benchmark database")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="submit,pages,throughput,vote,certificates,floors",
                        help="comma-separated scenarios (RESULTS.md is written only when all ran)")
    args = parser.parse_args(argv)
    os.environ.update(servers.bench_env(**ENV))
    VAR.mkdir(parents=True, exist_ok=True)
    ensure_database(args.rebuild)
    import django

    django.setup()
    from bench.seed import seed

    started = time.monotonic()
    seeded = seed(out=log)
    log(f"seed ready in {time.monotonic() - started:.0f}s")
    env = servers.bench_env(**ENV)
    servers.manage("collectstatic", "--noinput", "-v", "0", env=env)
    import redis

    # Our DB only: no demo tasks or cached pages left over to pollute the timings.
    redis.Redis.from_url(REDIS_URL).flushdb()
    info = machine()
    base_url = f"http://127.0.0.1:{args.port}"
    run_id = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
    processes = []
    only = set(args.only.split(","))
    try:
        processes.append(servers.gunicorn(env=env, port=args.port, log=VAR / "gunicorn.log"))
        worker_log = VAR / "worker.log"
        processes.append(servers.celery_worker(env=env, concurrency=2, log=worker_log))
        figures = {"date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"), "seeded": seeded}
        scenarios = [  # name, the figures it fills, how to run it
            ("submit", ["submit"], lambda: [bench_submit(base_url, run_id)]),
            ("pages", ["members", "admin"], lambda: bench_pages(base_url)),
            ("throughput", ["rps"], lambda: [bench_throughput(base_url)]),
            ("vote", ["vote"], lambda: [bench_vote(base_url, run_id)]),
            ("certificates", ["pdf", "batch"], lambda: bench_certificates(worker_log)),
        ]
        for name, keys, scenario in scenarios:
            if name in only:
                log(name)
                figures.update(zip(keys, scenario(), strict=True))
                log("  " + " ".join(str(figures[key]) for key in keys))
    finally:
        for process in reversed(processes):
            process.stop()
    if "floors" in only:
        from bench import floors

        log("floors")
        servers.manage("migrate", "--run-syncdb", "-v", "0", env=env)  # floor B's table
        figures["floors"] = floors.measure(100)
        log("workers")
        figures["workers"] = floors.workers(1000)
    figures["load_after"] = os.getloadavg()
    if "floors" in figures:
        write_results(figures, info, NOTES)
        log("wrote bench/RESULTS.md")
    return figures


if __name__ == "__main__":
    main()
