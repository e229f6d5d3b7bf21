"""Figures as ratios to floors measured in the same run: in-process CPU medians through the full middleware stack.

    .venv/bin/python -m bench.floors [--n 100] [--batch 1000] [--no-workers] [--write]

Each scenario is a request made by django.test.Client with CSRF enforced (the token comes from a GET of the page, as
a browser has it) and sessions through the configured engine, on the benchmark database (bench/seed.py), with
DEBUG off. The scenarios run round-robin, one request of each in turn, so a busy moment of the machine falls on all
of them alike; what is timed is the request alone (this thread's CPU time, time.thread_time: Django, the client and
the database driver, not the database server), its preparation (a new account, a fresh motion, the form's GET)
is not. Query counts are those of one request of each, counted apart from the timed ones (capturing them costs
CPU).

Floors: A a signed-in @login_required GET running one query; B a signed-in POST validating a 3-field form and
inserting one row; C the admin changelist of auth.Group with 50 rows as the superuser; D a one-line Chinese document
through alliance/pdf.py with the certificate's font (bench/urls.py, bench/templates/bench/).

The workers' figure renders certificates through real Celery workers (1 prefork process, then 2) on the bench's
Redis, re-issued through the service as bench/run.py does, timed from the commit to the last file.
"""

import argparse
import itertools
import json
import os
import re
import statistics
import sys
import time
import uuid

from bench import run as bench_run
from bench import servers

ROOT = servers.ROOT
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- floors -->", "<!-- /floors -->"
N_GROUPS = 50
DIRECTORY_USER = "cop-school1@demo.test"
STAFF_USER = "cop-staff@demo.test"
SUPERUSER = "admin@demo.test"

# figure, its floor, the target ratio
FIGURES = [
    ("submit", "B", 2.0, "application submit (complete unit form, new applicant)"),
    ("cast", "B", 1.5, "ballot cast (a director's first ballot on an open motion)"),
    ("changelist", "C", 1.3, "admin applications changelist, 50 rows, as cop staff"),
    ("directory", "A", 1.5, "member directory /a/cop/members/, signed in, cached"),
    ("certificate", "D", 1.5, "certificate render (the worker task's body, in-process)"),
]
FLOORS = {
    "A": "signed-in @login_required GET, one query",
    "B": "signed-in POST, 3-field form, one row inserted",
    "C": "admin changelist of auth.Group, 50 rows, superuser",
    "D": "one-line Chinese PDF through alliance/pdf.py, the certificate's font",
}


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _csrf(html):
    return CSRF_RE.search(html).group(1)


def _client():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)


def _signed_in(email):
    from alliance.models import User

    client = _client()
    client.force_login(User.objects.get(email=email))
    return client


def _get(client, path):
    def request():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    return request


def scenario_a():
    from alliance.models import User

    client = _signed_in(User.objects.filter(email__startswith="bench-applicant-").order_by("pk").first().email)
    return lambda: _get(client, "/bench/floor/a/")


def scenario_b():
    client = _signed_in(SUPERUSER)
    counter = itertools.count()
    path = "/bench/floor/b/"

    def prepare():
        token = _csrf(client.get(path).content.decode())
        i = next(counter)
        data = {"name": f"基准{i}", "email": f"floor{i}@bench.test", "count": str(i), "csrfmiddlewaretoken": token}

        def request():
            response = client.post(path, data)
            assert response.status_code == 302, response.status_code
        return request
    return prepare


def scenario_c():
    from django.contrib.auth.models import Group

    missing = N_GROUPS - Group.objects.count()
    Group.objects.bulk_create([Group(name=f"基准测试组{uuid.uuid4().hex[:8]}") for _ in range(max(missing, 0))])
    client = _signed_in(SUPERUSER)
    return lambda: _get(client, "/admin/auth/group/")


def scenario_d():
    from alliance.pdf import render_pdf

    def request():
        assert render_pdf("bench/floor_d.html", {}).startswith(b"%PDF")
    return lambda: request


def scenario_submit():
    from urllib.parse import urlencode

    from alliance.models import Alliance, User
    from members.tests.factories import UNIT_DATA

    path = "/members/apply/cop/unit/"
    unit_type = Alliance.objects.select_related("rules").get(slug="cop").rules.unit_type_list[0]
    form = {k: ("on" if v is True else v) for k, v in UNIT_DATA.items() if k != "credit_code"}
    run = uuid.uuid4().hex[:8]
    counter = itertools.count()

    def prepare():
        i = next(counter)
        client = _client()
        client.force_login(User.objects.create_user(email=f"floor-{run}-{i}@bench.test", name=f"基准申请人{i}"))
        data = {**form, "unit_type": unit_type, "unit_name": f"基准单位{run}{i}号",
                "csrfmiddlewaretoken": _csrf(client.get(path).content.decode()), "submit": "提交申请"}
        body = urlencode(data)

        def request():
            response = client.post(path, body, content_type="application/x-www-form-urlencoded")
            assert response.status_code == 302, response.status_code
        return request
    return prepare


def scenario_cast():
    from django.utils import timezone

    from alliance.models import User
    from governance import services
    from governance.models import Ballot, Body, Meeting, Motion

    council = Body.objects.get(alliance__slug="cop", name="理事会")
    meeting, _ = Meeting.objects.get_or_create(
        body=council, title=f"基准测试理事会会议 {timezone.localdate()}",
        defaults={"date": timezone.localdate(), "form": "in_person", "place": "会议室"},
    )
    directors = list(User.objects.filter(email__startswith="bench-director-").order_by("email")[:100])
    for director in directors:  # in the room: a ballot of a director not checked in is refused
        services.attendance_check_in(actor=director, meeting=meeting)
    turns = itertools.count()
    state = {}

    def prepare():
        i = next(turns)
        if i % len(directors) == 0:  # each director's first ballot: a new motion when all have voted
            if "motion" in state:  # a refused ballot also answers with a redirect: count the stored ones
                assert Ballot.objects.filter(motion=state["motion"]).count() == len(directors)
            motion = services.motion_create(actor=None, meeting=meeting, kind=Motion.Kind.OTHER,
                                            title=f"基准测试议案 {uuid.uuid4().hex[:8]}")
            services.vote_open(actor=None, motion=motion)
            state["motion"] = motion
        motion = state["motion"]
        client = _client()
        client.force_login(directors[i % len(directors)])
        page = f"/governance/motions/{motion.pk}/"
        data = {"choice": "for", "csrfmiddlewaretoken": _csrf(client.get(page).content.decode())}

        def request():
            response = client.post(f"{page}vote/", data)
            assert response.status_code == 302, response.status_code
        return request
    return prepare


def scenario_changelist():
    client = _signed_in(STAFF_USER)
    return lambda: _get(client, "/admin/members/application/")


def scenario_directory():
    client = _signed_in(DIRECTORY_USER)
    return lambda: _get(client, "/a/cop/members/")


def scenario_certificate():
    from members import services
    from members.models import Certificate

    pending = iter(Certificate.objects.filter(status=Certificate.Status.PENDING, revoked_at__isnull=True)
                   .order_by("pk").values_list("pk", flat=True)[:2000])

    def prepare():
        pk = next(pending)

        def request():
            assert services.certificate_render(certificate_id=pk)
        return request
    return prepare


SCENARIOS = {
    "A": scenario_a, "B": scenario_b, "C": scenario_c, "D": scenario_d, "submit": scenario_submit,
    "cast": scenario_cast, "changelist": scenario_changelist, "directory": scenario_directory,
    "certificate": scenario_certificate,
}


def measure(n, only=None, warmup=3):
    """{scenario: {"cpu_ms": median, "queries": count, "n": n}}, the scenarios interleaved."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    names = [name for name in SCENARIOS if not only or name in only]
    prepares = {name: SCENARIOS[name]() for name in names}
    queries = {}
    for _ in range(warmup):  # templates, fonts, connections, caches; the last one counts the queries
        for name in names:
            request = prepares[name]()
            with CaptureQueriesContext(connection) as ctx:
                request()
            queries[name] = len(ctx.captured_queries)
    cpu = {name: [] for name in names}
    for _ in range(n):
        for name in names:
            request = prepares[name]()
            started = time.thread_time()
            request()
            cpu[name].append((time.thread_time() - started) * 1000)
    return {name: {"cpu_ms": statistics.median(cpu[name]), "least_ms": min(cpu[name]), "queries": queries[name],
                   "n": n} for name in names}


def profile(name, warmup=3):
    """The queries and a cProfile summary of one request of the scenario, after a warm-up."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepare = SCENARIOS[name]()
    for _ in range(warmup):
        prepare()()
    request = prepare()
    with CaptureQueriesContext(connection) as ctx:
        request()
    for q in ctx.captured_queries:
        print(f"{float(q['time']) * 1000:6.1f} ms  {q['sql'][:300]}")
    request = prepare()
    profiler = cProfile.Profile()
    profiler.runcall(request)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_LINES", "60")))


def workers(n):
    """Wall seconds to render n re-issued certificates with 1 worker process, then n others with 2."""
    import redis

    from members.models import Member

    members = list(Member.objects.filter(alliance__slug="cop", status="active").order_by("pk")[:2 * n])
    env = servers.bench_env(**bench_run.ENV)
    log_dir = bench_run.VAR
    log_dir.mkdir(parents=True, exist_ok=True)
    result = {"n": n}
    for concurrency, batch in ((1, members[:n]), (2, members[n:2 * n])):
        redis.Redis.from_url(bench_run.REDIS_URL).flushdb()  # nothing queued by the in-process figures
        log = log_dir / f"worker-{concurrency}.log"
        worker = servers.celery_worker(env=env, concurrency=concurrency, log=log, name=f"floors{concurrency}")
        try:
            ids, started = bench_run._reissue(batch)
            ready = bench_run._wait_ready(ids, timeout=1200)
            result[f"wall_s_{concurrency}"] = time.perf_counter() - started
            result[f"ready_{concurrency}"] = len(ready)
        finally:
            worker.stop()
    result["speedup"] = result["wall_s_1"] / result["wall_s_2"]
    return result


def section(figures, workers_result):
    rows = ["| floor | what | CPU ms (median) | queries |", "|---|---|---|---|"]
    for key, what in FLOORS.items():
        f = figures[key]
        rows.append(f"| {key} | {what} | {f['cpu_ms']:.2f} | {f['queries']} |")
    rows += ["", "| figure | floor | ratio | CPU ms (median) | queries | target | result |",
             "|---|---|---|---|---|---|---|"]
    for key, floor, target, what in FIGURES:
        f = figures[key]
        ratio = f["cpu_ms"] / figures[floor]["cpu_ms"]
        rows.append(f"| {what} | {floor} | {ratio:.2f}× | {f['cpu_ms']:.2f} | {f['queries']} | ≤ {target}× | "
                    f"{'pass' if ratio <= target else '**miss**'} |")
    if workers_result:
        w = workers_result
        rows.append(f"| {w['n']} certificates: 2 worker processes vs 1 ({w['wall_s_1']:.1f} s ÷ {w['wall_s_2']:.1f} s, "
                    f"{w['ready_1']}/{w['n']} and {w['ready_2']}/{w['n']} files) | — | {w['speedup']:.2f}× faster | "
                    f"– | – | ≥ 1.6× | {'pass' if w['speedup'] >= 1.6 else '**miss**'} |")
    n = next(iter(figures.values()))["n"]
    notes = ROOT / "bench" / "FLOORS.md"  # how the figures are made and what each lever measured, by hand
    return "\n".join([
        START, "## Figures as ratios to floors", "",
        f"Run {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} (UTC), `python -m bench.floors`: {n} requests of each "
        f"scenario, interleaved; median of this thread's CPU time per request; load average "
        f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} at the end.", "",
        *rows, "", *([notes.read_text(encoding="utf-8").strip(), ""] if notes.exists() else []), END,
    ])


def write_section(text, path=RESULTS):
    """Put the section between its markers, keeping the rest of the file (other parts are written elsewhere)."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if START in old and END in old:
        head, rest = old.split(START, 1)
        new = head + text + rest.split(END, 1)[1]
    else:
        lines = old.split("\n", 1)
        new = lines[0] + "\n\n" + text + "\n" + (lines[1] if len(lines) > 1 else "")
    path.write_text(new, encoding="utf-8")


def setup():
    os.environ.update(servers.bench_env(**bench_run.ENV))
    import django

    django.setup()
    from django.core.management import call_command

    from bench.seed import seed

    seed(out=bench_run.log)
    servers.manage("collectstatic", "--noinput", "-v", "0", env=os.environ)
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)  # floor B's table


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100, help="requests per scenario (timed)")
    parser.add_argument("--batch", type=int, default=1000, help="certificates per worker run")
    parser.add_argument("--workers-only", action="store_true", help="only the 1 vs 2 worker processes figure")
    parser.add_argument("--no-workers", action="store_true", help="skip the 1 vs 2 worker processes figure")
    parser.add_argument("--only", help="comma-separated scenarios (A,B,C,D,submit,cast,...); implies --no-workers")
    parser.add_argument("--profile", metavar="SCENARIO", help="print the queries and a profile of one")
    parser.add_argument("--write", action="store_true", help="write the section of bench/RESULTS.md")
    args = parser.parse_args(argv)
    bench_run.ensure_database(False)
    setup()
    if args.profile:
        return profile(args.profile)
    only = set(args.only.split(",")) if args.only else None
    if args.workers_only:
        print(json.dumps(workers(args.batch), indent=1))
        return None
    figures = measure(args.n, only)
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    workers_result = None if args.no_workers or only else workers(args.batch)
    if workers_result:
        print(json.dumps(workers_result, indent=1))
    if not only:
        text = section(figures, workers_result)
        print(text)
        if args.write:
            write_section(text)
    return figures, workers_result


if __name__ == "__main__":
    sys.exit(main() and 0)
