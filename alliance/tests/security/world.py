"""One world of two alliances (X and Y) with a record of every kind, built through the apps' services/factories.

Each side has an applicant (A in X, B in Y) with a membership application and an attachment, who is also the
provincial organiser of that alliance's pilot project with a submitted application, its scan, an award's
evidence, a printed PDF and a 聘书; a member with a certificate, a paid invoice and its receipt; a council
director with a meeting, a motion, a ballot and a closed result with both PDFs; a published briefing with its
PDF; and a secretariat staff account. Private files are stored as small stub PDFs/PNGs (no WeasyPrint here).
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from alliance.tests.factories import UserFactory, staff_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["anonymous", "applicant_a", "applicant_b", "member", "director_x", "director_y", "staff_x", "staff_y",
         "superuser"]
# Which role plays each part on each side; None: that side's person is not one of the roles.
SIDES = {
    "x": {"applicant": "applicant_a", "member": "member", "director": "director_x", "staff": "staff_x"},
    "y": {"applicant": "applicant_b", "member": None, "director": "director_y", "staff": "staff_y"},
}


@dataclass
class Side:
    alliance: object
    objects: dict = field(default_factory=dict)


@dataclass
class World:
    users: dict
    x: Side
    y: Side

    def side(self, key):
        return getattr(self, key)


def _side(users, *, key, applicant, director, staff):
    from finance import services as finance
    from finance.tests.factories import billed_member
    from governance import services as governance
    from governance.models import Ballot, Body
    from governance.tests.factories import BodyFactory, MeetingFactory, MotionFactory, SeatFactory
    from members import services as members
    from members.tests.factories import ApplicationFactory
    from projects.models import AppointmentLetter, Award, ProvincialOrganiser
    from projects.tests.factories import ProjectFactory, community_application, county_application, png_bytes

    invoice, _admitting_staff = billed_member()
    alliance = invoice.alliance
    member = invoice.member
    side = Side(alliance=alliance)
    o = side.objects
    secretariat_staff = staff_of(alliance, **staff)
    users[SIDES[key]["staff"]] = secretariat_staff
    if SIDES[key]["member"]:
        users[SIDES[key]["member"]] = member.user

    # Membership: a draft-then-submitted application with an attachment; the member's certificate.
    app = ApplicationFactory(alliance=alliance, applicant=users[applicant])
    o["attachment"] = members.attachment_add(
        actor=app.applicant, application=app,
        uploaded=SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf"))
    o["application"] = members.application_submit(actor=app.applicant, application=app)
    o["member"] = member
    certificate = member.certificates.get()
    certificate.file.save("cert.pdf", ContentFile(PDF), save=False)
    certificate.status = certificate.Status.READY
    certificate.save()
    o["certificate"] = certificate

    # Finance: the invoice paid in full, its receipt stored.
    payment = finance.payment_record(actor=secretariat_staff, invoice=invoice, amount=invoice.amount,
                                     paid_on=timezone.localdate(), method="bank_transfer")
    receipt = payment.receipt
    receipt.file.save("receipt.pdf", ContentFile(PDF), save=False)
    receipt.status = "ready"
    receipt.save()
    o["invoice"], o["receipt"] = invoice, receipt

    # Governance: a council with one director; a meeting, a motion voted and closed; both PDFs; a briefing.
    body = BodyFactory(alliance=alliance)
    seat = SeatFactory(body=body, user=users[director])
    meeting = MeetingFactory(body=body)
    motion = MotionFactory(meeting=meeting)
    governance.motion_document_attach(actor=secretariat_staff, motion=motion,
                                      uploaded=SimpleUploadedFile("工作计划.pdf", PDF, content_type="application/pdf"))
    governance.attendance_check_in(actor=seat.user, meeting=meeting)
    governance.vote_open(actor=secretariat_staff, motion=motion)
    governance.ballot_cast(actor=seat.user, motion=motion, choice=Ballot.Choice.FOR)
    result = governance.vote_close(actor=secretariat_staff, motion=motion)
    result.resolution_pdf.save("resolution.pdf", ContentFile(PDF), save=False)
    result.minutes_pdf.save("minutes.pdf", ContentFile(PDF), save=False)
    result.save()
    o.update(body=body, seat=seat, meeting=meeting, motion=motion, result=result)
    secretariat = BodyFactory(alliance=alliance, kind=Body.Kind.SECRETARIAT, name="秘书处")
    briefing = governance.briefing_create(actor=secretariat_staff, alliance=alliance,
                                          issued_on=datetime.date(2026, 1, 5), issuers=[secretariat],
                                          articles=[(1, "标题", "正文")])
    briefing = governance.briefing_publish(actor=secretariat_staff, briefing=briefing)
    briefing.pdf.save("briefing.pdf", ContentFile(PDF), save=True)
    o["briefing"] = briefing
    # The alliance's record (002 arts. 7–8, seed 003): a follow-up of the resolution, the annual report approved
    # and filed, a target with progress, a task led by the member, an agreement with its text.
    o["follow_up"] = governance.follow_up_record(actor=secretariat_staff, motion=motion, action="已执行",
                                                 acted_on=timezone.localdate())
    report = governance.annual_report_create(actor=secretariat_staff, alliance=alliance, year=2026,
                                             title="2026年度工作报告", text="正文")
    report.status, report.approved_by_motion, report.approved_on = "approved", motion, meeting.date
    report.pdf.save("report.pdf", ContentFile(PDF), save=False)
    report.pdf_status = "ready"
    report.save()
    o["annual_report"] = report
    target = governance.target_create(actor=secretariat_staff, alliance=alliance, title="数字资源补充更新",
                                      measure="更新率", unit="%", threshold=Decimal("20"),
                                      start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2030, 1, 1))
    o["target_progress"] = governance.target_progress_record(actor=secretariat_staff, target=target,
                                                             recorded_on=datetime.date(2026, 1, 1), value=Decimal(4))
    o["lead_task"] = governance.lead_task_create(actor=secretariat_staff, alliance=alliance, title="配套平台建设",
                                                 lead_member=member)
    o["agreement"] = governance.agreement_create(
        actor=secretariat_staff, alliance=alliance, title="合作协议", parties="甲\n乙",
        signed_on=datetime.date(2010, 6, 30), file=SimpleUploadedFile("协议.pdf", PDF))
    from members.models import MemberImport

    o["member_import"] = MemberImport.objects.create(alliance=alliance, created_by=secretariat_staff,
                                                     file_name="名册.xlsx")

    # The technical supporter's published assessment of the member (members only, 000 组织架构 1); an officer
    # condition (000 art. 14); an activity the member hosted (001 art. 23).
    support = BodyFactory(alliance=alliance, kind=Body.Kind.TECHNICAL_SUPPORT, name="技术支持者")
    supporter = SeatFactory(body=support, role="member", user=UserFactory(name="技术支持者账号")).user
    round_ = members.assessment_round_create(
        actor=supporter, alliance=alliance, title="业务考核", period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30), criteria=[("教研活动", Decimal("100"))], summary_visibility="members")
    members.assessment_enter(actor=supporter, round=round_, member=member,
                             scores={round_.criteria.get().pk: Decimal("90")}, grade="excellent")
    o["assessment_round"] = members.assessment_round_publish(actor=supporter, round=round_)
    governance.officer_condition_create(actor=secretariat_staff, alliance=alliance, article="第十四条（一）",
                                        text="政治素质好")
    finance.hosted_activity_create(actor=secretariat_staff, alliance=alliance, title="教研年会",
                                   held_on=datetime.date(2026, 3, 1), budget=Decimal("1000"), host=member)
    # The guidance committee's interpretation (001 art. 24); a referral of the member to the authorities after a
    # decision of a second council (001 art. 22 (一)), each body with its own voter (not a role here).
    for kind, name in ((Body.Kind.GUIDANCE_COMMITTEE, "指导委员会"), (Body.Kind.COUNCIL, "第二理事会")):
        deciding = BodyFactory(alliance=alliance, kind=kind, name=name)
        voter = SeatFactory(body=deciding, user=UserFactory(name=f"{name}委员")).user
        decision = governance.motion_create(actor=None, meeting=MeetingFactory(body=deciding), kind="other",
                                            title=f"{name}的决定")
        governance.attendance_check_in(actor=voter, meeting=decision.meeting)
        governance.vote_open(actor=None, motion=decision)
        governance.ballot_cast(actor=voter, motion=decision, choice=Ballot.Choice.FOR)
        governance.vote_close(actor=None, motion=decision)
        decision.refresh_from_db()
        if kind == Body.Kind.GUIDANCE_COMMITTEE:
            governance.charter_interpretation_record(actor=secretariat_staff, alliance=alliance, motion=decision,
                                                     article="第一条", text="解释")
        else:
            governance.member_referral_record(actor=secretariat_staff, member=member, decision=decision,
                                              referred_on=timezone.localdate(), addressee="教育厅", summary="事项")

    # Projects: the applicant is the 云南省 organiser; a submitted county application with scan and award
    # evidence, its stored PDF; a community application with its 聘书.
    project = ProjectFactory(alliance=alliance)
    ProvincialOrganiser.objects.create(project=project, province="云南省", user=users[applicant],
                                       unit_name="云南省电化教育馆")
    county = county_application(project, users[applicant], status="submitted")
    county.pdf_file.save("print.pdf", ContentFile(PDF), save=True)
    award = Award.objects.create(application=county, title="省级优秀教研团队")
    award.evidence.save("award.png", ContentFile(png_bytes()), save=True)
    community = community_application(project, users[applicant], status="final")
    letter = AppointmentLetter.objects.create(application=community, number=f"{alliance.code}-2026-001",
                                              issued_on=timezone.localdate(), status="done")
    letter.file.save("letter.pdf", ContentFile(PDF), save=True)
    from projects import services as projects
    from projects.models import SelectionCorrection, SelectionNotice
    from projects.tests.factories import expert_of

    assignment = projects.assignment_create(actor=secretariat_staff, application=county, expert=expert_of(project))
    today = timezone.localdate()
    notice = SelectionNotice.objects.create(project=project, title="入选名单公示", starts_on=today,
                                            ends_on=today + datetime.timedelta(days=6), published_at=timezone.now())
    notice.applications.set([community])
    pairing = projects.pairing_create(actor=secretariat_staff, community=community, subject=community.subject,
                                      grade=community.grade,
                                      county=county_application(project, users[applicant], status="final"))
    activity = projects.activity_record(actor=secretariat_staff, pairing=pairing, kind="sync", date=today,
                                        class_hours=Decimal("1"), teachers=[(community.team.first(), Decimal("1"))])
    SelectionCorrection.objects.create(project=project, application=county, selected=False, reason="更正",
                                       decided_by=secretariat_staff)
    o.update(project=project, project_application=county, award=award, letter=letter, assignment=assignment,
             notice=notice, pairing=pairing, activity=activity)
    return side


@contextmanager
def built_world(media_root):
    """Build the world inside a transaction rolled back at the end (for a module-scoped fixture)."""
    with override_settings(MEDIA_ROOT=media_root):
        atomic = transaction.atomic()
        atomic.__enter__()
        # Let the services' durable transactions nest in this block, as they do in a TestCase's.
        transaction.get_connection().atomic_blocks[-1]._from_testcase = True
        try:
            users = {
                "applicant_a": UserFactory(name="申请人甲"), "applicant_b": UserFactory(name="申请人乙"),
                "director_x": UserFactory(name="理事X"), "director_y": UserFactory(name="理事Y"),
                "superuser": UserFactory(is_superuser=True, is_staff=True, name="超级管理员"),
            }
            x = _side(users, key="x", applicant="applicant_a", director="director_x", staff={"name": "秘书X"})
            y = _side(users, key="y", applicant="applicant_b", director="director_y", staff={"name": "秘书Y"})
            yield World(users=users, x=x, y=y)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def object_of(world, model_admin, side):
    """A row of model_admin's model on one side of the world (None when the world has none)."""
    model = model_admin.model
    alliance = world.side(side).alliance
    from alliance.admin import AllianceScopedAdmin

    if isinstance(model_admin, AllianceScopedAdmin):
        path = model_admin.alliance_path
        return model._default_manager.filter(**{path: alliance} if path != "pk" else {"pk": alliance.pk}).first()
    from django.contrib.auth.models import Group

    from alliance.models import Email, User

    if model is User:
        return world.users["applicant_a" if side == "x" else "applicant_b"]
    if model is Email:
        return Email.objects.filter(to__contains=("@" if side == "x" else "")).order_by("pk").first()
    if model is Group:
        return Group.objects.order_by("pk").first()
    return model._default_manager.order_by("pk").first()  # e.g. django-axes' records: none in the world


def admin_pages(world, side="x"):
    """(label, url) of each registered model's admin changelist, add page (where there is one) and the change
    page of one row on the side (where it has one), as the superuser sees them."""
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        yield f"{info[0]}.{info[1]} changelist", reverse("admin:%s_%s_changelist" % info)
        try:
            yield f"{info[0]}.{info[1]} add", reverse("admin:%s_%s_add" % info)
        except NoReverseMatch:
            pass
        row = object_of(world, model_admin, side)
        if row is not None:
            yield f"{info[0]}.{info[1]} change", reverse("admin:%s_%s_change" % info, args=[row.pk])
