"""Writes of the projects app: filing the forms, review, 公示, appointment letters, pairing and activities.

The call's rules are read from the project row (004 二); the messages are the ones a provincial organiser
reads next to the fields.
"""

import logging
from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliance import documents, numbering
from alliance.documents import File, Kind
from alliance.models import Notice, User
from alliance.queueing import enqueue_on_commit
from alliance.services import checked_and_saved, notify, site_language, with_history
from alliance.uploads import safe_name

from . import selectors
from .models import (
    Activity, ActivityTeacher, Application, AppointmentLetter, Assignment, Pairing, Project, ProjectExpert,
    ProvincialContact, ProvincialOrganiser, Score, SelectionCorrection, SelectionNotice, TeamMember, Textbook,
    grade_label,
)

logger = logging.getLogger(__name__)
Status = Application.Status


def _deadline_passed(project, now=None):
    return (now or timezone.now()) > project.deadline


def _deadline_message(project):
    local = timezone.localtime(project.deadline)
    return _("申报已于%(date)s %(time)s截止，不能再提交。") % {
        "date": date_format(local, "DATE_FORMAT"), "time": f"{local:%H:%M}"}


# ---- the call: its settings, subject table, criteria, organisers and experts -----------------------------------
# Not durable: the admin's change form calls these inside its own transaction.

# 004 二: what every submitted application was checked against; fixed once the first one is submitted.
SELECTION_RULES = ["counties_min_per_province", "counties_max_per_province", "county_team_min_per_group",
                   "community_team_min", "community_team_max"]


@transaction.atomic
def project_save(*, actor, project):
    """Create the call or change its settings. The organising alliance is kept; the selection rules stay as
    they were once an application has been submitted."""
    selectors.require_manage_project(actor, project)
    adding = project.pk is None
    if not adding:
        before = Project.objects.select_for_update().select_related("alliance").get(pk=project.pk)
        selectors.require_manage_project(actor, before)
        errors = {}
        if before.alliance_id != project.alliance_id:
            errors["alliance"] = _("项目创建后不能更改组织单位。")
        changed = [name for name in SELECTION_RULES if getattr(before, name) != getattr(project, name)]
        if changed and before.applications.exclude(status=Status.DRAFT).exists():
            for name in changed:
                errors[name] = _("已有申报表提交，遴选规则不能再修改。")
        if errors:
            raise ValidationError(errors)
    checked_and_saved(project, actor=actor, reason="新建项目" if adding else "修改项目设置")
    return project


def _rows_save(*, actor, project, saved, deleted, used, kept, message, reason):
    """Save the new and changed rows of one of the call's tables and delete the removed ones.

    A row that ``used`` says is in use keeps the fields ``kept`` and is not deleted; ``message`` names it.
    """
    selectors.require_manage_project(actor, project)
    if any(row.project_id != project.pk for row in [*saved, *deleted]):
        raise PermissionDenied(_("该行不属于本项目。"))

    def changed(row):
        before = type(row)._default_manager.get(pk=row.pk)
        return any(getattr(before, name) != getattr(row, name) for name in kept)

    refused = [row for row in deleted if used(row)] + [row for row in saved if row.pk and changed(row) and used(row)]
    if refused:
        raise ValidationError(message % {"names": _("、").join(str(row) for row in refused)})
    for row in deleted:
        with_history(row, actor=actor, reason=reason).delete()
    for row in saved:
        checked_and_saved(row, actor=actor, reason=reason)


def _subject_used(subject):
    return any(model.objects.filter(subject=subject).exists()
               for model in (Application, Textbook, TeamMember, Pairing))


@transaction.atomic
def subjects_save(*, actor, project, saved, deleted):
    """The call's subject/grade table (004 二（二）): a row already filed against keeps its subject and grades."""
    _rows_save(actor=actor, project=project, saved=saved, deleted=deleted, used=_subject_used,
               kept=["stage", "subject", "grade_from", "grade_to"], reason="修改学科年级",
               message=_("%(names)s已被申报表或结对使用，不能删除或更改学科、年级。"))


@transaction.atomic
def criteria_save(*, actor, project, saved, deleted):
    """The review criteria: one an expert has scored against keeps its form and full score."""
    _rows_save(actor=actor, project=project, saved=saved, deleted=deleted,
               used=lambda criterion: Score.objects.filter(criterion=criterion).exists(),
               kept=["kind", "max_score"], reason="修改评分项",
               message=_("%(names)s已有专家评分，不能删除或更改适用申报表和满分。"))


def _account_by_email(email):
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"email": _("没有使用该电子邮箱的有效账号，请先请对方注册。")})
    return user


@transaction.atomic
def organiser_add(*, actor, project, email, province, unit_name=""):
    """Make the account with this e-mail a provincial organiser of the project (004 三)."""
    selectors.require_manage_project(actor, project)
    user = _account_by_email(email)
    if ProvincialOrganiser.objects.filter(project=project, user=user).exists():
        raise ValidationError({"email": _("%(user)s已是本项目的省级项目组织单位。") % {"user": user}})
    organiser = ProvincialOrganiser(project=project, user=user, province=province, unit_name=unit_name)
    checked_and_saved(organiser, actor=actor, reason="添加省级项目组织单位")
    return organiser


@transaction.atomic
def organiser_remove(*, actor, organiser):
    selectors.require_manage_project(actor, organiser.project)
    with_history(organiser, actor=actor, reason="移除省级项目组织单位").delete()


@transaction.atomic
def expert_add(*, actor, project, email, title=""):
    """Make the account with this e-mail a review expert of the project."""
    selectors.require_manage_project(actor, project)
    user = _account_by_email(email)
    if ProjectExpert.objects.filter(project=project, user=user).exists():
        raise ValidationError({"email": _("%(user)s已是本项目的评审专家。") % {"user": user}})
    expert = ProjectExpert(project=project, user=user, title=title)
    checked_and_saved(expert, actor=actor, reason="添加评审专家")
    return expert


@transaction.atomic
def expert_remove(*, actor, expert):
    """An expert with applications assigned to them in the project stays (their assignments need them)."""
    selectors.require_manage_project(actor, expert.project)
    if Assignment.objects.filter(application__project=expert.project_id, expert=expert.user_id).exists():
        raise ValidationError(_("%(user)s已分配了评审任务，不能移除。") % {"user": expert.user})
    with_history(expert, actor=actor, reason="移除评审专家").delete()


# ---- filing ------------------------------------------------------------------------------------------------

@transaction.atomic(durable=True)
def application_create(*, actor, project, kind):
    """Start a draft for the actor's province. Only a provincial organiser files, and only before the deadline."""
    role = selectors.organiser_role(user=actor, project=project)
    if role is None:
        raise PermissionDenied(_("只有省级项目组织单位可以填报申报表。"))
    if _deadline_passed(project):
        raise ValidationError(_deadline_message(project))
    application = Application(project=project, province=role.province, kind=kind, created_by=actor)
    application.opinion_unit = role.unit_name
    checked_and_saved(application, actor=actor, reason="新建申报表草稿")
    return application


def _scan_names_keep(form, fields):
    """Keep the uploader's name of each scan newly uploaded in ``form`` (shown back, never used on disk)."""
    for field in fields:
        upload = form.cleaned_data.get(field)
        if upload and hasattr(upload, "name") and field in form.changed_data:
            setattr(form.instance, f"{field}_name", safe_name(upload.name))


def _rows_save_in_form_order(formset, *, actor):
    """Save a formset's rows numbered as they stand on the form: the printed forms and the 聘书 list them so."""
    changed = {id(obj) for obj in formset.save(commit=False)}
    for obj in formset.deleted_objects:
        with_history(obj, actor=actor, reason="删除行").delete()
    position = 0
    for form in formset.forms:
        obj = form.instance
        if formset._should_delete_form(form) or (obj.pk is None and id(obj) not in changed):
            continue  # a deleted row, or a blank one
        position += 1
        if hasattr(obj, "order") and obj.order != position:
            obj.order = position
            changed.add(id(obj))
        if id(obj) in changed:
            with_history(obj, actor=actor, reason="保存草稿").save()


@transaction.atomic(durable=True)
def application_save_draft(*, actor, form, formsets):
    """Save a draft from a valid form and its valid formsets (schools, textbooks, team, awards)."""
    application = form.instance
    selectors.application_get_for_user(user=actor, pk=application.pk, edit=True)
    if not Application.objects.filter(pk=application.pk, status=Status.DRAFT).exists():
        raise ValidationError(_("申报表已提交，不能再修改。"))
    _scan_names_keep(form, [field for field, _block in Application.SCANS[application.kind]])
    application = form.save(commit=False)
    with_history(application, actor=actor, reason="保存草稿").save()
    for formset in formsets:
        _rows_save_in_form_order(formset, actor=actor)
    return application


@transaction.atomic(durable=True)
def application_delete_draft(*, actor, application):
    """Delete a draft its province's organiser started, with its rows; its uploaded files go after the commit.
    A submitted application is never deleted: it has been filed (004 三)."""
    selectors.application_get_for_user(user=actor, pk=application.pk, edit=True)
    draft = Application.objects.select_for_update().filter(pk=application.pk, status=Status.DRAFT).first()
    if draft is None:
        raise ValidationError(_("申报表已提交，不能删除。"))
    files = [scan for _field, _block, scan, _name in draft.scans() if scan]
    files += [award.evidence for award in draft.awards.all() if award.evidence]
    with_history(draft, actor=actor, reason="删除申报表草稿").delete()
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])


def application_problems(application, *, now=None):
    """Every rule of 004 the application breaks, keyed by the form field or section it belongs to."""
    project = application.project
    problems = {}

    def add(key, message):
        problems.setdefault(key, []).append(message)

    if _deadline_passed(project, now):
        add("__all__", _deadline_message(project))
    # 004 三 3: the forms go in with 加盖公章的扫描件, one for each stamped block.
    for field, block, scan, _name in application.scans():
        if not scan:
            add(field, _("请上传%(block)s加盖公章的扫描件。") % {"block": _(block)})
    team = list(application.team.all())
    if application.kind == Application.Kind.COUNTY:
        for field, label in [("applicant_unit", _("申报单位")), ("county", _("县（市、区）")), ("address", _("通讯地址")),
                             ("head_name", _("负责人姓名")), ("head_phone", _("负责人联系电话")),
                             ("contact_name", _("联系人姓名")), ("contact_phone", _("联系人联系电话")),
                             ("ict_infrastructure", _("本地区教育信息化基础能力")),
                             ("research_organisation", _("本地区区域教研的组织、机制等情况"))]:
            if not getattr(application, field):
                add(field, _("请填写%(label)s。") % {"label": _(label)})
        if not application.schools.exists():
            add("schools", _("请至少填写一所参与学校。"))
        if not application.textbooks.exists():
            add("textbooks", _("请填写各学科使用的教材版本。"))
        for name in Application.COUNTY_CONDITIONS:
            if not getattr(application, name):
                add(name, _("试点县须具备：%(condition)s。")
                    % {"condition": _(Application._meta.get_field(name).verbose_name)})
        # 004 二（一）3 asks 每个学科教研共同体成员至少5人 and 附件1 每年级学科组至少5人: the group count holds both.
        minimum = project.county_team_min_per_group
        per_group = Counter((m.subject, m.grade) for m in team if m.subject_id and m.grade)
        if any(not (m.subject_id and m.grade) for m in team):
            add("team", _("请为每位县域教研共同体成员选择学科和年级。"))
        if not per_group:
            add("team", _("请填写县域教研共同体成员，每年级学科组至少%(min)d人。") % {"min": minimum})
        for (subject, grade), n in sorted(per_group.items(), key=lambda kv: (kv[0][0].order, kv[0][1])):
            if n < minimum:
                add("team", _("%(group)s学科组现有%(n)d人，每年级学科组至少%(min)d人。")
                    % {"group": f"{subject}{grade_label(grade)}", "n": n, "min": minimum})
        # 004 二（一）: 每省选择2-3个贫困县
        others = selectors.submitted_county_count(project=project, province=application.province,
                                                  exclude_pk=application.pk)
        if others >= project.counties_max_per_province:
            add("__all__", _("%(province)s已提交%(n)d个试点县申报，每省推荐%(low)d–%(high)d个县。") % {
                "province": application.province, "n": others, "low": project.counties_min_per_province,
                "high": project.counties_max_per_province})
    else:
        for field, label in [("organising_unit", _("组织实施单位")), ("stage", _("学段")), ("subject", _("学科")),
                             ("grade", _("年级")), ("leader_name", _("负责人姓名")), ("leader_gender", _("负责人性别")),
                             ("leader_birth_month", _("出生年月")), ("leader_employer", _("工作单位")),
                             ("leader_title", _("职称")), ("leader_phone", _("联系电话")), ("leader_email", _("电子邮箱")),
                             ("leader_address", _("通信地址")), ("leader_postcode", _("邮编")),
                             ("plan_goals", _("核心目标与核心价值观")), ("plan_foundation", _("已有工作基础"))]:
            if getattr(application, field) in ("", None):
                add(field, _("请填写%(label)s。") % {"label": _(label)})
        # 004 二（二）1: 领衔专家应为特级教师或资深教研员
        if application.leader_qualification not in (Application.Qualification.SPECIAL_GRADE,
                                                    Application.Qualification.SENIOR_RESEARCHER):
            add("leader_qualification", _("领衔专家应为特级教师或资深教研员。"))
        # 004 二（二）: 每个学科年级的教研共同体原则上为5-10人
        low, high = project.community_team_min, project.community_team_max
        if not low <= len(team) <= high:
            add("team", _("名师教研共同体应为%(low)d–%(high)d人，现填写%(n)d人。")
                % {"low": low, "high": high, "n": len(team)})
        try:
            application.clean()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    add(key, message)
    return problems


@transaction.atomic(durable=True)
def application_submit(*, actor, application, now=None):
    """Submit a draft if it meets every rule; the per-province limit is checked under a lock on the project."""
    selectors.application_get_for_user(user=actor, pk=application.pk, edit=True)
    # Two organisers' browsers submitting the province's 4th county at once must not both pass the limit.
    Project.objects.select_for_update().get(pk=application.project_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.DRAFT:
        raise ValidationError(_("申报表已提交。"))
    problems = application_problems(application, now=now)
    if problems:
        raise ValidationError(problems)
    application.status = Status.SUBMITTED
    application.submitted_at = now or timezone.now()
    with_history(application, actor=actor, reason="提交申报表").save(update_fields=["status", "submitted_at",
                                                                            "updated_at"])
    enqueue_on_commit("projects.tasks.application_pdf_render", application.pk)
    return application


def _application_files(application):
    # Deterministic name: a redelivered message overwrites the same file instead of adding one.
    name = f"{application.project.slug}-{application.pk}.pdf"
    return [File("pdf_file", name, f"projects/pdf/{application.kind}.html",
                 selectors.application_print_context(application=application))]


def _application_printed(application):
    Application.objects.filter(pk=application.pk).update(pdf_version=F("submitted_at"))


# The filed form: printed once it is submitted, and never changed afterwards.
APPLICATION_FORM = Kind(model=Application, task="projects.tasks.application_pdf_render", files=_application_files,
                        status_field="pdf_status", renderable=~Q(status=Status.DRAFT), on_ready=_application_printed)


def application_pdf_store(*, application_id):
    """Render the printable form of a submitted application once (alliance/documents.py; safe to run twice)."""
    return documents.render(APPLICATION_FORM, application_id)


@transaction.atomic(durable=True)
def contact_save(*, actor, project, form):
    contact, role = selectors.contact_get_for_user(user=actor, project=project)
    if contact is not None and contact.status != "draft":
        raise ValidationError(_("项目联系表已提交，不能再修改。"))
    _scan_names_keep(form, ["scan"])
    obj = form.save(commit=False)
    obj.project, obj.province = project, role.province
    if not obj.created_by_id:
        obj.created_by = actor
    checked_and_saved(obj, actor=actor, reason="保存项目联系表")
    return obj


@transaction.atomic(durable=True)
def contact_submit(*, actor, project, now=None):
    """Submit the province's package: the contact form goes in with at least the minimum of counties."""
    contact, role = selectors.contact_get_for_user(user=actor, project=project)
    if contact is None:
        raise ValidationError(_("请先填写并保存项目联系表。"))
    Project.objects.select_for_update().get(pk=project.pk)
    if _deadline_passed(project, now):
        raise ValidationError(_deadline_message(project))
    # 004 三 3: the 项目联系表 goes in with its 加盖公章的扫描件 too.
    if not contact.scan:
        raise ValidationError({"scan": _("请上传项目联系表加盖公章的扫描件。")})
    n = selectors.submitted_county_count(project=project, province=role.province)
    if n < project.counties_min_per_province:
        raise ValidationError(_("本省已提交%(n)d个试点县申报，每省须推荐%(low)d–%(high)d个县。") % {
            "n": n, "low": project.counties_min_per_province, "high": project.counties_max_per_province})
    contact.status, contact.submitted_at = "submitted", now or timezone.now()
    with_history(contact, actor=actor, reason="提交项目联系表").save()
    return contact


# ---- review ------------------------------------------------------------------------------------------------

def _applicants_and_organisers(applications):
    """Who hears of an application's selection: the account that filed it, the community's leader, and the
    provincial organisers of its province for the project."""
    people = []
    for application in applications:
        people += [application.created_by, application.leader_email]
        people += [o.user for o in ProvincialOrganiser.objects.filter(
            project=application.project_id, province=application.province).select_related("user")]
    return people


def _project_notify(project, *, to, subject, template, **context):
    notify(to=to, kind=Notice.PROJECTS, alliance=project.alliance, subject=_("%(title)s：%(subject)s") % {"title": project.title, "subject": subject},
           template=template, context={"project": project, "site_url": settings.SITE_URL, **context})


def _assignment_notify(assignment):
    application = assignment.application
    with site_language():
        _project_notify(application.project, to=[assignment.expert], subject=_("请评审申报表"),
                        template="projects/email/assignment.txt", application=application)


def _require_project_expert(application, expert):
    if not ProjectExpert.objects.filter(project=application.project_id, user=expert).exists():
        raise ValidationError({"expert": _("该账号不是本项目的评审专家。")})


# Not durable: the admin calls these inside its own changeform transaction.
@transaction.atomic
def assignment_create(*, actor, application, expert):
    selectors.require_manage_project(actor, application.project)
    if application.status == Status.DRAFT:
        raise ValidationError(_("草稿不能分配评审。"))
    _require_project_expert(application, expert)
    assignment = Assignment.objects.filter(application=application, expert=expert).first()
    if assignment is None:
        assignment = Assignment(application=application, expert=expert, assigned_by=actor)
        with_history(assignment, actor=actor, reason="分配评审").save()
        _assignment_notify(assignment)
    return assignment


def _unscored(assignment):
    assignment = (Assignment.objects.select_for_update(of=("self",)).select_related("application__project")
                  .get(pk=assignment.pk))
    if assignment.scored_at is not None:
        raise ValidationError(_("该专家已评分，评审分配不能再更改或删除。"))
    return assignment


@transaction.atomic
def assignment_change(*, actor, assignment, expert):
    """Give an assignment nobody has scored yet to another expert of the project."""
    assignment = _unscored(assignment)
    selectors.require_manage_project(actor, assignment.application.project)
    if assignment.expert_id == expert.pk:
        return assignment
    _require_project_expert(assignment.application, expert)
    if Assignment.objects.filter(application=assignment.application_id, expert=expert).exclude(
            pk=assignment.pk).exists():
        raise ValidationError({"expert": _("该申报表已分配给这位专家。")})
    assignment.expert, assignment.assigned_by = expert, actor
    with_history(assignment, actor=actor, reason="更换评审专家").save(update_fields=["expert", "assigned_by"])
    _assignment_notify(assignment)
    return assignment


@transaction.atomic
def assignment_remove(*, actor, assignment):
    assignment = _unscored(assignment)
    selectors.require_manage_project(actor, assignment.application.project)
    with_history(assignment, actor=actor, reason="取消评审分配").delete()


@transaction.atomic(durable=True)
def assignment_score(*, actor, assignment, values, comment=""):
    """Store the expert's score per criterion. ``values`` maps criterion pk to an integer score."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.expert_id != actor.pk:
        raise PermissionDenied(_("该申报表未分配给您。"))
    if assignment.application.status not in (Status.SUBMITTED,):
        raise ValidationError(_("遴选结果已确定，不能再修改评分。"))
    errors = {}
    for criterion in selectors.criteria_for(application=assignment.application):
        value = values.get(criterion.pk)
        if value is None:
            errors[f"c{criterion.pk}"] = _("请为“%(name)s”打分。") % {"name": criterion.name}
            continue
        score = Score.objects.filter(assignment=assignment, criterion=criterion).first() or Score(
            assignment=assignment, criterion=criterion)
        score.value = value
        try:
            score.full_clean()
        except ValidationError as exc:
            errors[f"c{criterion.pk}"] = exc.message_dict.get("value", exc.messages)[0]
            continue
        with_history(score, actor=actor, reason="专家评分").save()
    if errors:
        raise ValidationError(errors)
    assignment.comment, assignment.scored_at = comment, timezone.now()
    with_history(assignment, actor=actor, reason="专家评分").save()
    return assignment


def _require_not_confirmed(project):
    # 004 三: once the final list is confirmed, a change is a correction with its reason (selection_correct).
    if SelectionNotice.objects.filter(project=project, finalised_at__isnull=False).exists():
        raise ValidationError(_("最终入选名单已确认，遴选结果不能再修改；如需更正，请以更正决定记录理由。"))


@transaction.atomic(durable=True)
def application_select(*, actor, application, selected):
    selectors.require_manage_project(actor, application.project)
    Project.objects.select_for_update().get(pk=application.project_id)
    _require_not_confirmed(application.project)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Status.SUBMITTED, Status.SELECTED, Status.NOT_SELECTED):
        raise ValidationError(_("该申报表当前状态不能遴选。"))
    application.status = Status.SELECTED if selected else Status.NOT_SELECTED
    with_history(application, actor=actor, reason="拟入选" if selected else "未入选").save(
        update_fields=["status", "updated_at"])
    return application


@transaction.atomic  # not durable: the admin's add form calls it inside its transaction
def notice_publish(*, actor, project, title, starts_on, ends_on, body="", contact="", today=None):
    """Publish the 公示 of every application staff selected. The period starts no earlier than today and lasts
    at least the project's ``notice_min_days`` days, both ends counted."""
    selectors.require_manage_project(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_not_confirmed(project)
    today = today or timezone.localdate()
    errors = {}
    if starts_on < today:
        errors["starts_on"] = _("公示开始日期不能早于发布日期（%(date)s）。") % {"date": date_format(today, "DATE_FORMAT")}
    if (ends_on - starts_on).days + 1 < project.notice_min_days:
        errors["ends_on"] = _("公示期不少于%(n)d天（含首尾两日）。") % {"n": project.notice_min_days}
    if errors:
        raise ValidationError(errors)
    selected = Application.objects.filter(project=project, status=Status.SELECTED)
    if not selected.exists():
        raise ValidationError(_("尚无拟入选的申报，不能发布公示。"))
    notice = SelectionNotice(project=project, title=title, body=body, starts_on=starts_on, ends_on=ends_on,
                             contact=contact, published_at=timezone.now())
    checked_and_saved(notice, actor=actor, reason="发布公示")
    notice.applications.set(selected)
    with site_language():
        _project_notify(project, to=_applicants_and_organisers(selected), subject=_("公示：%(title)s") % {"title": notice.title},
                        template="projects/email/notice_published.txt", notice=notice)
    return notice


def _letter_issue(application, *, actor, today):
    """The community's 聘书: a revoked one is valid again, otherwise a new one is numbered and rendered."""
    letter = AppointmentLetter.objects.filter(application=application).first()
    if letter is not None:
        letter.revoked_on = None
        with_history(letter, actor=actor, reason="恢复聘书").save(update_fields=["revoked_on"])
        return letter
    alliance = application.project.alliance
    # Letters are numbered per alliance and year, across the alliance's projects.
    seq = numbering.number_next(kind=numbering.Kind.LETTER, alliance=alliance, year=today.year)
    letter = AppointmentLetter.objects.create(
        application=application, number=f"{alliance.code}-{today.year}-{seq:03d}", issued_on=today)
    enqueue_on_commit("projects.tasks.letter_render", letter.pk)
    return letter


@transaction.atomic(durable=True)
def notice_finalise(*, actor, notice, today=None):
    """After the 公示 period, the list becomes final and each selected community gets its 聘书."""
    selectors.require_manage_project(actor, notice.project)
    Project.objects.select_for_update().get(pk=notice.project_id)
    notice = SelectionNotice.objects.select_for_update().get(pk=notice.pk)
    today = today or timezone.localdate()
    if notice.finalised_at:
        return notice
    _require_not_confirmed(notice.project)
    if not notice.is_over(today):
        raise ValidationError(_("公示期至%(date)s，期满后方可确认最终名单。")
                              % {"date": date_format(notice.ends_on, "DATE_FORMAT")})
    notice.finalised_at = timezone.now()
    with_history(notice, actor=actor, reason="确认最终入选名单").save()
    listed = list(notice.applications.select_for_update().filter(status=Status.SELECTED).order_by("pk"))
    for application in listed:
        application.status = Status.FINAL
        with_history(application, actor=actor, reason="正式入选").save(update_fields=["status", "updated_at"])
        if application.kind == Application.Kind.COMMUNITY:
            _letter_issue(application, actor=actor, today=today)
    with site_language():
        _project_notify(notice.project, to=_applicants_and_organisers(listed), subject=_("最终入选名单已确认"),
                        template="projects/email/selection_final.txt", notice=notice, listed=listed)
    return notice


@transaction.atomic
def selection_correct(*, actor, application, selected, reason, today=None):
    """Correct a confirmed final list: add an application to it or take one off, with the reason recorded.

    The correction is a row of its own (shown on the selection page and in the admin) and the reason is in the
    application's history. A community taken off keeps its 聘书 number but the letter is revoked; one added gets
    its 聘书 (the revoked one again if it had one). An added application is listed on the final 公示.
    """
    selectors.require_manage_project(actor, application.project)
    Project.objects.select_for_update().get(pk=application.project_id)
    application = Application.objects.select_for_update().select_related("project__alliance").get(pk=application.pk)
    final = (SelectionNotice.objects.filter(project=application.project_id, finalised_at__isnull=False)
             .order_by("-finalised_at").first())
    if final is None:
        raise ValidationError(_("最终入选名单尚未确认，请直接在遴选页调整。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写更正理由。")})
    if selected and application.status == Status.FINAL:
        raise ValidationError(_("该申报已在最终入选名单中。"))
    if not selected and application.status != Status.FINAL:
        raise ValidationError(_("该申报不在最终入选名单中。"))
    if selected and application.status == Status.DRAFT:
        raise ValidationError(_("草稿不能列入最终入选名单。"))
    today = today or timezone.localdate()
    application.status = Status.FINAL if selected else Status.NOT_SELECTED
    with_history(application, actor=actor, reason=f"更正最终名单：{reason}").save(
        update_fields=["status", "updated_at"])
    correction = SelectionCorrection(project=application.project, application=application, selected=selected,
                                     reason=reason, decided_by=actor)
    checked_and_saved(correction, actor=actor, reason="更正最终名单")
    if selected:
        final.applications.add(application)
    if application.kind == Application.Kind.COMMUNITY:
        if selected:
            _letter_issue(application, actor=actor, today=today)
        elif letter := AppointmentLetter.objects.filter(application=application).first():
            letter.revoked_on = today
            with_history(letter, actor=actor, reason=f"撤销聘书：{reason}").save(update_fields=["revoked_on"])
    return correction


def _letter_files(letter):
    # Deterministic name: a re-render after a takeover overwrites the same file instead of adding one.
    return [File("file", f"{letter.number}.pdf", "projects/pdf/letter.html",
                 {"letter": letter, "application": letter.application, "members": list(letter.application.team.all())})]


def _letter_ready(letter):
    application = letter.application
    with site_language():
        _project_notify(application.project, to=_applicants_and_organisers([application]), subject=_("聘书已生成"),
                        template="projects/email/letter_ready.txt", application=application, letter=letter)


LETTER = Kind(model=AppointmentLetter, task="projects.tasks.letter_render", files=_letter_files,
              select_related=("application__project__alliance", "application__subject"), on_ready=_letter_ready)


def letter_store(*, letter_id):
    """Render one 聘书 (alliance/documents.py: claimed so two workers never both render it)."""
    return documents.render(LETTER, letter_id)


# ---- pairing and tracking ------------------------------------------------------------------------------------

def _pairing_mismatch(pairing):
    """004 一、二（二）: a community is paired as the 学段, 学科 and 年级 it was selected for, with a county that has
    a research community of that subject."""
    community, county = pairing.community, pairing.county
    if (pairing.subject_id, pairing.grade) != (community.subject_id, community.grade):
        field = "subject" if pairing.subject_id != community.subject_id else "grade"
        return {field: _("该名师教研共同体遴选的是%(selected)s，不能按%(paired)s结对。") % {
            "selected": f"{community.subject}{community.grade_label}",
            "paired": f"{pairing.subject}{grade_label(pairing.grade)}"}}
    if not county.team.filter(subject=pairing.subject_id).exists():
        return {"county": _("%(county)s没有%(subject)s县域教研共同体，不能按该学科结对。") % {
            "county": county.display_name, "subject": pairing.subject}}
    return {}


# Not durable: the admin's add forms call these inside their transaction.
@transaction.atomic
def pairing_create(*, actor, community, county, subject, grade, starts_on=None, notes="", leader_email=""):
    """Pair a community with a county; ``leader_email`` names the account of the community's leader, who then
    records the pairing's activities on the site."""
    selectors.require_manage_project(actor, community.project)
    pairing = Pairing(project=community.project, community=community, county=county, subject=subject, grade=grade,
                      starts_on=starts_on, notes=notes)
    if leader_email:
        try:
            pairing.leader = _account_by_email(leader_email)
        except ValidationError as exc:
            raise ValidationError({"leader": exc.message_dict["email"]}) from exc
    pairing.full_clean()
    errors = {}
    if community.status != Status.FINAL:
        errors["community"] = _("只能与正式入选的名师教研共同体结对。")
    if county.status != Status.FINAL:
        errors["county"] = _("只能与正式入选的试点县结对。")
    if county.project_id != community.project_id:
        errors["county"] = _("试点县须属于同一项目。")
    if subject.project_id != community.project_id:
        errors["subject"] = _("学科须属于同一项目。")
    errors = _pairing_mismatch(pairing) | errors
    if errors:
        raise ValidationError(errors)
    with_history(pairing, actor=actor, reason="结对").save()
    return pairing


@transaction.atomic
def activity_record(*, actor, pairing, kind, date, class_hours, teachers, topic="", teaching_points="",
                    rural_schools="", notes=""):
    """Record an activity with each teacher's class hours; ``teachers`` is a list of (member, hours).

    Staff, the community's leader or the county's provincial organiser record it; the hours are paid once
    staff confirm them (activity_confirm). Only the community's members are paid by the hour (004 二（二）).
    """
    selectors.require_record_activity(actor, pairing)
    if not teachers:
        raise ValidationError({"teachers": _("请填写参与教师及其课时。")})
    strangers = [member.name for member, _hours in teachers if member.application_id != pairing.community_id]
    if strangers:
        raise ValidationError({"teachers": _("%(names)s不是该名师教研共同体的成员。")
                               % {"names": _("、").join(strangers)}})
    activity = Activity(pairing=pairing, kind=kind, date=date, class_hours=class_hours, topic=topic,
                        teaching_points=teaching_points, rural_schools=rural_schools, notes=notes)
    checked_and_saved(activity, actor=actor, reason="记录活动")
    for member, hours in teachers:
        checked_and_saved(ActivityTeacher(activity=activity, name=member.name, hours=hours, member=member),
                          actor=actor, reason="记录课时")
    return activity


@transaction.atomic
def activity_confirm(*, actor, activity):
    """Project staff confirm an activity's class hours, which makes them payable. Returns the rows confirmed now
    (none when they already were)."""
    selectors.require_manage_project(actor, activity.pairing.project)
    rows = list(ActivityTeacher.objects.select_for_update().filter(activity=activity, confirmed_at__isnull=True)
                .order_by("pk"))
    now = timezone.now()
    for row in rows:
        row.confirmed_by, row.confirmed_at = actor, now
        with_history(row, actor=actor, reason="确认课时").save(update_fields=["confirmed_by", "confirmed_at"])
    return rows


def contact_for_province(*, project, province):
    return ProvincialContact.objects.filter(project=project, province=province).first()
