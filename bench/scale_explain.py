"""The queries of one page at one size, slowest first, with the plan of the slowest (scale work, not a benchmark).

    .venv/bin/python -m bench.scale_explain 100k /admin/finance/invoice/ cop-staff@demo.test
"""

import os
import sys

from bench.scale import env_for


def main():
    size, path, email = sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else None)
    os.environ.update(env_for(size))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.scale import _session

    client = Client(HTTP_HOST="127.0.0.1")
    if email:
        client.cookies[settings.SESSION_COOKIE_NAME] = _session(email)
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    print(f"HTTP {response.status_code}, {len(ctx.captured_queries)} queries")
    slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    for q in slowest[:8]:
        print(f"{float(q['time']) * 1000:7.1f} ms  {q['sql'][:600]}")
    for q in slowest[: int(os.environ.get("PLANS", "1"))]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + q["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
