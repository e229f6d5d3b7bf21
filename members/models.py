"""Applications for membership, members, their liaisons and certificates (seed 000 arts. 4–10, 001 arts. 17–22,
002 art. 6).

Status changes never happen here: each transition is one function in ``members/services.py`` that checks it is
allowed and records it (an event row plus the simple-history record with actor and reason).
"""

from django.utils.translation import gettext, gettext_lazy
import datetime
import secrets

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance import uploads
from alliance.documents import JOB_FIELDS, DocumentJob, DocumentStatus, status_field
from alliance.models import Alliance
from governance import effects

from . import validators as v


class Kind(models.TextChoices):
    UNIT = "unit", gettext_lazy("单位成员")
    INDIVIDUAL = "individual", gettext_lazy("个人成员")


CONSENTS = {"consent_charter": gettext_lazy("拥护联盟章程"), "consent_voluntary": gettext_lazy("自愿加入联盟")}


class Application(models.Model):
    """《会员申请登记表》: one application by a signed-in person to one alliance, as a unit or an individual."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("草稿")
        SUBMITTED = "submitted", gettext_lazy("已提交，待审核")
        RETURNED = "returned", gettext_lazy("退回修改")
        PENDING_DECISION = "pending_decision", gettext_lazy("待决策机构表决")
        PENDING_RATIFICATION = "pending_ratification", gettext_lazy("待理事会审议")
        APPROVED = "approved", gettext_lazy("已批准")
        REJECTED = "rejected", gettext_lazy("未批准")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PENDING_DECISION,
                     Status.PENDING_RATIFICATION)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    class Gender(models.TextChoices):
        MALE = "male", gettext_lazy("男")
        FEMALE = "female", gettext_lazy("女")

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="applications", verbose_name=gettext_lazy("联盟"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member_applications", verbose_name=gettext_lazy("申请账号")
    )
    kind = models.CharField(gettext_lazy("申请类型"), max_length=12, choices=Kind.choices)
    status = models.CharField(gettext_lazy("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    # Unit (单位成员)
    unit_name = models.CharField(gettext_lazy("单位名称"), max_length=100, blank=True)
    unit_type = models.CharField(gettext_lazy("单位类型"), max_length=50, blank=True)
    credit_code = models.CharField(
        gettext_lazy("统一社会信用代码"), max_length=18, blank=True, validators=[v.validate_credit_code], help_text=gettext_lazy("选填，18 位。")
    )
    province = models.CharField(gettext_lazy("所在省（自治区、直辖市）"), max_length=20, blank=True)
    city = models.CharField(gettext_lazy("所在市（地、州、盟）"), max_length=30, blank=True)
    county = models.CharField(gettext_lazy("所在县（市、区、旗）"), max_length=30, blank=True)
    head_name = models.CharField(gettext_lazy("负责人姓名"), max_length=50, blank=True)
    head_title = models.CharField(gettext_lazy("负责人职务"), max_length=50, blank=True)
    head_phone = models.CharField(gettext_lazy("负责人联系电话"), max_length=30, blank=True, validators=[v.validate_phone])
    head_email = models.EmailField(gettext_lazy("负责人电子邮箱"), blank=True)
    contact_name = models.CharField(gettext_lazy("联系人姓名"), max_length=50, blank=True)
    contact_title = models.CharField(gettext_lazy("联系人职务"), max_length=50, blank=True)
    contact_office_phone = models.CharField(gettext_lazy("联系人办公电话"), max_length=30, blank=True, validators=[v.validate_landline])
    contact_mobile = models.CharField(gettext_lazy("联系人手机"), max_length=20, blank=True, validators=[v.validate_mobile])
    contact_email = models.EmailField(gettext_lazy("联系人电子邮箱"), blank=True)
    contact_im = models.CharField(gettext_lazy("联系人QQ或微信"), max_length=50, blank=True)
    description = models.TextField(gettext_lazy("单位简介"), max_length=3000, blank=True)

    # Individual (个人成员)
    person_name = models.CharField(gettext_lazy("姓名"), max_length=50, blank=True)
    gender = models.CharField(gettext_lazy("性别"), max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField(gettext_lazy("出生日期"), null=True, blank=True, validators=[v.validate_birth_date])
    ethnicity = models.CharField(gettext_lazy("民族"), max_length=20, blank=True)
    employer = models.CharField(gettext_lazy("工作单位"), max_length=100, blank=True)
    professional_title = models.CharField(gettext_lazy("职称"), max_length=50, blank=True)
    position = models.CharField(gettext_lazy("职务"), max_length=50, blank=True)
    office_phone = models.CharField(gettext_lazy("办公电话"), max_length=30, blank=True, validators=[v.validate_landline])
    mobile = models.CharField(gettext_lazy("手机"), max_length=20, blank=True, validators=[v.validate_mobile])
    email = models.EmailField(gettext_lazy("电子邮箱"), blank=True)
    achievements = models.TextField(gettext_lazy("主要成绩"), max_length=3000, blank=True)

    # Both
    address = models.CharField(gettext_lazy("通讯地址"), max_length=200, blank=True)
    postcode = models.CharField(gettext_lazy("邮编"), max_length=6, blank=True, validators=[v.validate_postcode])
    # Its hint on the form is the alliance's (CharterRules.field_of_work_help).
    field_of_work = models.TextField(gettext_lazy("业务领域"), max_length=1000, blank=True)
    # 000 art. 5 (一)(二); the article each alliance cites is CharterRules.consent_article.
    consent_charter = models.BooleanField(CONSENTS["consent_charter"], default=False)
    consent_voluntary = models.BooleanField(CONSENTS["consent_voluntary"], default=False)

    # Review
    submitted_at = models.DateTimeField(gettext_lazy("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(gettext_lazy("审批时间"), null=True, blank=True)
    review_note = models.TextField(gettext_lazy("审核意见"), blank=True, help_text=gettext_lazy("退回或不予批准的理由，申请人可见。"))
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("更新时间"), auto_now=True)

    history = HistoricalRecords()

    UNIT_REQUIRED = (
        "unit_name", "unit_type", "province", "city", "address", "postcode", "head_name", "head_title", "head_phone",
        "contact_name", "contact_title", "contact_mobile", "contact_email", "field_of_work", "description",
    )
    INDIVIDUAL_REQUIRED = (
        "person_name", "gender", "birth_date", "ethnicity", "employer", "professional_title", "mobile", "email",
        "address", "postcode", "field_of_work", "achievements",
    )

    class Meta:
        verbose_name = gettext_lazy("成员申请")
        verbose_name_plural = gettext_lazy("成员申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["alliance", "status"]), models.Index(fields=["submitted_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="application_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["draft"]) | Q(consent_charter=True, consent_voluntary=True),
                name="application_submitted_with_consents",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["returned", "rejected"]) | ~Q(review_note=""),
                name="application_return_or_reject_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
            # One open application per person, alliance and kind: a second one would only confuse review.
            models.UniqueConstraint(
                fields=["alliance", "applicant", "kind"],
                condition=Q(status__in=["draft", "submitted", "returned", "pending_decision", "pending_ratification"]),
                name="application_one_open_per_applicant",
            ),
        ]

    def __str__(self):
        return gettext("%(name)s·%(kind)s申请") % {"name": self.display_name or gettext("（未填写名称）"), "kind": self.get_kind_display()}

    def get_absolute_url(self):
        return reverse("members:application_detail", kwargs={"pk": self.pk})

    @property
    def display_name(self):
        return self.unit_name if self.kind == Kind.UNIT else self.person_name

    @property
    def region(self):
        """北京市海淀区, not 北京市北京市海淀区: a municipality is its own city."""
        city = "" if self.city == self.province else self.city
        return "".join(part for part in (self.province, city, self.county) if part)

    @property
    def notify_email(self):
        return (self.contact_email if self.kind == Kind.UNIT else self.email) or self.applicant.email

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES

    def missing_for_submit(self):
        """The verbose names of required fields still empty, and missing consents."""
        required = self.UNIT_REQUIRED if self.kind == Kind.UNIT else self.INDIVIDUAL_REQUIRED
        missing = {name: gettext("提交前请填写此项。") for name in required if getattr(self, name) in ("", None)}
        if not self.consent_charter:
            missing["consent_charter"] = self.alliance.rules.consent_message(CONSENTS["consent_charter"])
        if not self.consent_voluntary:
            missing["consent_voluntary"] = self.alliance.rules.consent_message(CONSENTS["consent_voluntary"])
        return missing

    def validate_constraints(self, exclude=None):
        # Django skips a constraint that names an excluded field, but only after building its query. Every one
        # here names the status or the kind, which the application form leaves to the services: skip them first.
        exclude = set(exclude or ())
        if all(_fields_named(constraint) & exclude for constraint in self._meta.constraints):
            return
        super().validate_constraints(exclude)

    def clean(self):
        errors = {}
        rules = getattr(self.alliance, "rules", None) if self.alliance_id else None
        if rules is not None:
            if self.kind == Kind.UNIT and not rules.admits_units:
                errors["kind"] = gettext("本联盟不接受单位成员申请。")
            if self.kind == Kind.INDIVIDUAL and not rules.admits_individuals:
                errors["kind"] = gettext("本联盟不接受个人成员申请。")
            types = rules.unit_type_list
            if self.kind == Kind.UNIT and self.unit_type and types and self.unit_type not in types:
                errors["unit_type"] = gettext("请选择章程规定的单位类型。")
        if self.status in (self.Status.RETURNED, self.Status.REJECTED) and not self.review_note.strip():
            errors["review_note"] = gettext("退回或不予批准须说明理由。")
        if errors:
            raise ValidationError(errors)


def _fields_named(constraint):
    condition = getattr(constraint, "condition", None)
    return set(getattr(constraint, "fields", ())) | (condition.referenced_base_fields if condition else set())


class ApplicationEvent(models.Model):
    """One step of an application's timeline, as the applicant sees it: the step is a code, shown in the page's
    language; ``reason`` holds only what a person wrote (the reason for a return or refusal) or the vote's figures."""

    class Step(models.TextChoices):
        CREATED = "created", gettext_lazy("创建申请草稿")
        SUBMITTED = "submitted", gettext_lazy("提交申请")
        RESUBMITTED = "resubmitted", gettext_lazy("重新提交申请")
        APPROVED = "approved", gettext_lazy("秘书处审查批准")
        CONSENTED = "consented", gettext_lazy("审批机构同意入会")
        TO_VOTE = "to_vote", gettext_lazy("秘书处审查通过，提交决策机构表决")
        TO_RATIFICATION = "to_ratification", gettext_lazy("秘书处审查通过，待理事会审议批准")
        ADMITTED_BY_VOTE = "admitted_by_vote", gettext_lazy("决策机构表决通过入会")
        VOTE_FAILED = "vote_failed", gettext_lazy("表决未通过，退回待审核")
        RETURNED = "returned", gettext_lazy("退回修改")
        REJECTED = "rejected", gettext_lazy("不予批准")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events", verbose_name=gettext_lazy("申请"))
    from_status = models.CharField(gettext_lazy("原状态"), max_length=20, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(gettext_lazy("新状态"), max_length=20, choices=Application.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=gettext_lazy("操作人")
    )
    step = models.CharField(gettext_lazy("事项"), max_length=20, choices=Step.choices, blank=True)
    reason = models.TextField(gettext_lazy("说明"), blank=True)
    reference = models.CharField(gettext_lazy("依据"), max_length=200, blank=True)
    # The passed (or failed) motions this step rests on: the decision itself, never a typed reference.
    decisions = models.ManyToManyField("governance.Motion", blank=True, related_name="+", verbose_name=gettext_lazy("决定议案"))
    created_at = models.DateTimeField(gettext_lazy("时间"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("申请进程")
        verbose_name_plural = gettext_lazy("申请进程")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return gettext("%(record)s：%(status)s") % {"record": self.application, "status": self.get_to_status_display()}

    @property
    def step_text(self):
        return self.get_step_display()


def attachment_path(instance, filename):
    # The stored name is random, ending in the type the upload check found (the service sets content_type from
    # it): the person's file name is kept only as text, never on disk.
    return uploads.stored_name(f"members/applications/{instance.application_id}", instance.content_type)


class Attachment(models.Model):
    """Evidence (证明材料) uploaded with an application; private, streamed only after a permission check."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=gettext_lazy("申请")
    )
    file = models.FileField(gettext_lazy("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(gettext_lazy("文件名"), max_length=120)
    content_type = models.CharField(gettext_lazy("类型"), max_length=40, choices=[(t, t) for t in v.ATTACHMENTS.types])
    size = models.PositiveIntegerField(gettext_lazy("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=gettext_lazy("上传人")
    )
    created_at = models.DateTimeField(gettext_lazy("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("附件")
        verbose_name_plural = gettext_lazy("附件")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__lte=v.ATTACHMENTS.max_bytes), name="attachment_size_limit"),
            models.CheckConstraint(
                condition=Q(content_type__in=list(v.ATTACHMENTS.types)), name="attachment_type_allowed"
            ),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("members:attachment_download", kwargs={"pk": self.pk})


class Member(models.Model):
    class Right(models.TextChoices):
        # 001 art. 20, 000 art. 7; the first two are enforced on the member's representatives' seats.
        VOTE = effects.RIGHT_VOTE, gettext_lazy("表决权")
        STAND = effects.RIGHT_STAND, gettext_lazy("被选举权")
        ACTIVITIES = "activities", gettext_lazy("参加联盟活动")
        RESOURCES = "resources", gettext_lazy("获得和使用联盟资源")

    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("正常")
        LAPSED = "lapsed", gettext_lazy("期满未续")
        WITHDRAWAL_REQUESTED = "withdrawal_requested", gettext_lazy("申请退出中")
        WITHDRAWN = "withdrawn", gettext_lazy("已退出")
        SUSPENDED = "suspended", gettext_lazy("部分权利已取消")
        EXPELLED = "expelled", gettext_lazy("已除名")

    ENDED_STATUSES = (Status.WITHDRAWN, Status.EXPELLED, Status.LAPSED)
    # A membership that has not ended: the account is a member (with rights suspended or leaving, still one).
    CURRENT_STATUSES = (Status.ACTIVE, Status.WITHDRAWAL_REQUESTED, Status.SUSPENDED)

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="members", verbose_name=gettext_lazy("联盟"))
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="member", verbose_name=gettext_lazy("入会申请"),
        help_text=gettext_lazy("章程直接确定的成员（如广州联盟的六个中心）没有申请。"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships",
        verbose_name=gettext_lazy("成员账号"),
    )
    kind = models.CharField(gettext_lazy("类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(gettext_lazy("成员名称"), max_length=100)
    number = models.CharField(gettext_lazy("成员编号"), max_length=60)
    credit_code = models.CharField(
        gettext_lazy("统一社会信用代码"), max_length=18, blank=True, validators=[v.validate_credit_code], help_text=gettext_lazy("单位成员选填，18 位。")
    )
    status = models.CharField(gettext_lazy("状态"), max_length=24, choices=Status.choices, default=Status.ACTIVE)
    admitted_on = models.DateField(gettext_lazy("入会日期"))
    term_ends_on = models.DateField(gettext_lazy("任期届满"), null=True, blank=True, help_text=gettext_lazy("留空表示长期有效。"))
    admission_reference = models.CharField(gettext_lazy("入会决定依据"), max_length=200, blank=True)
    withdrawal_requested_on = models.DateField(gettext_lazy("退出申请日期"), null=True, blank=True)
    withdrawal_effective_on = models.DateField(gettext_lazy("可退出日期"), null=True, blank=True)
    # The passed motion the current expulsion, sanction or approved withdrawal took effect from (the last of
    # its steps; the member's timeline lists every one).
    decision = models.ForeignKey(
        "governance.Motion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=gettext_lazy("处分/退出决定议案"),
    )
    suspended_rights = models.JSONField(gettext_lazy("已取消的权利"), default=list, blank=True)
    status_reason = models.TextField(gettext_lazy("状态说明"), blank=True)
    ended_on = models.DateField(gettext_lazy("成员资格终止日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("成员")
        verbose_name_plural = gettext_lazy("成员")
        ordering = ["alliance", "number"]
        # The workbench's counts and charts read these alone (index-only), however many members there are; the
        # admin's status filter and the superuser's counts (no alliance) the last.
        indexes = [
            models.Index(fields=["alliance", "status", "kind"], include=["application"], name="member_alliance_kind"),
            models.Index(fields=["alliance", "status", "admitted_on"], name="member_alliance_admitted"),
            models.Index(fields=["status"], name="member_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "number"], name="member_number_unique_per_alliance"),
            # One current membership per account and alliance: no second number, certificate or invoice for the
            # same person (CURRENT_STATUSES; an ended one does not count, so a former member may join again).
            models.UniqueConstraint(
                fields=["alliance", "user"], condition=Q(status__in=["active", "withdrawal_requested", "suspended"]),
                name="member_one_current_per_account",
                violation_error_message=_("该账号已是本联盟的成员，不能重复入会。"),
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="member_kind_valid"),
            # Expulsion and suspension only by a recorded decision (000 art. 10, 001 art. 22).
            models.CheckConstraint(
                condition=~Q(status__in=["expelled", "suspended"]) | Q(decision__isnull=False),
                name="member_sanction_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True) | Q(term_ends_on__gt=models.F("admitted_on")),
                name="member_term_ends_after_admission",
            ),
        ]

    def __str__(self):
        return gettext("%(name)s（%(number)s）") % {"name": self.name, "number": self.number}

    def get_absolute_url(self):
        return reverse("members:member_detail", kwargs={"pk": self.pk})

    @property
    def is_ended(self):
        return self.status in self.ENDED_STATUSES

    @property
    def has_left(self):
        """Withdrawn or expelled: no longer offered a certificate or a liaison (a lapsed member may renew)."""
        return self.status in (self.Status.WITHDRAWN, self.Status.EXPELLED)

    def term_expired(self, on=None):
        on = on or timezone.localdate()
        return self.term_ends_on is not None and self.term_ends_on < on

    @property
    def suspended_rights_display(self):
        return gettext("、").join(str(self.Right(right).label) for right in self.suspended_rights)

    def clean(self):
        if self.status in (self.Status.EXPELLED, self.Status.SUSPENDED) and self.decision_id is None:
            raise ValidationError({"decision": gettext("除名或取消权利须依据决定机构通过的议案。")})
        if set(self.suspended_rights) - set(self.Right.values):
            raise ValidationError({"suspended_rights": gettext("取消的权利无效。")})


class MemberEvent(models.Model):
    """One step of a member's timeline. The step is a code with its facts in ``details`` (a day as ISO text, a
    body's kind, the rights' codes), shown in the reader's language; ``reason`` holds only what a person wrote
    (the member's own notice to leave, the note of a paper notice)."""

    class Step(models.TextChoices):
        ADMITTED = "admitted", gettext_lazy("秘书处审查批准")
        ADMITTED_BY_BODY = "admitted_by_body", gettext_lazy("审批机构同意入会")
        ADMITTED_BY_VOTE = "admitted_by_vote", gettext_lazy("决策机构表决通过入会")
        ENROLLED_BY_CHARTER = "enrolled_by_charter", gettext_lazy("依章程确定为成员")
        IMPORTED = "imported", gettext_lazy("导入成员名册")
        RENEWED = "renewed", gettext_lazy("任期届满续聘")
        LAPSED = "lapsed", gettext_lazy("任期届满，未续聘")
        WITHDRAWAL_NOTICE = "withdrawal_notice", gettext_lazy("书面通知退出")
        WITHDRAWAL_ON_PAPER = "withdrawal_on_paper", gettext_lazy("书面通知退出（纸质，秘书处登记）")
        WITHDRAWN_BY_APPROVAL = "withdrawn_by_approval", gettext_lazy("经审批机构批准退出联盟")
        WITHDRAWN = "withdrawn", gettext_lazy("退会通知期已满，退出联盟")
        SUSPENDED = "suspended", gettext_lazy("取消权利")
        RESTORED = "restored", gettext_lazy("恢复权利")
        EXPELLED = "expelled", gettext_lazy("依决定机构的决议除名")
        EXPELLED_BY_VOTE = "expelled_by_vote", gettext_lazy("决定机构表决通过除名")

    # The steps whose text names their facts (the keys of ``details``).
    TEXTS = {
        Step.ADMITTED_BY_BODY: gettext_lazy("%(body)s同意入会"),
        Step.LAPSED: gettext_lazy("任期于%(day)s届满，未续聘"),
        Step.WITHDRAWAL_ON_PAPER: gettext_lazy("%(day)s书面通知退出（纸质，秘书处登记）"),
        Step.WITHDRAWN_BY_APPROVAL: gettext_lazy("经%(body)s批准退出联盟"),
        Step.SUSPENDED: gettext_lazy("取消权利：%(rights)s"),
        Step.RESTORED: gettext_lazy("恢复权利：%(rights)s"),
    }

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events", verbose_name=gettext_lazy("成员"))
    from_status = models.CharField(gettext_lazy("原状态"), max_length=24, choices=Member.Status.choices, blank=True)
    to_status = models.CharField(gettext_lazy("新状态"), max_length=24, choices=Member.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=gettext_lazy("操作人")
    )
    step = models.CharField(gettext_lazy("事项"), max_length=24, choices=Step.choices, blank=True)
    details = models.JSONField(gettext_lazy("事项详情"), default=dict, blank=True)
    reason = models.TextField(gettext_lazy("说明"), blank=True)
    reference = models.CharField(gettext_lazy("依据"), max_length=200, blank=True)
    # The passed (or failed) motions this step rests on: the decision itself, never a typed reference.
    decisions = models.ManyToManyField("governance.Motion", blank=True, related_name="+", verbose_name=gettext_lazy("决定议案"))
    created_at = models.DateTimeField(gettext_lazy("时间"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("成员状态记录")
        verbose_name_plural = gettext_lazy("成员状态记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return gettext("%(record)s：%(status)s") % {"record": self.member, "status": self.get_to_status_display()}

    @property
    def step_text(self):
        """The step with its facts, in the active language: 任期于2026年11月22日届满，未续聘."""
        if not self.step:
            return ""
        text = self.TEXTS.get(self.step)
        if text is None:
            return self.get_step_display()
        details = self.details
        body_kinds = dict(apps.get_model("governance", "Body").Kind.choices)
        return str(text) % {
            "day": date_format(datetime.date.fromisoformat(details["day"]), "DATE_FORMAT") if details.get("day") else "",
            "body": body_kinds.get(details.get("body"), gettext("决定机构")),
            "rights": gettext("、").join(str(Member.Right(r).label) for r in details.get("rights", ()) if r in Member.Right.values),
        }

    @property
    def summary(self):
        """The step's text and what a person wrote, as one line (the member's status note, the history reason)."""
        return gettext("%(step)s：%(reason)s") % {"step": self.step_text, "reason": self.reason} if self.reason else self.step_text


class Liaison(models.Model):
    """The one liaison (联络员) a unit member names; notices go to them (002 art. 6)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="liaison", verbose_name=gettext_lazy("成员"))
    name = models.CharField(gettext_lazy("姓名"), max_length=50)
    title = models.CharField(gettext_lazy("职务"), max_length=50, blank=True)
    phone = models.CharField(gettext_lazy("联系电话"), max_length=30, blank=True, validators=[v.validate_phone])
    email = models.EmailField(gettext_lazy("电子邮箱"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("联络员")
        verbose_name_plural = gettext_lazy("联络员")

    def __str__(self):
        return gettext("%(name)s·联络员 %(name2)s") % {"name": self.member.name, "name2": self.name}


def new_token():
    return secrets.token_urlsafe(24)


class Certificate(DocumentJob):
    """成员证书 (000 art. 6 (三)). The token in its QR code is random, not derived from the member number.

    Its PDF is made by a worker (alliance/documents.py): ``status`` is that job's.
    """

    Status = DocumentStatus

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="certificates", verbose_name=gettext_lazy("成员"))
    token = models.CharField(gettext_lazy("验证码"), max_length=64, unique=True, default=new_token, editable=False)
    status = status_field()
    file = models.FileField(gettext_lazy("证书文件"), upload_to="members/certificates/", blank=True, max_length=200)
    issued_on = models.DateField(gettext_lazy("发证日期"))
    valid_until = models.DateField(gettext_lazy("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(gettext_lazy("作废时间"), null=True, blank=True)
    revoked_reason = models.CharField(gettext_lazy("作废原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=JOB_FIELDS)

    class Meta:
        verbose_name = gettext_lazy("成员证书")
        verbose_name_plural = gettext_lazy("成员证书")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(revoked_at__isnull=True), name="certificate_one_current_per_member"
            ),
            models.CheckConstraint(condition=~Q(status="ready") | ~Q(file=""), name="certificate_ready_has_file"),
        ]

    def __str__(self):
        return gettext("%(name)s·成员证书") % {"name": self.member.name}

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def get_verify_url(self):
        return reverse("verify", kwargs={"token": self.token})


class ExpiryReminder(models.Model):
    """A reminder sent for one member's term ending on one date; the unique row keeps the job from sending twice."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="expiry_reminders")
    term_ends_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "term_ends_on", "days_before"], name="expiry_reminder_once")
        ]


class MemberImport(models.Model):
    """One confirmed import of a roster spreadsheet into one alliance, with its progress and its outcome per row."""

    class Status(models.TextChoices):
        RUNNING = "running", gettext_lazy("导入中")
        DONE = "done", gettext_lazy("已完成")

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="member_imports", verbose_name=gettext_lazy("联盟"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=gettext_lazy("导入人")
    )
    file_name = models.CharField(gettext_lazy("文件名"), max_length=120)
    status = models.CharField(gettext_lazy("状态"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField(gettext_lazy("行数"), default=0)
    done = models.PositiveIntegerField(gettext_lazy("已处理"), default=0)
    errors = models.PositiveIntegerField(gettext_lazy("未导入"), default=0)
    # Per row: {"line", "name", "action", "reason"}, as the dry run listed it.
    outcome = models.JSONField(gettext_lazy("逐行结果"), default=list, blank=True)
    created_at = models.DateTimeField(gettext_lazy("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("成员名册导入")
        verbose_name_plural = gettext_lazy("成员名册导入")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.alliance}·{self.file_name}"


# The technical supporter's assessments (000 组织架构 1) live in their own module.
from .models_assessments import (  # noqa: E402, F401
    Assessment, AssessmentCorrection, AssessmentCriterion, AssessmentRound, AssessmentScore,
)
