"""Profile one request in-process against the benchmark database: query count/time and a pyinstrument tree.

    .venv/bin/python -m bench.profile /admin/members/application/ --as cop-staff@demo.test [--post submit]
"""

import argparse
import os
import time

from bench import run as bench_run
from bench import servers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--as", dest="email", default="")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--queries", action="store_true", help="print every SQL statement of the last request")
    args = parser.parse_args()
    os.environ.update(servers.bench_env(**bench_run.ENV))
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from alliance.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    if args.email:
        client.force_login(User.objects.get(email=args.email))
    client.get(args.path)  # warm-up
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(args.path)
        timings.append((time.perf_counter() - started) * 1000)
    sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"HTTP {response.status_code}; {len(ctx.captured_queries)} queries, {sql_ms:.0f} ms in SQL; "
          f"request ms: {', '.join(f'{t:.0f}' for t in timings)}")
    if args.queries:
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:15]:
            print(f"{float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")
    profiler = Profiler(interval=0.001)
    with profiler:
        client.get(args.path)
    print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))))
    reset_queries()


if __name__ == "__main__":
    main()
