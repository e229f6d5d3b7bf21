"""The expected answer of every URL of the site for every role: the security matrix.

A rule names who may use a URL (tokens resolved per side: the X object's applicant is applicant A, its staff
is staff of X, ...) and what they get; every other role must be refused: anonymous visitors are sent to the
login page, signed-in people get 403 or 404. So a 200 for anyone not named is a leak, and a URL pattern with
no rule fails `test_every_url_pattern_is_classified`.
"""

from dataclasses import dataclass

from .world import ROLES, SIDES

REFUSED = frozenset({403, 404})


@dataclass(frozen=True)
class Rule:
    allowed: frozenset  # tokens: anyone, user, applicant, member, director, staff, any_staff, superuser
    ok: frozenset = frozenset({200})
    target: object = None  # (world, side) -> URL kwargs, for a URL about one side's object
    method: str = "GET"
    login_required: bool = True  # refused anonymous visitors are sent to the login page
    note: str = ""


def rule(*allowed, ok=(200,), target=None, method="GET", login_required=True, note=""):
    return Rule(frozenset(allowed), frozenset(ok), target, method, login_required, note)


def obj(name, attr="pk", key="pk"):
    return lambda world, side: {key: getattr(world.side(side).objects[name], attr)}


def alliance_slug(**extra):
    return lambda world, side: {"slug": world.side(side).alliance.slug, **extra}


def roles_for(allowed, side):
    """The roles a rule's tokens name, for the object of `side` (None: a URL about no object)."""
    roles = set()
    for token in allowed:
        if token == "anyone":
            roles.update(ROLES)
        elif token == "user":
            roles.update(r for r in ROLES if r != "anonymous")
        elif token == "superuser":
            roles.add("superuser")
        elif token == "any_staff":
            roles.update({"staff_x", "staff_y", "superuser"})
        elif side is not None and SIDES[side][token]:
            roles.add(SIDES[side][token])
    return roles


OWNER_OR_STAFF = ("applicant", "staff", "superuser")
MEMBER_OR_STAFF = ("member", "staff", "superuser")
DIRECTOR_OR_STAFF = ("director", "staff", "superuser")
STAFF = ("staff", "superuser")

SITE = {
    # ---- public pages and accounts
    "home": rule("anyone", login_required=False),
    "healthz": rule("anyone", ok=(200, 503), login_required=False, note="503 when a dependency is down"),
    "search": rule("anyone", login_required=False, note="public records only: alliances, 成员名录, 公示"),
    "set_language": rule("anyone", ok=(302,), login_required=False),
    "alliance_detail": rule("anyone", target=alliance_slug(), login_required=False),
    "member_directory": rule("anyone", target=alliance_slug(), login_required=False,
                             note="public 成员名录: names and numbers only, no contact data"),
    "alliance_logo": rule(ok=(404,), target=alliance_slug(), login_required=False, note="no logo uploaded: 404"),
    "signup": rule("anyone", ok=(200, 302), login_required=False, note="signed-in people are sent to profile"),
    "signup_done": rule("anyone", login_required=False),
    "email_verify": rule("anyone", ok=(400,), login_required=False, target=lambda world, side: {"token": "forged"},
                         note="a forged link: the refusal page, nothing verified"),
    "email_verify_resend": rule("user"),
    "privacy": rule("anyone", login_required=False),
    "profile": rule("user"),
    "login": rule("anyone", login_required=False),
    "logout": rule("anyone", ok=(405,), login_required=False, note="POST only (not sent: it would end the session)"),
    "password_reset": rule("anyone", login_required=False),
    "password_reset_done": rule("anyone", login_required=False),
    "password_reset_confirm": rule("anyone", login_required=False,
                                   target=lambda world, side: {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": rule("anyone", login_required=False),
    "password_change": rule("user"),
    "password_change_done": rule("user"),
    "verify": rule("anyone", login_required=False, target=obj("certificate", "token", "token")),
    # ---- members
    "members:apply_start": rule("user", ok=(200, 302), target=alliance_slug()),
    "members:application_create": rule("user", ok=(200, 302), target=alliance_slug(kind="unit"),
                                       note="302 to one's own open application"),
    "members:my_applications": rule("user"),
    "members:application_detail": rule(*OWNER_OR_STAFF, target=obj("application")),
    "members:application_edit": rule("applicant", ok=(302,), target=obj("application"),
                                     note="submitted: the applicant is sent back to the detail page"),
    "members:attachment_download": rule(*OWNER_OR_STAFF, target=obj("attachment")),
    "members:attachment_delete": rule("applicant", ok=(302,), method="POST", target=obj("attachment")),
    "members:member_detail": rule(*MEMBER_OR_STAFF, target=obj("member")),
    "members:member_withdrawal_request": rule(*MEMBER_OR_STAFF, ok=(302,), method="POST", target=obj("member")),
    "members:member_liaison": rule(*MEMBER_OR_STAFF, ok=(302,), method="POST", target=obj("member")),
    "members:certificate_download": rule(*MEMBER_OR_STAFF, target=obj("certificate")),
    "members:assessment_list": rule("user", note="lists the rounds of the alliances the account supports"),
    "members:assessment_round_create": rule(ok=(404,), target=alliance_slug(),
                                            note="only the technical supporter's accounts (not a role here)"),
    "members:assessment_round": rule(*STAFF, target=obj("assessment_round"),
                                     note="and the technical supporter's accounts"),
    "members:assessment_enter": rule(note="only the technical supporter's accounts (not a role here)",
                                     target=lambda world, side: {
                                         "pk": world.side(side).objects["assessment_round"].pk,
                                         "member_pk": world.side(side).objects["member"].pk}),
    "members:assessment_export": rule(*STAFF, target=obj("assessment_round"),
                                      note="and the technical supporter's accounts"),
    "members:assessment_summary": rule(*MEMBER_OR_STAFF, target=obj("assessment_round"),
                                       note="a members-only round; a public one is anyone's"),
    # ---- finance
    "finance:my_invoices": rule("user"),
    "finance:receipt_download": rule(*MEMBER_OR_STAFF, target=obj("receipt")),
    # ---- governance
    "governance:meeting_list": rule("user"),
    "governance:meeting_detail": rule(*DIRECTOR_OR_STAFF, target=obj("meeting")),
    "governance:meeting_check_in": rule("director", ok=(302,), method="POST", target=obj("meeting"),
                                        note="staff may see the meeting but not check in: 403"),
    "governance:motion_detail": rule(*DIRECTOR_OR_STAFF, target=obj("motion")),
    "governance:motion_document": rule(*DIRECTOR_OR_STAFF, target=obj("motion"), note="the document voted on"),
    "governance:motion_vote": rule("director", ok=(302,), method="POST", target=obj("motion"),
                                   note="staff may see the motion but not vote: 403"),
    "governance:motion_tie_break": rule(*DIRECTOR_OR_STAFF, ok=(302,), method="POST", target=obj("motion")),
    "governance:result_pdf": rule(*DIRECTOR_OR_STAFF,
                                  target=lambda world, side: {"pk": world.side(side).objects["motion"].pk,
                                                              "document": "resolution"}),
    "governance:briefing_list": rule("user"),
    "governance:briefing_pdf": rule(*DIRECTOR_OR_STAFF, target=obj("briefing")),
    "governance:annual_report_pdf": rule("anyone", login_required=False, target=obj("annual_report"),
                                         note="a filed annual work report is public with its alliance (002 art. 7)"),
    "governance:agreement_file": rule("member", *DIRECTOR_OR_STAFF, target=obj("agreement")),
    # ---- projects (the applicant is the project's provincial organiser)
    "projects:list": rule("anyone", login_required=False),
    "projects:detail": rule(*OWNER_OR_STAFF, target=obj("project")),
    "projects:application_new": rule("applicant", ok=(302,), method="POST",
                                     target=lambda world, side: {"pk": world.side(side).objects["project"].pk,
                                                                 "kind": "county"}),
    "projects:contact": rule("applicant", target=obj("project")),
    "projects:contact_pdf": rule(ok=(404,), target=obj("project"), note="no contact form filed: 404 for all"),
    "projects:contact_pdf_province": rule(
        ok=(404,), note="no contact form filed: 404 for all",
        target=lambda world, side: {"pk": world.side(side).objects["project"].pk, "province": "云南省"}),
    "projects:contact_scan": rule(ok=(404,), target=obj("project"), note="no contact form filed: 404 for all"),
    "projects:contact_scan_province": rule(
        ok=(404,), note="no contact form filed: 404 for all",
        target=lambda world, side: {"pk": world.side(side).objects["project"].pk, "province": "云南省"}),
    "projects:selection": rule(*STAFF, target=obj("project")),
    "projects:notice_publish": rule(*STAFF, method="POST", target=obj("project"), note="empty form: shown again"),
    "projects:selection_correct": rule(*STAFF, method="POST", target=obj("project"), note="empty form: shown again"),
    "projects:dashboard": rule(*STAFF, target=obj("project")),
    "projects:application_detail": rule(*OWNER_OR_STAFF, target=obj("project_application")),
    "projects:application_edit": rule("applicant", ok=(302,), target=obj("project_application"),
                                      note="submitted: sent back to the detail page"),
    "projects:application_delete": rule("applicant", ok=(302,), target=obj("project_application"),
                                        note="submitted: sent back to the detail page, never deleted"),
    "projects:application_pdf": rule(*OWNER_OR_STAFF, target=obj("project_application")),
    "projects:application_scan": rule(*OWNER_OR_STAFF, target=lambda world, side: {
        "pk": world.side(side).objects["project_application"].pk, "field": "opinion_scan"}),
    "projects:award_evidence": rule(*OWNER_OR_STAFF, target=obj("award")),
    "projects:letter_pdf": rule(*OWNER_OR_STAFF, target=obj("letter")),
    "projects:review_list": rule("user"),
    "projects:review_score": rule(target=obj("assignment"), note="only the assigned expert (not a role here)"),
    "projects:call_detail": rule("anyone", target=obj("project", attr="slug", key="slug"), login_required=False),
    "projects:call_form_pdf": rule("anyone", login_required=False, target=lambda world, side: {
        "slug": world.side(side).objects["project"].slug, "form": "contact"}),
    "projects:notice_list": rule("anyone", login_required=False),
    "projects:notice_detail": rule("anyone", target=obj("notice"), login_required=False),
    "projects:notice_finalise": rule(*STAFF, ok=(200,), method="POST", target=obj("notice"),
                                     note="the confirmation page: only a post with confirm finalises"),
    "projects:pairing_activities": rule(*OWNER_OR_STAFF, target=obj("pairing"),
                                        note="the applicant is the county province's organiser"),
    "projects:activity_confirm": rule(*STAFF, ok=(302,), method="POST", target=obj("activity")),
}

# Admin views that are not a registered ModelAdmin's standard pages.
ADMIN = {
    "admin:index": rule("any_staff"),
    "admin:login": rule("anyone", ok=(200, 302), login_required=False, note="staff are sent on to the index"),
    "admin:logout": rule("anyone", ok=(302, 405), login_required=False, note="POST only; GET sent back"),
    "admin:password_change": rule("any_staff"),
    "admin:password_change_done": rule("any_staff"),
    "admin:autocomplete": rule(ok=(403,), note="without its parameters, refused for everyone"),
    "admin:jsi18n": rule("any_staff"),
    "admin:view_on_site": rule("superuser", ok=(302,), note="staff: 302 only for their own alliances' objects"),
    "admin:app_list": rule("any_staff", target=lambda world, side: {"app_label": "members"}),
    "admin:catch_all": rule(ok=(404,)),
    "admin:auth_user_password_change": rule(
        "superuser", target=lambda world, side: {"id": world.users[SIDES[side]["applicant"]].pk}),
    "admin:finance_invoice_issue": rule("any_staff"),
    "admin:finance_invoice_accounts": rule("any_staff"),
    "admin:finance_expense_subsidies": rule("any_staff"),
    "admin:finance_invoice_pay": rule(*STAFF, target=obj("invoice")),
    "admin:finance_invoice_waive": rule(*STAFF, target=obj("invoice")),
    "admin:governance_motion_record_ballot": rule(*STAFF, target=obj("motion")),
    "admin:members_member_import": rule("any_staff", note="staff pick only the alliances they manage"),
    "admin:members_member_import_template": rule("any_staff"),
    "admin:members_member_import_progress": rule(*STAFF, target=obj("member_import")),
    "admin:members_member_certificates_progress": rule("any_staff", note="lists only the staff's alliances' rows"),
    "admin:governance_motion_record_hands": rule(*STAFF, target=obj("motion")),
}
