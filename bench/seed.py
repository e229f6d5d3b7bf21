"""Seed the benchmark database quickly: demo data first, then bulk rows shaped as the services leave them.

10,000 members, 2,000 applications, 200 meetings and 1,000 motions across the demo alliances that take
members (cop, nmg, jswl; gz has its six charter centres and ncet is an agency), plus 100 directors seated on
the cop council and a staff account. Rows are written with bulk_create_with_history, so every row has the
history record a service would have written, and the member-number counters match the numbers given.
Run through bench/run.py (which sets the environment); ``seed(rebuild=False)`` is a no-op when complete.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from simple_history.utils import bulk_create_with_history

N_MEMBERS = 10_000
N_APPLICATIONS = 2_000
N_MEETINGS = 200
N_MOTIONS = 1_000
N_DIRECTORS = 100
PASSWORD = "Bench-2026"
MARKER = "bench-seed@bench.test"  # the last row written: its presence means the seed completed
SHARE = {"cop": 0.6, "nmg": 0.25, "jswl": 0.15}  # of members and applications
PROVINCES = [("北京市", "北京市", "海淀区"), ("河北省", "石家庄市", "长安区"), ("内蒙古自治区", "呼和浩特市", "赛罕区"),
             ("广东省", "广州市", "天河区"), ("江苏省", "南京市", "鼓楼区"), ("四川省", "成都市", "武侯区")]


def sizes(n_members=N_MEMBERS):
    """The rows seeded beside n members, in the proportions of the 10,000-member seed; meetings and motions never
    fewer than that seed's, so that every list of them fills its first page at the smallest size too."""
    return {"members": n_members, "applications": n_members * N_APPLICATIONS // N_MEMBERS,
            "meetings": max(n_members * N_MEETINGS // N_MEMBERS, N_MEETINGS),
            "motions": max(n_members * N_MOTIONS // N_MEMBERS, N_MOTIONS)}


def is_complete(n_members=N_MEMBERS):
    from alliance.models import User
    from governance.models import Meeting, Motion
    from members.models import Application, Member

    n = sizes(n_members)
    return (
        User.objects.filter(email=MARKER).exists()
        and Member.objects.count() >= n["members"]
        and Application.objects.count() >= n["applications"]
        and Meeting.objects.count() >= n["meetings"]
        and Motion.objects.count() >= n["motions"]
    )


def _unit_fields(i, unit_type, rng):
    province, city, county = rng.choice(PROVINCES)
    return {
        "unit_name": f"{city}{county}第{i}实验学校", "unit_type": unit_type, "province": province, "city": city,
        "county": county, "address": f"{city}{county}学院路{i}号", "postcode": "100048", "head_name": f"校长{i}",
        "head_title": "校长", "head_phone": "010-68902177", "contact_name": f"联系人{i}", "contact_title": "办公室主任",
        "contact_mobile": f"138{i:08d}", "contact_email": f"unit{i}@bench.test",
        "field_of_work": "教师专业发展与课堂教学研究", "description": "区属公办学校，承担教师培训任务。",
        "consent_charter": True, "consent_voluntary": True,
    }


def _person_fields(i, rng):
    return {
        "person_name": f"教师{i}", "gender": rng.choice(["male", "female"]), "birth_date": datetime.date(1980, 1, 1)
        + datetime.timedelta(days=i % 5000), "ethnicity": "汉族", "employer": "北京市海淀区教师进修学校",
        "professional_title": "中学高级教师", "position": "教研员", "mobile": f"139{i:08d}",
        "email": f"person{i}@bench.test", "address": "北京市海淀区", "postcode": "100080",
        "field_of_work": "教师培训", "achievements": "主持市级课题一项。", "consent_charter": True,
        "consent_voluntary": True,
    }


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def _seed(out, n_members=N_MEMBERS, extra=None):
    from django.utils import timezone

    from alliance.demo import demo_user
    from alliance.models import Alliance, Counter, User
    from governance.models import Body, Meeting, Motion, Seat
    from members.models import (
        Application, ApplicationEvent, Certificate, Kind, Liaison, Member, MemberEvent,
    )

    n = sizes(n_members)
    n_applications, n_meetings, n_motions = n["applications"], n["meetings"], n["motions"]
    rng = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    staff = {"cop": demo_user("cop-staff@demo.test"), "nmg": demo_user("nmg-staff@demo.test"),
             "jswl": demo_user("admin@demo.test")}
    alliances = {a.slug: a for a in Alliance.objects.select_related("rules").filter(slug__in=SHARE)}
    password = make_password(PASSWORD)

    # Applicants (one account per application, as the public form has it) and the directors.
    users = [User(email=f"bench-applicant-{i:05d}@bench.test", name=f"申请人{i}", password=password)
             for i in range(n_applications)]
    users += [User(email=f"bench-director-{i:03d}@bench.test", name=f"理事{i}", password=password)
              for i in range(N_DIRECTORS)]
    users = User.objects.bulk_create(users, batch_size=1000)
    applicants, directors = users[:n_applications], users[n_applications:]
    out(f"users: {len(users)}")

    # Applications: 75 % approved (each becomes a member), the rest in review, drafts, returned or rejected.
    statuses = ["approved"] * 75 + ["submitted"] * 12 + ["draft"] * 5 + ["returned"] * 5 + ["rejected"] * 3
    apps = []
    slugs = [s for s, share in SHARE.items() for _ in range(int(share * 100))]
    for i, applicant in enumerate(applicants):
        slug = slugs[i % len(slugs)]
        alliance = alliances[slug]
        kind = Kind.INDIVIDUAL if slug == "cop" and i % 5 == 0 else Kind.UNIT
        fields = (_person_fields(i, rng) if kind == Kind.INDIVIDUAL
                  else _unit_fields(i, rng.choice(alliance.rules.unit_type_list), rng))
        status = statuses[i % len(statuses)]
        submitted = now - datetime.timedelta(days=rng.randint(1, 2000), minutes=rng.randint(0, 1440))
        app = Application(alliance=alliance, applicant=applicant, kind=kind, status=status, **fields)
        if status != "draft":
            app.submitted_at = submitted
        if status in ("approved", "rejected"):
            app.decided_at = submitted + datetime.timedelta(days=7)
        if status in ("returned", "rejected"):
            app.review_note = "请补充证明材料（章程第五条）。"
        apps.append(app)
    apps = bulk_create_with_history(apps, Application, batch_size=2000, default_change_reason="提交申请")
    events = []
    for app in apps:
        events.append(ApplicationEvent(application=app, to_status="draft", actor=app.applicant, reason="创建申请草稿",
                                       created_at=app.submitted_at or now))
        if app.status != "draft":
            events.append(ApplicationEvent(application=app, from_status="draft", to_status="submitted",
                                           actor=app.applicant, reason="提交申请", created_at=app.submitted_at))
        if app.status in ("approved", "returned", "rejected"):
            events.append(ApplicationEvent(
                application=app, from_status="submitted", to_status=app.status, actor=staff[app.alliance.slug],
                reason=app.review_note or "秘书处审查批准", created_at=app.submitted_at + datetime.timedelta(days=7),
            ))
    ApplicationEvent.objects.bulk_create(events, batch_size=2000)
    out(f"applications: {len(apps)}, events: {len(events)}")

    # Members: the approved applications, then members enrolled by charter/decision to reach N_MEMBERS.
    approved = [a for a in apps if a.status == "approved"]
    specs = []  # (alliance, application or None, kind, name, admitted_on, user)
    for app in approved:
        specs.append((app.alliance, app, app.kind, app.display_name, app.decided_at.date(), app.applicant))
    for i in range(n_members - len(specs)):
        slug = slugs[i % len(slugs)]
        admitted = today - datetime.timedelta(days=rng.randint(30, 2500))
        specs.append((alliances[slug], None, Kind.UNIT, f"{slug.upper()}成员单位{i:05d}", admitted, None))
    specs.sort(key=lambda s: (s[0].pk, s[4]))
    counters = {(c.alliance_id, c.year): c for c in Counter.objects.filter(kind=Counter.Kind.MEMBER)}
    # An expulsion or a sanction rests on a passed motion: the demo's passed council motion stands in for it.
    decision = Motion.objects.filter(status=Motion.Status.PASSED).order_by("pk").first()
    members, new_counters = [], []
    for alliance, app, kind, name, admitted, user in specs:
        counter = counters.get((alliance.pk, admitted.year))
        if counter is None:
            counter = counters[(alliance.pk, admitted.year)] = Counter(kind=Counter.Kind.MEMBER, alliance=alliance,
                                                                       year=admitted.year)
            new_counters.append(counter)
        counter.value += 1
        rules = alliance.rules
        term_ends = _years_later(admitted, rules.member_term_years) if rules.member_term_years else None
        member = Member(
            alliance=alliance, application=app, user=user, kind=kind, name=name, admitted_on=admitted,
            number=rules.format_member_number(year=admitted.year, seq=counter.value), term_ends_on=term_ends,
            admission_reference="" if app else "成员大会决定（基准测试数据）",
        )
        roll = rng.random()
        if term_ends and term_ends < today:
            member.status, member.ended_on = Member.Status.LAPSED, term_ends
        elif roll < 0.04:
            member.status, member.ended_on = Member.Status.WITHDRAWN, admitted + datetime.timedelta(days=30)
        elif roll < 0.05:
            member.status, member.ended_on = Member.Status.EXPELLED, admitted + datetime.timedelta(days=30)
            member.decision = decision
        elif roll < 0.06:
            member.status, member.decision = Member.Status.SUSPENDED, decision
            member.suspended_rights = [Member.Right.VOTE]
        members.append(member)
    Counter.objects.bulk_create(new_counters)
    for counter in counters.values():
        if counter not in new_counters:
            counter.save(update_fields=["value"])
    members = bulk_create_with_history(members, Member, batch_size=2000, default_change_reason="入会")
    member_events, liaisons, certificates = [], [], []
    for m in members:
        member_events.append(MemberEvent(member=m, to_status="active", step="admitted", reference=m.admission_reference,
                                         created_at=now))
        if m.status != "active":
            member_events.append(MemberEvent(member=m, from_status="active", to_status=m.status,
                                             reason="状态变更（基准测试数据）", created_at=now))
        if m.application and m.kind == Kind.UNIT:
            a = m.application
            liaisons.append(Liaison(member=m, name=a.contact_name, title=a.contact_title, phone=a.contact_mobile,
                                    email=a.contact_email))
        # Issued at admission; left pending as if the workers had not rendered them yet (the bench renders
        # its own batches through the real task).
        certificates.append(Certificate(member=m, issued_on=m.admitted_on, valid_until=m.term_ends_on))
    MemberEvent.objects.bulk_create(member_events, batch_size=5000)
    bulk_create_with_history(liaisons, Liaison, batch_size=2000)
    bulk_create_with_history(certificates, Certificate, batch_size=2000, default_change_reason="发放成员证书")
    out(f"members: {len(members)}, liaisons: {len(liaisons)}, certificates: {len(certificates)}")

    # Governance: 100 directors on the cop council; scheduled meetings of the decision bodies (200 beside 10,000
    # members), 5 motions each.
    council = Body.objects.get(alliance__slug="cop", name="理事会")
    seats = [Seat(body=council, role=Seat.Role.DIRECTOR, person_name=d.name, user=d, unit_name="基准测试单位",
                  start_date=datetime.date(2025, 1, 1), order=200 + i) for i, d in enumerate(directors)]
    bulk_create_with_history(seats, Seat, default_change_reason="理事任职（基准测试数据）")
    bodies = list(Body.objects.filter(alliance__slug__in=["cop", "nmg", "gz", "jswl"],
                                      kind__in=[Body.Kind.COUNCIL, Body.Kind.JOINT_MEETING]))
    meetings = []
    for i in range(n_meetings):
        body = bodies[i % len(bodies)]
        meetings.append(Meeting(body=body, title=f"{body.name}第{i + 1}次会议（基准测试）", form="in_person",
                                date=today + datetime.timedelta(days=30 + i * 7 % 3650), place="会议室",
                                agenda="一、审定年度工作计划"))
    meetings = bulk_create_with_history(meetings, Meeting, batch_size=2000, default_change_reason="安排会议")
    kinds = [Motion.Kind.APPROVE_PLAN, Motion.Kind.APPROVE_REPORT, Motion.Kind.ADOPT_RULES, Motion.Kind.OTHER]
    motions = [Motion(meeting=m, order=j + 1, kind=kinds[j % len(kinds)], title=f"议案{j + 1}：{m.title}",
                      text="提请审议。") for m in meetings for j in range(n_motions // n_meetings)]
    motions = bulk_create_with_history(motions, Motion, batch_size=2000, default_change_reason="提出议案")
    out(f"seats: {len(seats)}, meetings: {len(meetings)}, motions: {len(motions)}")
    if extra:
        extra(out=out, rng=rng, members=members, seats=seats, motions=motions, staff=staff)
    User.objects.create_user(email=MARKER, name="基准测试标记", password=None)


def seed(*, out=print, n_members=N_MEMBERS, extra=None):
    """``extra(out=, rng=, members=, seats=, motions=, staff=)`` adds rows in the same transaction."""
    call_command("migrate", verbosity=0, interactive=False)
    if is_complete(n_members):
        out("seed: complete, reused")
        analyze()
        return False
    call_command("loaddemo")
    _seed(out, n_members, extra)
    analyze()
    return True


def analyze():
    """Planner statistics, as autovacuum would have them on a live database (bulk loads leave none)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
