"""Drill 2: Redis stopped while 50 applications are submitted through gunicorn.

50 people log in (everything up), then Redis is shut down and they submit their applications at once, over
HTTP to gunicorn with the production settings. Checked: every submit succeeds (redirect to the application,
success message), all 50 are saved as submitted with their acknowledgement e-mail in the outbox, /healthz
says 503 meanwhile, the member directory (whose cache is that Redis too) still renders from the database, and
the submit time stays low. Redis comes back (empty): a new submit's e-mail goes out
at once, and the e-mail sweep (run as beat runs it, once the rows are older than its cutoff) sends the 50,
each exactly once. A second phase freezes Redis with SIGSTOP (port open, no answer) and times submits and
directory pages.
"""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, Browser, Check, Stack, log, percentile, run, wait_until  # noqa: E402

N = 50
CONCURRENCY = 5
FROZEN = 5
SWEEP_CUTOFF = 120  # alliance.services.email_pending_ids(older_than_seconds=120)
RECEIVED = "已收到您的入会申请"
FORM = {
    "person_name": "李华", "gender": "female", "birth_date": "1980-05-01", "ethnicity": "汉族",
    "employer": "北京市海淀区教师进修学校", "professional_title": "中学高级教师", "position": "教研员",
    "office_phone": "010-62345678", "mobile": "13912345678", "address": "北京市海淀区", "postcode": "100080",
    "field_of_work": "教师培训", "achievements": "主持市级课题两项。", "consent_charter": "on",
    "consent_voluntary": "on", "submit": "1",
}


def prepare(stack, email, password, slug):
    browser = Browser(stack.url)
    browser.login(email, password)
    path = f"/members/apply/{slug}/individual/"
    return browser, path, browser.csrf(path)


def submit(prepared, email):
    browser, path, token = prepared
    started = time.monotonic()
    status, headers, _ = browser.request(path, {**FORM, "email": email, "csrfmiddlewaretoken": token})
    elapsed = time.monotonic() - started
    location = headers.get("Location", "")
    seen = ""
    if status == 302 and "/members/applications/" in location:
        _, _, seen = browser.request(location)
    return {"status": status, "elapsed": elapsed, "ok": status == 302 and "申请已提交" in seen}


def directory(stack, slug):
    started = time.monotonic()
    status, _, _ = Browser(stack.url).request(f"/a/{slug}/members/")
    return status, time.monotonic() - started


def main():
    check = Check()
    started = time.monotonic()
    with Stack("apply") as stack:
        stack.boot()
        stack.manage("collectstatic", "--noinput")
        people = stack.fixture("applicants", N + 1 + FROZEN)
        stack.web_start(workers=3)
        stack.worker_start("worker", concurrency=2)
        emails = people["emails"]
        with ThreadPoolExecutor(10) as pool:
            prepared = list(pool.map(lambda e: prepare(stack, e, people["password"], people["slug"]), emails))
        log(f"{len(prepared)} people logged in with the application form open")

        stack.redis_stop()
        check("Redis is down", not stack.redis_ping())
        health_started = time.monotonic()
        status, _, body = Browser(stack.url).request("/healthz")
        health_elapsed = time.monotonic() - health_started
        check("/healthz says 503, broker down", status == 503 and '"broker": "down"' in body,
              f"{status} in {health_elapsed:.2f}s")
        directory_status, directory_elapsed = directory(stack, people["slug"])
        check("the member directory renders without its cache (Redis)", directory_status == 200,
              f"{directory_status} in {directory_elapsed:.2f}s")

        t0 = time.monotonic()
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            results = list(pool.map(lambda i: submit(prepared[i], emails[i]), range(N)))
        burst = time.monotonic() - t0
        down_times = [r["elapsed"] for r in results]
        ok = sum(r["ok"] for r in results)
        check(f"all {N} people saw success while Redis was down", ok == N,
              f"{ok} ok, statuses {sorted({r['status'] for r in results})}")
        saved = stack.sql_value("SELECT count(*) FROM members_application WHERE status = 'submitted'")
        check(f"all {N} applications saved as submitted", saved == N, saved)
        outbox = f"SELECT count(*) FROM alliance_email WHERE subject LIKE '%{RECEIVED}'"
        pending = stack.sql_value(outbox + " AND sent_at IS NULL")
        check(f"all {N} acknowledgements wait in the outbox", pending == N, pending)
        # Before the fix each enqueue retried ~6 s (a submit queues one e-mail): no submit may come near that.
        check("no submit with Redis down waits for the broker (max < 3 s)", max(down_times) < 3.0,
              f"p50 {percentile(down_times, 50) * 1000:.0f} ms, max {max(down_times) * 1000:.0f} ms")

        stack.redis_start()
        back_at = time.monotonic()
        late = submit(prepared[N], emails[N])
        check("a submit after Redis is back succeeds", late["ok"], late["status"])
        wait_until(lambda: stack.sql_value(outbox + f" AND \"to\" = '{emails[N]}' AND sent_at IS NOT NULL"),
                   timeout=60, what="the e-mail of a submit after Redis came back")
        fresh_mail_s = time.monotonic() - back_at
        check("its e-mail went out without the sweep", True, f"{fresh_mail_s:.1f}s after Redis was back")

        # What beat does every 300 s; the sweep only takes rows older than its cutoff.
        youngest = stack.sql("SELECT extract(epoch FROM now() - max(created_at)) FROM alliance_email "
                             "WHERE sent_at IS NULL")[0][0]
        wait = max(0.0, SWEEP_CUTOFF + 2 - float(youngest))
        log(f"waiting {wait:.0f}s until the outbox rows pass the sweep's {SWEEP_CUTOFF}s cutoff")
        time.sleep(wait)
        sweep_at = time.monotonic()
        subprocess.run([PYTHON, "-m", "celery", "-A", "alliance", "call", "alliance.tasks.email_sweep"],
                       env=stack.env(), cwd=stack.dir, check=True, capture_output=True, timeout=60)
        wait_until(lambda: stack.sql_value(outbox + " AND sent_at IS NULL") == 0, timeout=120,
                   what="the swept e-mails")
        swept_s = time.monotonic() - sweep_at
        time.sleep(3)
        sent_rows = stack.sql_value(outbox + " AND sent_at IS NOT NULL")
        check(f"all {N + 1} acknowledgements sent after the sweep", sent_rows == N + 1, sent_rows)
        files = list(stack.mail.glob("*.log")) if stack.mail.exists() else []
        texts = [p.read_text(errors="replace") for p in files]
        per_person = [sum(1 for t in texts if f"To: {e}" in t) for e in emails[: N + 1]]
        check("each person got exactly one acknowledgement", per_person == [1] * (N + 1),
              f"{sum(per_person)} mails for {N + 1} people")

        # Phase 2: Redis frozen (SIGSTOP): the port still accepts, nothing answers.
        os.kill(stack.procs["redis"].pid, signal.SIGSTOP)
        try:
            # One at a time, so that the figure is the submit itself, not a wait for a busy gunicorn worker.
            frozen = [submit(prepared[i], emails[i]) for i in range(N + 1, N + 1 + FROZEN)]
            frozen_directory = [directory(stack, people["slug"]) for _ in range(FROZEN)]
        finally:
            os.kill(stack.procs["redis"].pid, signal.SIGCONT)
        frozen_times = [r["elapsed"] for r in frozen]
        check(f"all {FROZEN} submits with Redis frozen succeeded", all(r["ok"] for r in frozen))
        check("a submit with Redis frozen is bounded by the 2 s socket timeout (max < 3.5 s)",
              max(frozen_times) < 3.5, f"max {max(frozen_times):.2f}s")
        check("the member directory with Redis frozen answers, bounded by the cache's 0.5 s timeouts (max < 2 s)",
              all(s == 200 for s, _ in frozen_directory) and max(t for _, t in frozen_directory) < 2.0,
              f"max {max(t for _, t in frozen_directory):.2f}s")

    print()
    print("Drill 2 — Redis down while 50 applications are submitted (gunicorn, 3 workers, "
          f"{CONCURRENCY} concurrent)")
    print(f"  submits with Redis down      {ok}/{N} succeeded; p50 {percentile(down_times, 50) * 1000:.0f} ms, "
          f"p95 {percentile(down_times, 95) * 1000:.0f} ms, max {max(down_times) * 1000:.0f} ms; "
          f"burst {burst:.1f} s")
    print(f"  /healthz with Redis down     503 in {health_elapsed * 1000:.0f} ms")
    print(f"  e-mail of a submit after     {fresh_mail_s:.1f} s after Redis was back (no sweep needed)")
    print(f"  sweep sent the 50 in         {swept_s:.1f} s (sweep cutoff {SWEEP_CUTOFF} s, beat every 300 s)")
    print(f"  submits with Redis frozen    p50 {percentile(frozen_times, 50) * 1000:.0f} ms, "
          f"max {max(frozen_times) * 1000:.0f} ms")
    print(f"  member directory             {directory_elapsed * 1000:.0f} ms with Redis down, max "
          f"{max(t for _, t in frozen_directory) * 1000:.0f} ms frozen (cache skipped, page from the database)")
    print(f"  drill wall time              {time.monotonic() - started:.0f} s")
    print(f"  result                       {'PASS' if check.passed else 'FAIL'}")
    return 0 if check.passed else 1


if __name__ == "__main__":
    run(main)
