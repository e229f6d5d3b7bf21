"""Drill 3: PostgreSQL restarted under load.

gunicorn (production settings, 3 workers, CONN_MAX_AGE=60 with health checks) serves pages that query the
database to 6 client threads. The drill's private PostgreSQL cluster is stopped (fast: connections
terminated), held down for a few seconds and started again. Checked: before the outage every answer is 200;
during it every answer is the portal's own 503 page (or /healthz's 503 JSON, or the 500 page), never a
traceback, a gunicorn error or a hang; after it the portal recovers by itself, and over the last window every
answer is 200 again (no worker left with a broken persistent connection), with no connections leaking.
"""

import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Check, Stack, log, percentile, run  # noqa: E402

CLIENTS = 6
WARM = 8  # seconds of load before the outage
DOWN = 6  # seconds the database stays down
AFTER = 20  # seconds of load after it is back
LAST_WINDOW = 8  # the final seconds, which must be all 200
WORKERS = 3


def classify(status, body):
    if status == 200:
        return "ok"
    if status == 503 and "服务暂时不可用" in body:
        return "503 page"
    if status == 503 and '"database": "down"' in body:
        return "healthz 503"
    if status == 500 and "服务器出错" in body:
        return "500 page"
    return f"bad {status}"


def hammer(base, paths, stop, results, lock):
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=20) as response:
                status, body = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read().decode(errors="replace")
        except OSError as exc:
            status, body = 0, repr(exc)
        ended = time.monotonic()
        kind = classify(status, body)
        if "Traceback" in body:
            kind = "traceback"
        with lock:
            results.append((started, ended, path, status, kind, body[:300] if kind.startswith("bad") else ""))


def main():
    check = Check()
    drill_started = time.monotonic()
    with Stack("pg") as stack:
        stack.boot()
        stack.manage("collectstatic", "--noinput")
        site = stack.fixture("site")
        stack.web_start(workers=WORKERS)
        paths = ["/", f"/a/{site['slug']}/", "/healthz", "/projects/"]

        stop, lock, results = threading.Event(), threading.Lock(), []
        threads = [threading.Thread(target=hammer, args=(stack.url, paths, stop, results, lock), daemon=True)
                   for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(WARM)
        down_at = time.monotonic()
        stack.pg_stop(mode="fast")
        stopped_at = time.monotonic()
        log(f"PostgreSQL stopped (fast) in {stopped_at - down_at:.1f}s; down for {DOWN}s")
        time.sleep(DOWN)
        start_called = time.monotonic()
        stack.pg_start()
        up_at = time.monotonic()
        log(f"PostgreSQL started again in {up_at - start_called:.1f}s")
        time.sleep(AFTER)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        end = time.monotonic()
        connections = stack.sql_value(
            f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{stack.db_name}' AND pid <> pg_backend_pid()")

        before = [r for r in results if r[1] < down_at]
        # Surely down: from the stop's return to the start's call (it may accept before pg_ctl returns).
        during = [r for r in results if r[0] >= stopped_at and r[1] <= start_called]
        after = [r for r in results if r[0] >= up_at]
        last = [r for r in results if r[0] >= end - LAST_WINDOW]
        kinds_during = Counter(r[4] for r in during)
        bad = [r for r in results if r[4].startswith("bad") or r[4] == "traceback"]
        first_ok_after = next((r[1] - up_at for r in sorted(after) if r[4] == "ok"), None)
        # Recovered: from this moment on, every answer is 200.
        failing_after = [r for r in after if r[4] != "ok"]
        recovered_s = (max(r[1] for r in failing_after) - up_at) if failing_after else 0.0
        during_latency = [r[1] - r[0] for r in during]

        check("every answer before the outage is 200", before and all(r[4] == "ok" for r in before),
              f"{len(before)} requests")
        check("requests were made during the outage", len(during) >= 10, len(during))
        check("every answer during the outage is the portal's 503/500 page or /healthz 503",
              during and all(r[4] in ("503 page", "healthz 503", "500 page") for r in during),
              dict(kinds_during))
        check("no traceback, gunicorn error or dropped connection at any time", not bad,
              f"{len(bad)} bad" + (f", e.g. {bad[0][2]} {bad[0][3]} {bad[0][5][:120]!r}" if bad else ""))
        check("no request hung during the outage (max < 6 s)", during_latency and max(during_latency) < 6,
              f"max {max(during_latency):.2f}s" if during_latency else "")
        check("the portal recovered by itself", first_ok_after is not None and recovered_s < AFTER - LAST_WINDOW,
              f"first 200 after {first_ok_after:.2f}s, all 200 after {recovered_s:.2f}s"
              if first_ok_after is not None else "no 200 after the restart")
        check(f"every answer in the last {LAST_WINDOW}s is 200 (no stale connection left)",
              last and all(r[4] == "ok" for r in last), f"{len(last)} requests")
        check("no connections leaked", connections is not None and connections <= WORKERS,
              f"{connections} open for {WORKERS} gunicorn workers")

    lat_before = [r[1] - r[0] for r in before]
    print()
    print(f"Drill 3 — PostgreSQL restarted under load ({CLIENTS} clients, gunicorn {WORKERS} workers)")
    print(f"  requests                     {len(results)} ({len(before)} before, {len(during)} during, "
          f"{len(after)} after)")
    print(f"  before: p50 / p95            {percentile(lat_before, 50) * 1000:.0f} / "
          f"{percentile(lat_before, 95) * 1000:.0f} ms")
    print(f"  during the outage            {dict(kinds_during)}; max latency "
          f"{max(during_latency) * 1000 if during_latency else float('nan'):.0f} ms")
    print(f"  outage                       stop {stopped_at - down_at:.1f} s + down {DOWN} s + start "
          f"{up_at - start_called:.1f} s")
    print(f"  first 200 after the start    {first_ok_after if first_ok_after is not None else float('nan'):.2f} s;"
          f" all 200 from {recovered_s:.2f} s")
    print(f"  bad answers                  {len(bad)}")
    print(f"  DB connections at the end    {connections} (gunicorn workers: {WORKERS})")
    print(f"  drill wall time              {time.monotonic() - drill_started:.0f} s")
    print(f"  result                       {'PASS' if check.passed else 'FAIL'}")
    return 0 if check.passed else 1


if __name__ == "__main__":
    run(main)
