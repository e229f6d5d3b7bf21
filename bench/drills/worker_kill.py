"""Drill 1: a Celery worker killed with SIGKILL while rendering 100 certificates.

100 members are admitted (each admission issues a certificate and enqueues its rendering on Redis), a worker
with 2 processes starts rendering, and once some are done the whole worker (main process and pool children)
is killed with SIGKILL mid-render. A new worker is started; the messages the dead worker had taken come back
once the visibility timeout has passed (acks_late + CELERY_VISIBILITY_TIMEOUT, short here) and take over the
dead worker's claims (DOCUMENT_CLAIM_TIMEOUT, shorter still); the task is idempotent. Checked: every certificate
exists exactly once in the database and on disk, each a whole PDF, and each member's "certificate ready" e-mail
was written once.
"""

import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Check, Stack, log, run, wait_until  # noqa: E402

N = 100
KILL_AFTER_READY = 25
VISIBILITY_TIMEOUT = 10
CLAIM_TIMEOUT = 5
READY_SUBJECT = "成员证书已生成"


def main():
    check = Check()
    started = time.monotonic()
    with Stack("certs") as stack:
        stack.boot()
        made = stack.fixture("members", N)
        alliance = made["alliance_id"]
        certs = f"members_certificate c JOIN members_member m ON m.id = c.member_id WHERE m.alliance_id = {alliance}"
        ready_sql = f"SELECT count(*) FROM {certs} AND c.status = 'ready'"
        log(f"{made['certificates']} certificates pending, their renderings queued on Redis")

        # A claim on a certificate is taken over once older than DOCUMENT_CLAIM_TIMEOUT (alliance/documents.py):
        # shorter than the visibility timeout here, so the messages given back find the dead worker's claims stale.
        worker_env = {"CELERY_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT, "DOCUMENT_CLAIM_TIMEOUT": CLAIM_TIMEOUT}
        stack.worker_start("worker1", concurrency=2, **worker_env)
        t0 = time.monotonic()
        wait_until(lambda: stack.sql_value(ready_sql) >= KILL_AFTER_READY, timeout=180, interval=0.1,
                   what=f"{KILL_AFTER_READY} certificates")
        stack.kill("worker1", signal.SIGKILL)
        killed_at = time.monotonic()
        ready_at_kill = stack.sql_value(ready_sql)
        in_flight = stack.sql_value(f"SELECT count(*) FROM {certs} AND c.status = 'rendering'")
        log(f"SIGKILL to the worker's process group after {killed_at - t0:.1f}s: {ready_at_kill} ready, "
            f"{in_flight} were being rendered")
        check("the worker was killed in the middle of rendering", in_flight >= 1, f"{in_flight} in flight")
        check("the kill left work undone", ready_at_kill < N, f"{ready_at_kill}/{N} ready")

        # The new worker restores the dead worker's unacknowledged messages once they are older than the
        # visibility timeout; start it after that, as an operator restarting a crashed worker would.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        restarted_at = time.monotonic()
        stack.worker_start("worker2", concurrency=2, **worker_env)
        wait_until(lambda: stack.sql_value(ready_sql) >= N, timeout=240, interval=0.5, what=f"{N} certificates")
        all_ready_at = time.monotonic()
        ready_mails = f"SELECT count(*) FROM alliance_email WHERE subject LIKE '%{READY_SUBJECT}'"
        wait_until(lambda: stack.sql_value(ready_mails + " AND sent_at IS NOT NULL") >= N, timeout=120,
                   what="certificate e-mails sent")
        time.sleep(3)  # anything still running twice would show up now
        stack.kill("worker2", signal.SIGTERM)

        rows = stack.sql(f"SELECT c.token, c.file, c.status, c.attempts FROM {certs} ORDER BY c.id")
        tokens = {token for token, _, _, _ in rows}
        files_in_db = {path for _, path, _, _ in rows}
        cert_dir = stack.media / "members" / "certificates"
        on_disk = sorted(cert_dir.glob("*")) if cert_dir.exists() else []
        whole = [p for p in on_disk if _is_whole_pdf(p)]
        attempts = [int(a) for _, _, _, a in rows]
        check("one certificate row per member", len(rows) == N and stack.sql_value(
            f"SELECT count(DISTINCT c.member_id) FROM {certs}") == N, f"{len(rows)} rows")
        check("every certificate is ready with its file recorded",
              all(status == "ready" and path for _, path, status, _ in rows))
        check("exactly one file per certificate on disk, named by its token",
              len(on_disk) == N and {p.stem for p in on_disk} == tokens
              and files_in_db == {f"members/certificates/{p.name}" for p in on_disk}, f"{len(on_disk)} files")
        check("every file is a whole PDF", len(whole) == N, f"{len(whole)} whole")
        mails = stack.sql_value(ready_mails)
        check("one 'certificate ready' e-mail per member, all sent", mails == N, f"{mails} e-mails")
        redone = sum(1 for a in attempts if a > 1)
        sizes = sorted(p.stat().st_size for p in on_disk)

    print()
    print("Drill 1 — worker SIGKILL while rendering certificates")
    print(f"  certificates                 {N}")
    print(f"  ready when killed            {ready_at_kill} (after {killed_at - t0:.1f} s), in flight {in_flight}")
    print(f"  restart after kill           {restarted_at - killed_at:.1f} s (visibility timeout {VISIBILITY_TIMEOUT} s)")
    print(f"  all ready after restart      {all_ready_at - restarted_at:.1f} s")
    print(f"  rendered more than once      {redone} (the killed attempts; stored once)")
    print(f"  PDF size median              {sizes[len(sizes) // 2] / 1024:.0f} KB" if sizes else "")
    print(f"  drill wall time              {time.monotonic() - started:.0f} s")
    print(f"  result                       {'PASS' if check.passed else 'FAIL'}")
    return 0 if check.passed else 1


def _is_whole_pdf(path):
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


if __name__ == "__main__":
    run(main)
