"""The root models: people, alliances with their charter rules, announcements and the e-mail outbox."""

from django.utils.translation import gettext, gettext_lazy
import copy

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person with an account; they sign in with their e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(gettext_lazy("电子邮箱"), unique=True)
    name = models.CharField(gettext_lazy("姓名"), max_length=50)
    phone = models.CharField(gettext_lazy("联系电话"), max_length=30, blank=True)
    # Accounts opened by staff, imports or the demo count as verified from the start; the sign-up form opens
    # them unverified (alliance.services.user_register) until the person follows the link mailed to them.
    email_verified_at = models.DateTimeField(gettext_lazy("邮箱验证时间"), null=True, blank=True, default=timezone.now)
    # 个人信息保护法 arts. 14, 17: the consent given at sign-up and the version of the text it was given to.
    privacy_consent_at = models.DateTimeField(gettext_lazy("同意个人信息处理规则时间"), null=True, blank=True)
    privacy_consent_version = models.CharField(gettext_lazy("所同意的规则版本"), max_length=20, blank=True)
    # The last verification or sign-up notice mailed to the account: at most one a minute.
    account_mail_sent_at = models.DateTimeField(gettext_lazy("账号邮件发送时间"), null=True, blank=True, editable=False)
    # The notice categories (Notice) the person turned off; empty: every notice on.
    notices_off = models.JSONField(gettext_lazy("不接收的通知"), default=list, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]
    objects = UserManager()
    # Password hashes and sign-in times stay out of the audit trail.
    history = HistoricalRecords(excluded_fields=["password", "last_login", "account_mail_sent_at"])

    class Meta:
        verbose_name = gettext_lazy("用户")
        verbose_name_plural = gettext_lazy("用户")
        ordering = ["email"]

    def __str__(self):
        return gettext("%(name)s（%(email)s）") % {"name": self.name, "email": self.email} if self.name else self.email

    @property
    def email_verified(self):
        return self.email_verified_at is not None

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email


code_validator = RegexValidator(r"^[A-Z][A-Z0-9]{1,11}$", gettext_lazy("代码须为 2–12 位大写字母或数字，以字母开头。"))


class Alliance(models.Model):
    """An alliance (联盟) or an organising agency hosted by this deployment."""

    class Kind(models.TextChoices):
        ALLIANCE = "alliance", gettext_lazy("联盟")
        AGENCY = "agency", gettext_lazy("机构")

    kind = models.CharField(gettext_lazy("类型"), max_length=10, choices=Kind.choices, default=Kind.ALLIANCE)
    name = models.CharField(gettext_lazy("名称"), max_length=100, unique=True)
    short_name = models.CharField(gettext_lazy("简称"), max_length=30, blank=True)
    name_en = models.CharField(gettext_lazy("英文名称"), max_length=150, blank=True)
    slug = models.SlugField(gettext_lazy("网址标识"), max_length=40, unique=True)
    code = models.CharField(
        gettext_lazy("编号代码"), max_length=12, unique=True, validators=[code_validator],
        help_text=gettext_lazy("用于成员编号等，例如 COP。"),
    )
    logo = models.ImageField(gettext_lazy("标志"), upload_to="logos/", blank=True)
    summary = models.TextField(gettext_lazy("简介"), blank=True)
    charter_text = models.TextField(gettext_lazy("章程全文"), blank=True)
    contact_person = models.CharField(gettext_lazy("联系人"), max_length=50, blank=True)
    phone = models.CharField(gettext_lazy("联系电话"), max_length=50, blank=True)
    email = models.EmailField(gettext_lazy("电子邮箱"), blank=True)
    website = models.URLField(gettext_lazy("网址"), blank=True)
    address = models.CharField(gettext_lazy("通讯地址"), max_length=200, blank=True)
    # 002 art. 5: 联盟的主管部门为广州市教育局, which receives the annual work report.
    supervisor_name = models.CharField(gettext_lazy("主管部门"), max_length=100, blank=True)
    supervisor_contact = models.CharField(gettext_lazy("主管部门联系人"), max_length=50, blank=True)
    supervisor_phone = models.CharField(gettext_lazy("主管部门联系电话"), max_length=50, blank=True)
    supervisor_email = models.EmailField(gettext_lazy("主管部门电子邮箱"), blank=True, help_text=gettext_lazy("年度工作报告归档后发送至此邮箱。"))
    is_public = models.BooleanField(gettext_lazy("在首页公开"), default=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("联盟")
        verbose_name_plural = gettext_lazy("联盟")
        ordering = ["pk"]
        permissions = [
            ("manage_alliance", gettext_lazy("秘书处：管理本联盟事务")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("alliance_detail", kwargs={"slug": self.slug})

    @property
    def display_short_name(self):
        return self.short_name or self.name


class CharterRules(models.Model):
    """The rules of an alliance's charter, as data that staff edit in the admin.

    Code reads these values; it never spells a fraction or a limit itself. Fractions are stored as integer
    numerator/denominator pairs and compared by cross-multiplying, never as floats.
    """

    class AdmissionRoute(models.TextChoices):
        SECRETARIAT = "secretariat", gettext_lazy("秘书处审查批准")
        BODY_CONSENT = "body_consent", gettext_lazy("秘书处受理，指定机构同意")
        MOTION = "motion", gettext_lazy("决策机构表决")
        # 000 art. 6 and art. 11 (二): the secretariat reviews, the council ratifies the reviewed ones together.
        RATIFICATION = "ratification", gettext_lazy("秘书处审查，理事会审议批准")
        CLOSED = "closed", gettext_lazy("章程确定，不接受申请")

    class TieRule(models.TextChoices):
        FAILS = "fails", gettext_lazy("未达到表决门槛即不通过")
        CHAIR_DECIDES = "chair_decides", gettext_lazy("由会议主持人决定")

    alliance = models.OneToOneField(Alliance, on_delete=models.CASCADE, related_name="rules", verbose_name=gettext_lazy("联盟"))

    # Membership
    admits_units = models.BooleanField(gettext_lazy("接受单位成员"), default=True)
    admits_individuals = models.BooleanField(gettext_lazy("接受个人成员"), default=False)
    unit_types = models.TextField(gettext_lazy("单位类型"), blank=True, help_text=gettext_lazy("可申请的单位类型，每行一个。"))
    admission_route = models.CharField(
        gettext_lazy("入会审批方式"), max_length=20, choices=AdmissionRoute.choices, default=AdmissionRoute.SECRETARIAT
    )
    admission_body_kind = models.CharField(
        gettext_lazy("入会审批机构"), max_length=20, blank=True,
        help_text=gettext_lazy("审批方式为“指定机构同意”或“表决”时的机构类型，例如指导委员会、理事会。"),
    )
    admission_article = models.CharField(gettext_lazy("入会依据条款"), max_length=200, blank=True)
    # The application form in the charter's words: one alliance's texts never show on another's form.
    application_form_title = models.CharField(
        gettext_lazy("入会申请表名称"), max_length=100, blank=True,
        help_text=gettext_lazy("章程所称的申请表，例如“靠谱 COP 联盟会员申请登记表”；留空即“联盟名称＋入会申请表”。"),
    )
    application_help = models.TextField(gettext_lazy("申请表说明"), blank=True, help_text=gettext_lazy("申请表顶部的说明，例如章程规定的入会条件。"))
    field_of_work_help = models.CharField(
        gettext_lazy("业务领域填写提示"), max_length=300, blank=True, help_text=gettext_lazy("申请表“业务领域”一项下的提示。")
    )
    consent_article = models.CharField(
        gettext_lazy("入会承诺条款"), max_length=60, blank=True,
        help_text=gettext_lazy("“拥护联盟章程”“自愿加入联盟”两项承诺所依据的条款，例如“第五条”；未勾选时的提示引用它。"),
    )
    member_term_years = models.PositiveSmallIntegerField(
        gettext_lazy("成员任期（年）"), null=True, blank=True, help_text=gettext_lazy("留空表示长期有效。")
    )
    term_renewable = models.BooleanField(gettext_lazy("任期可连任"), default=True)
    withdrawal_notice_months = models.PositiveSmallIntegerField(gettext_lazy("退会提前通知（月）"), default=0)
    withdrawal_needs_approval = models.BooleanField(gettext_lazy("退会须经批准"), default=False)
    withdrawal_article = models.CharField(gettext_lazy("退会依据条款"), max_length=200, blank=True)
    expulsion_article = models.CharField(gettext_lazy("除名依据条款"), max_length=200, blank=True)
    sanction_body_kinds = models.CharField(
        gettext_lazy("处分与除名的决定机构"), max_length=100, blank=True,
        help_text=gettext_lazy("依次须作出决定的机构类型，以逗号分隔，例如 joint_meeting,guidance_committee；留空即决策机构。"),
    )
    member_number_format = models.CharField(
        gettext_lazy("成员编号格式"), max_length=60, default="{code}-{year}-{seq:04d}",
        help_text=gettext_lazy("可用 {code}、{year}、{seq}，例如 {code}-{year}-{seq:04d}。"),
    )
    rights_text = models.TextField(gettext_lazy("成员权利"), blank=True)
    duties_text = models.TextField(gettext_lazy("成员义务"), blank=True)

    # Decisions
    decision_body_kind = models.CharField(gettext_lazy("决策机构"), max_length=20, default="council")
    quorum_numerator = models.PositiveSmallIntegerField(gettext_lazy("法定出席比例·分子"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(gettext_lazy("法定出席比例·分母"), default=3)
    quorum_rule_text = models.CharField(gettext_lazy("出席规则原文"), max_length=300, blank=True)
    pass_numerator = models.PositiveSmallIntegerField(gettext_lazy("表决通过比例·分子"), default=2)
    pass_denominator = models.PositiveSmallIntegerField(gettext_lazy("表决通过比例·分母"), default=3)
    pass_rule_text = models.CharField(gettext_lazy("通过规则原文"), max_length=300, blank=True)
    abstentions_in_base = models.BooleanField(gettext_lazy("弃权票计入表决基数"), default=True)
    tie_rule = models.CharField(gettext_lazy("平票处理"), max_length=20, choices=TieRule.choices, default=TieRule.FAILS)
    min_meetings_per_year = models.PositiveSmallIntegerField(gettext_lazy("每年至少召开会议次数"), default=1)
    correspondence_allowed = models.BooleanField(gettext_lazy("允许通讯形式召开"), default=True)

    # Officers
    officer_age_limit = models.PositiveSmallIntegerField(gettext_lazy("负责人最高任职年龄"), null=True, blank=True)
    officer_term_years = models.PositiveSmallIntegerField(gettext_lazy("负责人每届任期（年）"), null=True, blank=True)
    officer_max_terms = models.PositiveSmallIntegerField(gettext_lazy("负责人最多连任届数"), null=True, blank=True)
    officer_rules_article = models.CharField(gettext_lazy("负责人条件依据条款"), max_length=200, blank=True)
    rotating_chair_years = models.PositiveSmallIntegerField(
        gettext_lazy("轮值主席任期（年）"), null=True, blank=True, help_text=gettext_lazy("留空表示不实行轮值。")
    )

    # Finance
    dues_apply = models.BooleanField(gettext_lazy("收取会费"), default=False)
    # 000 art. 21 forbids sharing funds out among members; 教师网联's agreement gives the six universities
    # 收益分配权 (seed 003). finance.services.distribution_record reads this.
    distribution_allowed = models.BooleanField(
        gettext_lazy("允许向成员分配收益"), default=False, help_text=gettext_lazy("章程或协议规定成员享有收益分配权时勾选。")
    )
    distribution_article = models.CharField(
        gettext_lazy("收益分配依据条款"), max_length=300, blank=True, help_text=gettext_lazy("允许或禁止向成员分配的条款原文。")
    )

    history = HistoricalRecords()

    # The rules that decide: changed only by a passed amendment of the body holding that power (000 art. 22,
    # 001 arts. 13, 24), or set by a superuser for a new alliance. The other fields are texts shown to people
    # (wording, articles, form help, rights and duties) that staff keep up to date.
    DECISION_FIELDS = (
        "admits_units", "admits_individuals", "admission_route", "admission_body_kind", "member_term_years",
        "term_renewable", "withdrawal_notice_months", "withdrawal_needs_approval", "decision_body_kind",
        "quorum_numerator", "quorum_denominator", "pass_numerator", "pass_denominator", "abstentions_in_base",
        "tie_rule", "min_meetings_per_year", "correspondence_allowed", "officer_age_limit", "officer_term_years",
        "officer_max_terms", "rotating_chair_years", "dues_apply", "sanction_body_kinds", "distribution_allowed",
    )

    class Meta:
        verbose_name = gettext_lazy("章程规则")
        verbose_name_plural = gettext_lazy("章程规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_numerator__gt=0, quorum_numerator__lte=F("quorum_denominator")),
                name="charter_quorum_fraction_valid",
            ),
            models.CheckConstraint(
                condition=Q(pass_numerator__gt=0, pass_numerator__lte=F("pass_denominator")),
                name="charter_pass_fraction_valid",
            ),
        ]

    def __str__(self):
        return gettext("%(alliance)s·章程规则") % {"alliance": self.alliance}

    def clean(self):
        errors = {}
        if not self.quorum_denominator or not 0 < self.quorum_numerator <= self.quorum_denominator:
            errors["quorum_numerator"] = gettext("出席比例须大于 0 且不超过 1（分子不大于分母）。")
        if not self.pass_denominator or not 0 < self.pass_numerator <= self.pass_denominator:
            errors["pass_numerator"] = gettext("通过比例须大于 0 且不超过 1（分子不大于分母）。")
        if self.admission_route in self.BODY_ROUTES and not (
            self.admission_body_kind
        ):
            errors["admission_body_kind"] = gettext("请填写审批机构。")
        if self.admission_route != self.AdmissionRoute.CLOSED and not (self.admits_units or self.admits_individuals):
            errors["admits_units"] = gettext("接受申请时，至少须接受单位成员或个人成员之一。")
        try:
            self.member_number_format.format(code="X", year=2026, seq=1)
        except (KeyError, IndexError, ValueError):
            errors["member_number_format"] = gettext("编号格式只能使用 {code}、{year}、{seq}。")
        if errors:
            raise ValidationError(errors)

    def amended(self, values):
        """A copy of these rules with the decision rules in values (field name -> value), checked as a whole;
        raises ValidationError for a name that is not a decision rule or a value the rules refuse."""
        unknown = sorted(set(values) - set(self.DECISION_FIELDS))
        if unknown:
            raise ValidationError(gettext("只能修改议事与成员规则，以下各项不在其列：%(join)s。") % {"join": '、'.join(unknown)})
        amended = copy.copy(self)
        errors = {}
        for name, value in values.items():
            field = self._meta.get_field(name)
            try:
                setattr(amended, name, field.clean(value, amended))
            except ValidationError as exc:
                errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)
        amended.full_clean(validate_unique=False)
        return amended

    # "At least n/d of N" means count * d >= n * N: exact integers, never a float compare.
    def quorum_met(self, *, present, in_office):
        return in_office > 0 and present * self.quorum_denominator >= self.quorum_numerator * in_office

    def quorum_threshold(self, *, in_office):
        """The smallest number present that meets the quorum."""
        return -(-self.quorum_numerator * in_office // self.quorum_denominator)

    def motion_passes(self, *, votes_for, base):
        return base > 0 and votes_for * self.pass_denominator >= self.pass_numerator * base

    def pass_threshold(self, *, base):
        """The smallest number of votes for that passes a motion with this base."""
        return -(-self.pass_numerator * base // self.pass_denominator)

    def pass_base(self, *, votes_for, votes_against, abstentions):
        return votes_for + votes_against + (abstentions if self.abstentions_in_base else 0)

    # The routes on which a body of the alliance decides each admission.
    BODY_ROUTES = (AdmissionRoute.BODY_CONSENT, AdmissionRoute.MOTION, AdmissionRoute.RATIFICATION)

    @property
    def sanction_body_list(self):
        """The body kinds that decide an expulsion or a sanction, in the order they decide (001 art. 22 (二))."""
        kinds = [kind.strip() for kind in self.sanction_body_kinds.split(",") if kind.strip()]
        return kinds or [self.decision_body_kind]

    @property
    def unit_type_list(self):
        return [line.strip() for line in self.unit_types.splitlines() if line.strip()]

    @property
    def application_form_name(self):
        return self.application_form_title or gettext("%(name)s入会申请表") % {"name": self.alliance.name}

    def consent_message(self, what):
        """The message when a consent is not given: "申请入会须拥护联盟章程（第五条）。"."""
        article = gettext("（%(article)s）") % {"article": self.consent_article} if self.consent_article else ""
        return gettext("申请入会须%(what)s%(article)s。") % {"what": what, "article": article}

    @property
    def accepts_applications(self):
        return self.admission_route != self.AdmissionRoute.CLOSED

    def format_member_number(self, *, year, seq):
        return self.member_number_format.format(code=self.alliance.code, year=year, seq=seq)


class Announcement(models.Model):
    """A public notice (公告/公示) on an alliance's page."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="announcements", verbose_name=gettext_lazy("联盟"))
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    body = models.TextField(gettext_lazy("正文"))
    published_at = models.DateTimeField(gettext_lazy("发布时间"), default=timezone.now)
    is_published = models.BooleanField(gettext_lazy("已发布"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("公告")
        verbose_name_plural = gettext_lazy("公告")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["alliance", "-published_at"])]

    def __str__(self):
        return self.title


class Notice(models.TextChoices):
    """The categories of e-mail a person may turn off on the profile page, except ALWAYS_ON."""

    APPLICATIONS = "applications", gettext_lazy("入会申请受理回执")
    SECRETARIAT = "secretariat", gettext_lazy("秘书处待办（新的入会申请、退会通知、会议提醒）")
    VOTES = "votes", gettext_lazy("表决开始与截止前提醒")
    PROJECTS = "projects", gettext_lazy("项目评审、公示与入选")
    MEMBERSHIP = "membership", gettext_lazy("成员事务（证书、任期、工作简报）")
    DECISIONS = "decisions", gettext_lazy("决定（审批结果、表决结果、退出、处分、除名）")
    MONEY = "money", gettext_lazy("会费与收款（缴费通知、收据、提醒）")
    ACCOUNT = "account", gettext_lazy("账号与安全")


# Decisions and money concern a person's rights and obligations; the account's own e-mails (reset, welcome) are
# how the person reaches the account at all: none of them can be turned off.
NOTICES_ALWAYS_ON = frozenset({Notice.DECISIONS, Notice.MONEY, Notice.ACCOUNT})


class Email(models.Model):
    """An outgoing e-mail (the outbox).

    The row is written in the same transaction as the change it reports; a task sends it after commit and a
    periodic sweep re-enqueues any that a failed enqueue left behind, so no e-mail depends on the broker
    being up at the moment of the change.
    """

    to = models.EmailField(gettext_lazy("收件人"))
    subject = models.CharField(gettext_lazy("主题"), max_length=200)
    body = models.TextField(gettext_lazy("正文"))
    html_body = models.TextField(gettext_lazy("HTML 正文"), blank=True)
    from_email = models.CharField(gettext_lazy("发件人"), max_length=200, blank=True)
    kind = models.CharField(gettext_lazy("通知类别"), max_length=20, choices=Notice.choices, default=Notice.ACCOUNT)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(gettext_lazy("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(gettext_lazy("尝试次数"), default=0)
    last_error = models.TextField(gettext_lazy("最近错误"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("邮件")
        verbose_name_plural = gettext_lazy("邮件")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class Counter(models.Model):
    """The last number given of one kind, per alliance and year (alliance.numbering draws from it).

    The row is locked while a number is drawn, so numbers are given one after another and a rolled-back
    transaction gives its number back: no number is skipped or given twice.
    """

    class Kind(models.TextChoices):
        MEMBER = "member", gettext_lazy("成员编号")
        RECEIPT = "receipt", gettext_lazy("收据编号")
        BRIEFING = "briefing", gettext_lazy("简报期号")
        LETTER = "letter", gettext_lazy("聘书编号")
        RESOLUTION = "resolution", gettext_lazy("决议文号")

    kind = models.CharField(gettext_lazy("编号类型"), max_length=20, choices=Kind.choices)
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+", verbose_name=gettext_lazy("联盟"))
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    value = models.PositiveIntegerField(gettext_lazy("已用至"), default=0)

    class Meta:
        verbose_name = gettext_lazy("编号计数器")
        verbose_name_plural = gettext_lazy("编号计数器")
        constraints = [models.UniqueConstraint(fields=["kind", "alliance", "year"], name="counter_unique_per_scope")]

    def __str__(self):
        return f"{self.alliance.code} {self.get_kind_display()} {self.year}：{self.value}"
