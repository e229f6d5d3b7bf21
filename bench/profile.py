"""Profile one request in-process against the benchmark database: query count/time and a pyinstrument tree.

    .venv/bin/python -m bench.profile /admin/members/application/ --as cop-staff@demo.test
    .venv/bin/python -m bench.profile /governance/motions/7/vote/ --post choice=for \\
        --as bench-director-000@bench.test --as bench-director-001@bench.test ...

With --post each request is a POST of those fields (CSRF is not checked); with several --as, each request
(warm-up, the timed ones, the profiled one) is made by the next person in turn, e.g. each director's first
ballot on an open motion (bench_vote opens one each run). CPU ms is the process's CPU time for the request (Django, the test client and the
database driver, not the database server).
"""

import argparse
import itertools
import os
import statistics
import time

from bench import run as bench_run
from bench import servers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--as", dest="emails", action="append", default=[])
    parser.add_argument("--post", action="append", default=[], metavar="K=V", help="POST these fields")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--queries", action="store_true", help="print every SQL statement of the last request")
    args = parser.parse_args()
    os.environ.update(servers.bench_env(**bench_run.ENV))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from alliance.models import User

    def session_of(email):
        # Signed in on a client of its own; the requests all go through one client (one middleware chain).
        other = Client()
        other.force_login(User.objects.get(email=email))
        return other.cookies[settings.SESSION_COOKIE_NAME].value

    client = Client(HTTP_HOST="127.0.0.1")
    turn = itertools.cycle([session_of(email) for email in args.emails] or [None])
    data = dict(field.split("=", 1) for field in args.post)

    def request():
        session = next(turn)
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        client.cookies.pop("messages", None)  # as a first visit: no messages left over from the last request
        return client.post(args.path, data) if args.post else client.get(args.path)

    request()  # warm-up
    timings, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            response = request()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"HTTP {response.status_code}; {len(ctx.captured_queries)} queries, {sql_ms:.0f} ms in SQL; "
          f"request ms: {', '.join(f'{t:.0f}' for t in timings)}; "
          f"CPU ms median {statistics.median(cpu):.1f}, min {min(cpu):.1f}")
    if args.queries:
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:15]:
            print(f"{float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")
    profiler = Profiler(interval=0.001)
    with profiler:
        request()
    print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))))
    reset_queries()


if __name__ == "__main__":
    main()
