"""Profile one request in-process against the benchmark database: query count/time and a pyinstrument tree.

    .venv/bin/python -m bench.profile /admin/members/application/ --as cop-staff@demo.test
    .venv/bin/python -m bench.profile /members/apply/cop/unit/ --submit
    .venv/bin/python -m bench.profile /governance/motions/7/vote/ --post choice=for \\
        --as bench-director-000@bench.test --as bench-director-001@bench.test ...

``--submit`` profiles the POST of a complete unit application, as the submit benchmark sends it: each request
comes from a new applicant who has just opened the form (the GET is not measured). It writes to the database
it profiles: an account and a submitted application per request.

With --post each request is a POST of those fields (CSRF is not checked); with several --as, each request
(warm-up, the timed ones, the profiled one) is made by the next person in turn, e.g. each director's first
ballot on an open motion (bench_vote opens one each run). CPU ms is this thread's CPU time for the request
(Django, the test client and the database driver, not the database server).
"""

import argparse
import itertools
import os
import statistics
import time
import uuid

from bench import run as bench_run
from bench import servers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--as", dest="emails", action="append", default=[])
    parser.add_argument("--post", action="append", default=[], metavar="K=V", help="POST these fields")
    parser.add_argument("--submit", action="store_true", help="POST a complete unit application to the path")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--queries", action="store_true", help="print the slowest SQL statements of the last request")
    args = parser.parse_args()
    os.environ.update(servers.bench_env(**bench_run.ENV))
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=args.submit)
    # prepare() does what must not be timed and returns the request to time.
    prepare = submit_preparer(client, args.path) if args.submit else turn_preparer(client, args)
    prepare()()  # warm-up
    timings, cpu = [], []
    for _ in range(args.repeat):
        request = prepare()
        started, started_cpu = time.perf_counter(), time.thread_time()
        with CaptureQueriesContext(connection) as ctx:
            response = request()
        cpu.append((time.thread_time() - started_cpu) * 1000)
        timings.append((time.perf_counter() - started) * 1000)
    sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"HTTP {response.status_code}; {len(ctx.captured_queries)} queries, {sql_ms:.0f} ms in SQL; "
          f"request ms: {', '.join(f'{t:.0f}' for t in timings)}; CPU ms: {', '.join(f'{t:.0f}' for t in cpu)}")
    print(f"median request {statistics.median(timings):.1f} ms, CPU {statistics.median(cpu):.1f} ms "
          f"(least {min(cpu):.1f} ms)")
    if args.queries:
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:15]:
            print(f"{float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")
    request = prepare()
    profiler = Profiler(interval=0.001)
    with profiler:
        request()
    print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))))
    reset_queries()


def turn_preparer(client, args):
    """GET the path, or POST the --post fields, as each --as account in turn (anonymous without one)."""
    from django.conf import settings
    from django.test import Client

    from alliance.models import User

    def session_of(email):
        # Signed in on a client of its own; the requests all go through one client (one middleware chain).
        other = Client()
        other.force_login(User.objects.get(email=email))
        return other.cookies[settings.SESSION_COOKIE_NAME].value

    turn = itertools.cycle([session_of(email) for email in args.emails] or [None])
    data = dict(field.split("=", 1) for field in args.post)

    def prepare():
        session = next(turn)
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        client.cookies.pop("messages", None)  # as a first visit: no messages left over from the last request
        return (lambda: client.post(args.path, data)) if args.post else (lambda: client.get(args.path))

    return prepare


def submit_preparer(client, path):
    """Sign in a new applicant and open the form at path; return the POST of a complete unit application.

    Encoded and CSRF-checked as bench/load.py's clients send it.
    """
    from urllib.parse import urlencode

    from alliance.models import Alliance, User
    from bench.load import CSRF_RE
    from members.tests.factories import UNIT_DATA

    slug = path.strip("/").split("/")[-2]
    unit_type = Alliance.objects.select_related("rules").get(slug=slug).rules.unit_type_list[0]
    form = {k: ("on" if v is True else v) for k, v in UNIT_DATA.items() if k != "credit_code"}
    run = uuid.uuid4().hex[:8]
    counter = itertools.count()

    def prepare():
        i = next(counter)
        client.force_login(User.objects.create_user(email=f"profile-{run}-{i}@bench.test", name=f"剖析申请人{i}"))
        token = CSRF_RE.search(client.get(path).content.decode()).group(1)
        data = {**form, "unit_type": unit_type, "unit_name": f"剖析单位{i}号", "csrfmiddlewaretoken": token,
                "submit": "提交申请"}
        return lambda: client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded")

    return prepare


if __name__ == "__main__":
    main()
