"""Time the certificate task in-process: the PDF alone and the whole service call, medians of --repeat runs.

Uses the database of DATABASE_URL (any database with the demo data) and writes files under a temporary
MEDIA_ROOT. The certificate is set back to pending before each run, so the service renders and stores it anew
(and queues its certificate-ready e-mail again: use a development database, not production).

    DATABASE_URL=postgres://… .venv/bin/python -m bench.certificate [--repeat 20] [--profile] [--out cert.pdf]
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time


def timed(fn, repeat):
    """Wall and CPU milliseconds of each call (CPU time is the steadier figure on a busy machine)."""
    fn()  # warm-up: fonts, templates, first queries
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument tree of one service call")
    parser.add_argument("--out", help="also write the PDF here")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    media_root = os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-certificate-")
    try:
        run(args)
    finally:
        shutil.rmtree(media_root)


def run(args):
    import django

    django.setup()
    from alliance.pdf import render_pdf
    from members import services
    from members.documents import certificate_context
    from members.services.certificates import CERTIFICATE_STYLESHEETS
    from members.models import Certificate

    certificate = Certificate.objects.filter(revoked_at__isnull=True).select_related("member__alliance").first()
    if certificate is None:
        raise SystemExit("No certificate in this database: run `manage.py loaddemo` first.")

    def render():
        return render_pdf("members/pdf/certificate.html", certificate_context(certificate),
                          stylesheets=CERTIFICATE_STYLESHEETS)

    def service():
        Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.PENDING, attempts=0)
        assert services.certificate_render(certificate_id=certificate.pk)

    pdf = render()
    if args.out:
        with open(args.out, "wb") as f:
            f.write(pdf)
    for label, fn in (("render_pdf", render), ("service", service)):
        wall, cpu = timed(fn, args.repeat)
        print(f"{label:>10}: median {statistics.median(wall):.0f} ms, min {min(wall):.0f} ms, "
              f"max {max(wall):.0f} ms; CPU median {statistics.median(cpu):.0f} ms ({args.repeat} runs)")
    print(f"PDF size: {len(pdf) / 1024:.0f} KB")
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        with profiler:
            service()
        print(profiler.output_text(unicode=True, color=False))


if __name__ == "__main__":
    main()
