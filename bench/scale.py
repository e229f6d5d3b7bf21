"""Cost as the data grows: every list page and main write at 1k, 10k and 100k members, as ratios to 1k.

    .venv/bin/python -m bench.scale [--rebuild] [--sizes 1k,10k,100k] [--rounds 3] [--requests 11]

Each size has its own database (bench_scale_1k …, seeded by bench/seed.py in the proportions of its 10,000-member
seed, plus dues invoices with their payments and receipts and closed motions with their ballots), reused when
complete. Each round runs one process per size, one size after the other; a process measures every figure in
turn (the figures interleaved), ``--requests`` times each, in-process through Django's test client: the full
middleware stack, DEBUG off, CSRF enforced, signed in as the person who uses the page. A figure is the median
of all its requests over the rounds: this thread's CPU time (Django, the client and the driver, not the
database server) and the wall time (which includes the database's own work, the part that grows with the
rows). The query count is the last request's.

Writes bench/scale.png (each figure's ratio to its 1k value, log x axis) and its table in bench/RESULTS.md
between the ``<!-- scale -->`` markers. Environment: BENCH_SCALE_DATABASE_URL (the server; default
postgres://postgres@127.0.0.1:5432), BENCH_SCALE_REDIS_URL (default redis://127.0.0.1:6379/4: the broker, and the 1k
size's cache; each larger size's cache is the next database).
"""

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from bench import servers

ROOT = servers.ROOT
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
SERVER_URL = os.environ.get("BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_SCALE_REDIS_URL", "redis://127.0.0.1:6379/4")
LIST_TARGET, DASHBOARD_TARGET = 1.1, 3.0
BENCH_YEAR_OFFSET = 1  # invoices the benchmark issues and pays are for next year, removed at each start
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')  # as bench/load.py reads it
N_VOTED_PER_MEMBERS = 100  # closed motions with a ballot from each of the 100 directors: one per 100 members


def log(message):
    print(f"[scale {time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


def _cache_url(size):
    """A Redis database of the size's own (the one after REDIS_URL's for each larger size): the sizes' pages share
    their cache keys (an alliance's directory, say), and one size must not serve another's."""
    server, db = REDIS_URL.rsplit("/", 1)
    return f"{server}/{int(db) + list(SIZES).index(size)}"


def env_for(size):
    var = ROOT / "var" / "bench-scale"
    env = servers.bench_env(
        DATABASE_URL=f"{SERVER_URL}/bench_scale_{size}", CELERY_BROKER_URL=REDIS_URL, CACHE_URL=_cache_url(size),
        VAR_DIR=str(var), MEDIA_ROOT=str(var / "media"), STATIC_ROOT=str(var / "static"),
        SITE_URL="http://127.0.0.1:8765",
    )
    env.pop("PYTHONPATH", None)  # the chart's packages, when installed apart, are the parent's only
    return env


# ---- seeding (in the size's own process) ---------------------------------------------------------------------

def seed_extra(*, out, rng, members, seats, motions, staff):
    """Dues for the last two years of cop's current members, half of them paid (with receipts); and closed cop
    council motions with a ballot from each director, one motion per 100 members."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from finance.models import DuesSchedule, Invoice, Payment, Receipt
    from governance.models import Ballot, Body, Motion

    now, today = timezone.now(), timezone.localdate()
    dues = {"unit": Decimal("2000.00"), "individual": Decimal("200.00")}
    billable = [m for m in members if m.alliance.slug == "cop" and m.status in ("active", "suspended")]
    invoices = []
    for year in (today.year - 1, today.year):
        for kind, amount in dues.items():  # invoices are issued against a schedule (the demo's is this year's)
            DuesSchedule.objects.get_or_create(alliance=billable[0].alliance, member_kind=kind, year=year,
                                               defaults={"amount": amount, "due_date": datetime.date(year, 12, 31)})
        for m in billable:
            amount = dues[m.kind]
            roll = rng.random()
            status, paid = (("paid", amount) if roll < 0.5 else ("partly_paid", amount / 2) if roll < 0.55
                            else ("waived", Decimal("0")) if roll < 0.58 else ("open", Decimal("0")))
            invoices.append(Invoice(alliance=m.alliance, member=m, year=year, amount=amount, paid_total=paid,
                                    status=status, due_date=datetime.date(year, 12, 31), issued_at=now,
                                    waived_reason="困难减免（基准测试数据）" if status == "waived" else ""))
    invoices = bulk_create_with_history(invoices, Invoice, batch_size=5000, default_change_reason="开具会费账单")
    payer = staff["cop"]
    payments = [Payment(invoice=i, amount=i.paid_total, paid_on=datetime.date(i.year, 6, 30), method="bank_transfer",
                        reference=f"基准-{i.pk}", recorded_by=payer) for i in invoices if i.paid_total]
    payments = bulk_create_with_history(payments, Payment, batch_size=5000, default_change_reason="登记缴费")
    receipts = [Receipt(payment=p, alliance=p.invoice.alliance, number=f"COP-SJ-{p.paid_on.year}-B{k:06d}",
                        status="ready") for k, p in enumerate(payments)]
    Receipt.objects.bulk_create(receipts, batch_size=5000)
    out(f"invoices: {len(invoices)}, payments: {len(payments)}")

    council = Body.objects.get(alliance__slug="cop", name="理事会").pk
    voted = [m for m in motions if m.meeting.body_id == council]
    voted = voted[: max(1, len(members) // N_VOTED_PER_MEMBERS)]
    ballots = []
    for motion in voted:
        opened = now - datetime.timedelta(days=rng.randint(30, 2000))
        motion.status, motion.voting_opened_at = Motion.Status.PASSED, opened
        motion.voting_closed_at = opened + datetime.timedelta(days=1)
        for seat in seats:
            cast = opened + datetime.timedelta(minutes=rng.randint(1, 600))
            ballots.append(Ballot(motion=motion, voter_id=seat.user_id, seat=seat, choice="for", cast_at=cast,
                                  changed_at=cast))
    Motion.objects.bulk_update(voted, ["status", "voting_opened_at", "voting_closed_at"], batch_size=2000)
    bulk_create_with_history(ballots, Ballot, batch_size=5000, default_change_reason="投票（基准测试数据）")
    out(f"closed motions: {len(voted)}, ballots: {len(ballots)}")


def ensure_database(size, rebuild):
    servers.database_ensure(f"{SERVER_URL}/bench_scale_{size}", rebuild=rebuild, log=log)


def seed_size(size):
    import django

    django.setup()
    from bench.seed import seed

    started = time.monotonic()
    built = seed(out=log, n_members=SIZES[size], extra=seed_extra)
    log(f"{size}: seed {'built' if built else 'reused'} in {time.monotonic() - started:.0f}s")
    return {"built": built, "seconds": time.monotonic() - started}


# ---- measuring (in the size's own process) -------------------------------------------------------------------

def measure_size(size, requests):
    import django

    django.setup()
    import redis
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    redis.Redis.from_url(REDIS_URL).flushdb()  # one size's cached pages must not answer for another's
    _remove_bench_writes()
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    figures = _figures(client)
    for prepare in figures.values():  # warm-up: templates, connections, caches of every figure
        prepare()()
    results = {name: {"cpu": [], "wall": []} for name in figures}
    for _ in range(requests):
        for name, prepare in figures.items():
            request = prepare()
            client.cookies.pop("messages", None)
            with CaptureQueriesContext(connection) as ctx:
                started, started_cpu = time.perf_counter(), time.thread_time()
                response = request()
                cpu, wall = time.thread_time() - started_cpu, time.perf_counter() - started
            status = getattr(response, "status_code", None)  # None: a service call
            if status not in (None, 302 if name.startswith("write") else 200):
                raise RuntimeError(f"{size} {name}: HTTP {status}")
            results[name]["cpu"].append(cpu * 1000)
            results[name]["wall"].append(wall * 1000)
            results[name]["queries"] = len(ctx.captured_queries)
    return results


def _remove_bench_writes():
    """What earlier runs wrote beyond the seed: next year's invoices with their payments and receipts."""
    from django.utils import timezone

    from finance.models import Invoice, Payment, Receipt

    year = timezone.localdate().year + BENCH_YEAR_OFFSET
    Receipt.objects.filter(payment__invoice__year=year).delete()
    Payment.objects.filter(invoice__year=year).delete()
    Invoice.objects.filter(year=year).delete()


def _session(email):
    from django.conf import settings
    from django.test import Client

    from alliance.models import User

    other = Client()
    other.force_login(User.objects.get(email=email))
    return other.cookies[settings.SESSION_COOKIE_NAME].value


def _figures(client):
    """name -> prepare(); prepare() does the untimed part and returns the request (or service call) to time."""
    import itertools
    from urllib.parse import urlencode

    from django.conf import settings
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from alliance.models import Alliance, User
    from finance import services as finance
    from finance.models import Invoice
    from governance import services as governance
    from governance.models import Body, Meeting, Motion
    from members import services as members
    from members.directory import DIRECTORY_CACHE
    from members.models import Kind, Member
    from members.tests.factories import UNIT_DATA

    sessions = {}

    def as_(email):
        if email not in sessions:
            sessions[email] = _session(email)
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[email]

    def get(path, email=None, before=None):
        def prepare():
            if email:
                as_(email)
            else:
                client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
            if before:
                before()
            return lambda: client.get(path)
        return prepare

    cop, jswl = Alliance.objects.get(slug="cop"), Alliance.objects.get(slug="jswl")
    staff, superuser = "cop-staff@demo.test", "admin@demo.test"
    member_user = (Member.objects.filter(alliance=cop, user__email__startswith="bench-applicant-",
                                         status="active", invoices__isnull=False)
                   .order_by("pk").values_list("user__email", flat=True).first())
    director = "bench-director-000@bench.test"
    figures = {
        # Reads no list: what the database's size costs every request (the sessions, the user, the caches).
        "control: privacy page": get("/privacy/", "cop-school1@demo.test"),
        # Asked for once before each timed request (not timed): the other figure's bump must not empty it.
        "成员名录 (cached)": get("/a/cop/members/", "cop-school1@demo.test",
                               before=lambda: client.get("/a/cop/members/")),
        "成员名录 (not cached)": get("/a/cop/members/?page=2", "cop-school1@demo.test",
                                   before=lambda: DIRECTORY_CACHE.bump("cop")),
        "admin: applications": get("/admin/members/application/", staff),
        "admin: applications, submitted": get("/admin/members/application/?status__exact=submitted", staff),
        "admin: applications, page 2": get("/admin/members/application/?p=2", staff),
        "admin: members": get("/admin/members/member/", staff),
        "admin: members, active": get("/admin/members/member/?status__exact=active", staff),
        "admin: invoices": get("/admin/finance/invoice/", staff),
        "admin: invoices, open": get("/admin/finance/invoice/?status__exact=open", staff),
        "admin: receipts": get("/admin/finance/receipt/", staff),
        "admin: meetings": get("/admin/governance/meeting/", staff),
        "admin: motions": get("/admin/governance/motion/", staff),
        "admin: seats": get("/admin/governance/seat/", staff),
        "my applications": get("/members/applications/", member_user),
        "my invoices": get("/finance/invoices/", member_user),
        "my meetings": get("/governance/meetings/", director),
        "briefings": get("/governance/briefings/", "cop-school1@demo.test"),
        "公示 list": get("/projects/notices/", "cop-school1@demo.test"),
        "search": get("/search/?q=%E6%B5%B7%E6%B7%80", "cop-school1@demo.test"),
        "dashboard: cop staff": get("/admin/", staff),
        "dashboard: superuser": get("/admin/", superuser),
    }

    # Application submit: a new applicant who has just opened the form (the GET is not timed).
    form = {k: ("on" if v is True else v) for k, v in UNIT_DATA.items() if k != "credit_code"}
    run = f"{int(time.time())}"
    counter = itertools.count()
    submit_path = "/members/apply/cop/unit/"

    def new_applicant():
        i = next(counter)
        return User.objects.create_user(email=f"scale-{run}-{i}@bench.test", name=f"规模申请人{i}"), i

    def submit():
        user, i = new_applicant()
        # A login over another's session flushes it (Django's login()): start from no session.
        client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        client.force_login(user)
        token = CSRF_RE.search(client.get(submit_path).content.decode()).group(1)
        data = {**form, "unit_type": cop.rules.unit_type_list[0], "unit_name": f"规模单位{run}-{i}号",
                "csrfmiddlewaretoken": token, "submit": "提交申请"}
        return lambda: client.post(submit_path, urlencode(data), content_type="application/x-www-form-urlencoded")

    figures["write: application submit"] = submit

    def submitted(alliance):
        user, i = new_applicant()
        data = {**{k: v for k, v in UNIT_DATA.items() if k != "credit_code"},
                "unit_type": alliance.rules.unit_type_list[0], "unit_name": f"规模单位{run}-{i}号"}
        return members.application_save(actor=user, alliance=alliance, kind=Kind.UNIT, data=data, submit=True)

    def approve(alliance, email):
        def prepare():
            application = submitted(alliance)
            actor = User.objects.get(email=email)
            return lambda: members.application_approve(actor=actor, application=application)
        return prepare

    figures["write: approval (cop: reviewed, to the council)"] = approve(cop, staff)
    figures["write: approval (jswl: admitted, numbered)"] = approve(jswl, superuser)

    next_year = timezone.localdate().year + BENCH_YEAR_OFFSET
    unbilled = (Member.objects.filter(alliance=cop, status="active")
                .exclude(Exists(Invoice.objects.filter(member=OuterRef("pk"), year=next_year))).order_by("pk"))

    def pay():
        member = unbilled.first()
        invoice = Invoice.objects.create(alliance=cop, member=member, year=next_year, amount=Decimal("2000.00"),
                                         due_date=datetime.date(next_year, 12, 31))
        actor = User.objects.get(email=staff)
        return lambda: finance.payment_record(actor=actor, invoice=invoice, amount=Decimal("500.00"),
                                              paid_on=timezone.localdate(), method="bank_transfer",
                                              reference="规模测试")

    figures["write: payment record"] = pay

    # Ballot cast: each director's first ballot on a motion opened for this run, through the vote view.
    council = Body.objects.get(alliance=cop, name="理事会")
    meeting, _ = Meeting.objects.get_or_create(
        body=council, title=f"规模测试理事会会议 {timezone.localdate()}",
        defaults={"date": timezone.localdate(), "form": "in_person", "place": "会议室"})
    directors = itertools.cycle(
        User.objects.filter(email__startswith="bench-director-").order_by("email").values_list("email", flat=True))
    state = {"motion": None, "voted": 100}

    def cast():
        if state["voted"] >= 100:
            motion = governance.motion_create(actor=None, meeting=meeting, kind=Motion.Kind.OTHER,
                                              title=f"规模测试议案 {run}-{next(counter)}")
            governance.vote_open(actor=None, motion=motion)
            state.update(motion=motion, voted=0)
        state["voted"] += 1
        motion = state["motion"]
        as_(next(directors))
        token = CSRF_RE.search(client.get(f"/governance/motions/{motion.pk}/").content.decode()).group(1)
        return lambda: client.post(f"/governance/motions/{motion.pk}/vote/",
                                   {"choice": "for", "csrfmiddlewaretoken": token})

    figures["write: ballot cast"] = cast
    return figures


# ---- the parent: rounds over the sizes, the chart, the table -------------------------------------------------

def child(*args, size):
    done = subprocess.run([sys.executable, "-m", "bench.scale", *args, "--size", size], cwd=ROOT, env=env_for(size),
                          capture_output=True, text=True, timeout=3600)
    sys.stderr.write(done.stderr[-4000:] if done.returncode else "".join(
        line + "\n" for line in done.stderr.splitlines() if line.startswith("[scale")))
    if done.returncode:
        raise RuntimeError(f"bench.scale {' '.join(args)} --size {size} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def is_dashboard(name):
    return name.startswith("dashboard")


def summarise(raw, sizes):
    table = {}
    for name in raw[sizes[0]]:
        row = {}
        for size in sizes:
            samples = raw[size][name]
            row[size] = {"cpu": statistics.median(samples["cpu"]), "wall": statistics.median(samples["wall"]),
                         "queries": samples["queries"], "n": len(samples["cpu"])}
        table[name] = row
    return table


def draw(table, sizes, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [SIZES[s] for s in sizes]
    fig, axes = plt.subplots(1, 2, figsize=(13, 6.5), sharey=True)
    for ax, measure, title in ((axes[0], "cpu", "in-process CPU"), (axes[1], "wall", "wall (with the database)")):
        colours = plt.get_cmap("tab20").colors
        for i, (name, row) in enumerate(table.items()):
            ys = [row[s][measure] / row[sizes[0]][measure] for s in sizes]
            ax.plot(xs, ys, marker="os^Dv"[i // 20], color=colours[i % 20], linewidth=1.2,
                    linestyle="--" if is_dashboard(name) else "-", label=_ascii(name))
        ax.axhline(LIST_TARGET, color="green", linewidth=0.8, linestyle=":")
        ax.axhline(DASHBOARD_TARGET, color="red", linewidth=0.8, linestyle=":")
        ax.set_xscale("log")
        ax.set_xticks(xs, [f"{x:,}" for x in xs])
        ax.set_xlabel("members")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("ratio to the 1,000-member figure")
    axes[1].legend(fontsize=6.5, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.suptitle("Cost as the data grows (targets: 1.1x lists and writes, 3x dashboard)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


LABELS = {"成员名录": "directory", "我的": "my", "公示 list": "notices (gongshi) list"}


def _ascii(name):
    # The chart's font has no Chinese glyphs; the table beside it carries the Chinese names.
    for chinese, english in LABELS.items():
        name = name.replace(chinese, english)
    return name


def section(table, sizes, meta):
    first, last = sizes[0], sizes[-1]
    lines = [
        "## Cost as the data grows", "",
        f"Run: {meta['date']} (UTC), `python -m bench.scale` ({meta['rounds']} rounds × {meta['requests']} requests "
        f"per figure and size, after a warm-up; sizes {', '.join(sizes)} members, each in its own database). "
        "In-process through the test client: full middleware, DEBUG off, CSRF enforced, signed in. CPU is the "
        "request's thread CPU (Python side); wall includes the database server's own work. Ratio = figure at "
        f"{last} ÷ figure at {first}; target ≤ {LIST_TARGET}× for lists and writes, ≤ {DASHBOARD_TARGET}× for the "
        "dashboard (admin index: the workbench's counts and charts), judged on the CPU ratio as issue 20 sets the "
        "figures. The wall ratio is shown beside it: on this shared 2-core machine it moves with the other load and "
        "with the database's size even for a page that reads no list (the control row); a wall ratio well above "
        "the control's is a cost in the database that grows with the rows.", "",
        "![cost as the data grows](scale.png)", "",
        "| figure | " + " | ".join(f"{s} CPU / wall ms (queries)" for s in sizes) + " | ratio CPU / wall | target | result |",
        "|---|" + "---|" * (len(sizes) + 3),
    ]
    for name, row in table.items():
        if name.startswith("control"):
            target = None
        else:
            target = DASHBOARD_TARGET if is_dashboard(name) else LIST_TARGET
        cpu = row[last]["cpu"] / row[first]["cpu"]
        wall = row[last]["wall"] / row[first]["wall"]
        cells = [f"{row[s]['cpu']:.1f} / {row[s]['wall']:.1f} ({row[s]['queries']})" for s in sizes]
        result = "–" if target is None else "pass" if cpu <= target else "**miss**"
        shown = "–" if target is None else f"≤ {target}×"
        lines.append(f"| {name} | {' | '.join(cells)} | {cpu:.2f} / {wall:.2f} | {shown} | {result} |")
    lines += ["", *meta.get("notes", []), ""]
    return "\n".join(lines)


def seed_note(seeding):
    done = ", ".join(f"{size} {v['seconds']:.0f} s ({'built' if v['built'] else 'reused'})"
                     for size, v in seeding.items())
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"Seed: {done}; load average after the run: {load}."


def write_section(text, path=None):
    """Replace the text between the scale markers of bench/RESULTS.md (other sections are other benchmarks')."""
    path = path or ROOT / "bench" / "RESULTS.md"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"<!-- scale -->\n{text}\n<!-- /scale -->"
    pattern = re.compile(r"<!-- scale -->.*?<!-- /scale -->", re.S)
    updated = pattern.sub(lambda _: block, current) if pattern.search(current) else f"{current.rstrip()}\n\n{block}\n"
    path.write_text(updated, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="all", choices=["all", "seed", "measure"])
    parser.add_argument("--size", help="(seed, measure) the one size this process works on")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--rebuild", action="store_true", help="drop and re-seed the sizes' databases")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=11, help="per figure, size and round")
    args = parser.parse_args(argv)
    if args.size:
        os.environ.update(env_for(args.size))
    if args.command == "seed":
        print(json.dumps(seed_size(args.size)))
        return None
    if args.command == "measure":
        print(json.dumps(measure_size(args.size, args.requests)))
        return None
    sizes = args.sizes.split(",")
    seeding = {}
    for size in sizes:
        ensure_database(size, args.rebuild)
        seeding[size] = child("seed", size=size)
    raw = {size: {} for size in sizes}
    for r in range(args.rounds):
        for size in sizes:
            log(f"round {r + 1}: {size}")
            for name, samples in child("measure", "--requests", str(args.requests), size=size).items():
                into = raw[size].setdefault(name, {"cpu": [], "wall": []})
                into["cpu"] += samples["cpu"]
                into["wall"] += samples["wall"]
                into["queries"] = samples["queries"]
    (ROOT / "var" / "bench-scale").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "bench-scale" / "raw.json").write_text(json.dumps(raw), encoding="utf-8")
    table = summarise(raw, sizes)
    draw(table, sizes, ROOT / "bench" / "scale.png")
    meta = {"date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"), "rounds": args.rounds,
            "requests": args.requests,
            "notes": [seed_note(seeding)]}
    write_section(section(table, sizes, meta))
    log("wrote bench/scale.png and the scale section of bench/RESULTS.md")
    return table


if __name__ == "__main__":
    main()
