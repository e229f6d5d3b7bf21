"""The three forms of seed 004: 试点县申报表 (附件1), 名师教研共同体申报表 (附件2) and 项目联系表 (附件3).

The two application forms share one table with a ``kind``: they are reviewed, scored, selected, announced
and paired the same way, and one table keeps assignments, scores and the 公示 list simple foreign keys.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.models import HistoricalRecords

from alliance.documents import JOB_FIELDS, DocumentJob, status_field
from alliance.uploads import checked_type_of, stored_name
from alliance.validators import validate_mobile, validate_phone, validate_postcode

from .call import (
    PROVINCE_CHOICES, Gender, Project, Stage, SubjectGrade, grade_label, month_validator, qq_validator,
)


def private_upload(instance, filename):
    """Private files get an unguessable name ending in the type the upload check found in their content, never
    the uploader's extension (a scan named .html stays a scan); the original name is kept on the row."""
    content_type = None
    for field in instance._meta.concrete_fields:
        upload = getattr(instance, field.name) if isinstance(field, models.FileField) else None
        if upload and not upload._committed and upload.name == filename:
            content_type = checked_type_of(upload.file)
    return stored_name(f"projects/{instance.__class__.__name__.lower()}", content_type)


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("已提交")
    SELECTED = "selected", gettext_lazy("拟入选")
    NOT_SELECTED = "not_selected", gettext_lazy("未入选")
    FINAL = "final", gettext_lazy("正式入选")


class Application(DocumentJob):
    """A filed application. Once submitted a worker prints it (alliance/documents.py): ``pdf_status`` is that job's."""

    class Kind(models.TextChoices):
        COUNTY = "county", gettext_lazy("试点县申报表")
        COMMUNITY = "community", gettext_lazy("名师教研共同体申报表")

    class Qualification(models.TextChoices):
        SPECIAL_GRADE = "special", gettext_lazy("特级教师")
        SENIOR_RESEARCHER = "researcher", gettext_lazy("资深教研员")
        OTHER = "other", gettext_lazy("其他")

    Status = ApplicationStatus

    # The stamped scans each form carries (004 三 3: 加盖公章的扫描件), as (field, the block it stamps); each field
    # ``x`` keeps the uploader's file name in ``x_name``.
    SCANS = {
        "county": [("applicant_scan", gettext_lazy("申报单位（加盖公章）")), ("opinion_scan", gettext_lazy("省级项目组织单位意见"))],
        "community": [("organiser_opinion_scan", gettext_lazy("组织实施单位意见")), ("opinion_scan", gettext_lazy("省级推荐单位意见"))],
    }
    # 004 二（一）: the conditions a pilot county meets, each a field of the county form.
    COUNTY_CONDITIONS = ["is_poverty_county", "has_broadband", "leadership_measures", "buys_class_equipment",
                         "has_av_research_team"]

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="applications", verbose_name=gettext_lazy("项目"))
    province = models.CharField(gettext_lazy("省份"), max_length=20, choices=PROVINCE_CHOICES)
    kind = models.CharField(gettext_lazy("申报表"), max_length=10, choices=Kind.choices)
    status = models.CharField(gettext_lazy("状态"), max_length=15, choices=ApplicationStatus.choices, default="draft")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_applications", verbose_name=gettext_lazy("填报人")
    )
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(gettext_lazy("提交时间"), null=True, blank=True)

    # 附件1 试点县申报表
    applicant_unit = models.CharField(gettext_lazy("申报单位"), max_length=100, blank=True, help_text=gettext_lazy("以县级地区为单位，如：泸水市教育体育局"))
    county = models.CharField(gettext_lazy("县（市、区）"), max_length=50, blank=True)
    is_sanqu_sanzhou = models.BooleanField(gettext_lazy("属于三区三州"), default=False, help_text=gettext_lazy("遴选推荐过程中优先考虑三区三州的县"))
    address = models.CharField(gettext_lazy("通讯地址"), max_length=200, blank=True)
    head_name = models.CharField(gettext_lazy("负责人姓名"), max_length=30, blank=True)
    head_position = models.CharField(gettext_lazy("负责人职务"), max_length=50, blank=True)
    head_phone = models.CharField(gettext_lazy("负责人联系电话"), max_length=30, blank=True, validators=[validate_phone])
    head_email = models.EmailField(gettext_lazy("负责人电子邮箱"), blank=True)
    head_qq = models.CharField(gettext_lazy("负责人QQ"), max_length=12, blank=True, validators=[qq_validator])
    contact_name = models.CharField(gettext_lazy("联系人姓名"), max_length=30, blank=True)
    contact_position = models.CharField(gettext_lazy("联系人职务"), max_length=50, blank=True)
    contact_phone = models.CharField(gettext_lazy("联系人联系电话"), max_length=30, blank=True, validators=[validate_phone])
    contact_email = models.EmailField(gettext_lazy("联系人电子邮箱"), blank=True)
    contact_qq = models.CharField(gettext_lazy("联系人QQ"), max_length=12, blank=True, validators=[qq_validator])
    # 申报单位（加盖公章）: the county's own stamped copy of the form.
    applicant_scan = models.FileField(gettext_lazy("申报单位盖章扫描件"), upload_to=private_upload, blank=True)
    applicant_scan_name = models.CharField(gettext_lazy("申报单位扫描件原文件名"), max_length=200, blank=True)
    ict_infrastructure = models.TextField(
        gettext_lazy("本地区教育信息化基础能力"), blank=True, help_text=gettext_lazy("描述试点地区硬件基础，如学校带宽、学生使用终端等")
    )
    research_organisation = models.TextField(gettext_lazy("本地区区域教研的组织、机制等情况"), blank=True)
    # 004 二（一）: 每省选择2-3个具备以下条件的贫困县 (condition 3, the county community, is the team below).
    is_poverty_county = models.BooleanField(gettext_lazy("本县为贫困县"), default=False)
    has_broadband = models.BooleanField(gettext_lazy("义务教育学校基本实现了网络宽带校校通，班级具有网络多媒体教学设备"), default=False)
    leadership_measures = models.TextField(
        gettext_lazy("县级领导重视信息化、开展项目试点的积极性及激励县级优秀教师参与项目的举措"), blank=True,
        help_text=gettext_lazy("县级领导高度重视信息化，具有开展项目试点积极性，有激励县级优秀教师参与项目的举措"),
    )
    buys_class_equipment = models.BooleanField(
        gettext_lazy("县级教育行政部门已确定本县参与项目的教学点和农村薄弱学校，并按照项目要求为项目班级自行采购全向麦克和摄像头"),
        default=False,
    )
    has_av_research_team = models.BooleanField(
        gettext_lazy("电教教研队伍基本健全，可以协助名校和平台支持学校落实试点工作"), default=False
    )

    # 附件2 名师教研共同体申报表
    organising_unit = models.CharField(gettext_lazy("组织实施单位"), max_length=100, blank=True)
    stage = models.CharField(gettext_lazy("学段"), max_length=10, choices=Stage.choices, blank=True)
    subject = models.ForeignKey(
        SubjectGrade, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=gettext_lazy("学科")
    )
    grade = models.PositiveSmallIntegerField(gettext_lazy("年级"), null=True, blank=True)
    leader_name = models.CharField(gettext_lazy("负责人姓名"), max_length=30, blank=True)
    leader_gender = models.CharField(gettext_lazy("性别"), max_length=2, choices=Gender.choices, blank=True)
    leader_birth_month = models.CharField(gettext_lazy("出生年月"), max_length=7, blank=True, validators=[month_validator],
                                          help_text=gettext_lazy("如 1975-03"))
    leader_employer = models.CharField(gettext_lazy("工作单位"), max_length=100, blank=True)
    leader_title = models.CharField(gettext_lazy("职称"), max_length=50, blank=True)
    leader_qualification = models.CharField(
        gettext_lazy("领衔专家资格"), max_length=12, choices=Qualification.choices, blank=True,
        help_text=gettext_lazy("领衔专家应为特级教师或资深教研员"),
    )
    leader_position = models.CharField(gettext_lazy("职务"), max_length=50, blank=True)
    leader_email = models.EmailField(gettext_lazy("电子邮箱"), blank=True)
    leader_phone = models.CharField(gettext_lazy("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    leader_address = models.CharField(gettext_lazy("通信地址"), max_length=200, blank=True)
    leader_postcode = models.CharField(gettext_lazy("邮编"), max_length=6, blank=True, validators=[validate_postcode])
    plan_goals = models.TextField(gettext_lazy("一、教研共同体核心目标与核心价值观"), blank=True)
    plan_foundation = models.TextField(
        gettext_lazy("二、已有工作基础"), blank=True,
        help_text=gettext_lazy("共同体规模、共同体活力与凝聚力、共同体影响力与创新点、共同体建设中的主要问题等方面"),
    )
    plan_awards = models.TextField(gettext_lazy("三、共同体及成员相关获奖荣誉及成果"), blank=True, help_text=gettext_lazy("请列举，并在下方附图"))

    # 组织实施单位意见 (附件2 only), with its stamped scan.
    organiser_opinion_scan = models.FileField(gettext_lazy("组织实施单位意见盖章扫描件"), upload_to=private_upload, blank=True)
    organiser_opinion_scan_name = models.CharField(gettext_lazy("组织实施单位扫描件原文件名"), max_length=200, blank=True)
    organiser_opinion_unit = models.CharField(gettext_lazy("组织实施单位名称"), max_length=100, blank=True)
    organiser_opinion_date = models.DateField(gettext_lazy("组织实施单位意见日期"), null=True, blank=True)

    # 省级项目组织单位意见 (附件1) / 省级推荐单位意见 (附件2), with its stamped scan.
    opinion_scan = models.FileField(gettext_lazy("省级意见盖章扫描件"), upload_to=private_upload, blank=True)
    opinion_scan_name = models.CharField(gettext_lazy("扫描件原文件名"), max_length=200, blank=True)
    opinion_unit = models.CharField(gettext_lazy("意见单位名称"), max_length=100, blank=True)
    opinion_date = models.DateField(gettext_lazy("意见日期"), null=True, blank=True)

    pdf_file = models.FileField(gettext_lazy("打印版 PDF"), upload_to="projects/pdf/", blank=True)
    pdf_version = models.DateTimeField(gettext_lazy("PDF 对应版本"), null=True, blank=True)
    pdf_status = status_field(gettext_lazy("打印版状态"))

    history = HistoricalRecords(excluded_fields=["pdf_file", "pdf_version", "pdf_status", *JOB_FIELDS])

    class Meta:
        verbose_name = gettext_lazy("申报表")
        verbose_name_plural = gettext_lazy("申报表")
        ordering = ["project", "province", "kind", "pk"]
        indexes = [models.Index(fields=["project", "province", "kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="project_application_submitted_has_time"
            ),
            models.CheckConstraint(
                condition=Q(kind="county") | Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=9),
                name="application_grade_1_to_9",
            ),
        ]

    def __str__(self):
        return f"{self.province}·{self.display_name}"

    @property
    def display_name(self):
        if self.kind == self.Kind.COUNTY:
            return self.applicant_unit or self.county or _("（未填写申报单位）")
        subject = f"{self.subject}{grade_label(self.grade) if self.grade else ''}" if self.subject_id else ""
        return _("%(v1)s名师教研共同体（%(v2)s）") % {"v1": self.leader_name or _("（未填写负责人）"), "v2": subject or _("未选学科")}

    @property
    def grade_label(self):
        return grade_label(self.grade) if self.grade else ""

    @property
    def is_editable(self):
        return self.status == ApplicationStatus.DRAFT

    def scans(self):
        """The form's stamped scans as (field, block, file, uploader's file name), for pages and the PDF."""
        return [(field, block, getattr(self, field), getattr(self, f"{field}_name"))
                for field, block in self.SCANS[self.kind]]

    def conditions(self):
        """The county's answers to the call's conditions as (wording, value): a bool is ticked, a text is typed."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.COUNTY_CONDITIONS]

    def clean(self):
        errors = {}
        if self.kind == self.Kind.COMMUNITY and self.subject_id:
            if self.subject.project_id != self.project_id:
                errors["subject"] = _("请选择本项目遴选的学科。")
            elif self.stage and self.subject.stage != self.stage:
                errors["subject"] = _("所选学科属于%(stage)s，与学段不符。") % {"stage": self.subject.get_stage_display()}
            elif self.grade is not None and not self.subject.covers(self.grade):
                errors["grade"] = _("%(subject)s遴选%(grades_label)s，所填年级不在其中。") % {"subject": self.subject, "grades_label": self.subject.grades_label}
        if errors:
            raise ValidationError(errors)


class School(models.Model):
    """参与学校信息: as many rows as the county needs."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="schools", verbose_name=gettext_lazy("申报表"))
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    kind = models.CharField(gettext_lazy("学校性质"), max_length=30, help_text=gettext_lazy("如：教学点、农村薄弱学校、乡镇中心校"))
    head = models.CharField(gettext_lazy("负责人"), max_length=30, blank=True)
    head_phone = models.CharField(gettext_lazy("负责人联系电话"), max_length=30, blank=True, validators=[validate_phone])
    notes = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("参与学校")
        verbose_name_plural = gettext_lazy("参与学校")
        ordering = ["application", "order", "pk"]

    def __str__(self):
        return self.name


class Textbook(models.Model):
    """教材使用情况: the edition used per subject."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="textbooks", verbose_name=gettext_lazy("申报表")
    )
    subject = models.ForeignKey(SubjectGrade, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("学科"))
    edition = models.CharField(gettext_lazy("版本"), max_length=50, help_text=gettext_lazy("如：统编版、人教版、外研版"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("教材使用情况")
        verbose_name_plural = gettext_lazy("教材使用情况")
        ordering = ["application", "subject__order"]
        constraints = [models.UniqueConstraint(fields=["application", "subject"], name="textbook_one_per_subject")]

    def __str__(self):
        return _("%(subject)s：%(edition)s") % {"subject": self.subject, "edition": self.edition}


class TeamMember(models.Model):
    """A member of a county research community (附件1) or of a famous-teacher community (附件2)."""

    class Role(models.TextChoices):
        SUBJECT_LEAD = "subject_lead", gettext_lazy("学科负责人")
        TEACHER = "teacher", gettext_lazy("学科教师")
        ADMIN = "admin", gettext_lazy("管理员")
        LEADER = "leader", gettext_lazy("领衔专家")
        MEMBER = "member", gettext_lazy("共同体成员")

    COUNTY_ROLES = ["subject_lead", "teacher", "admin"]
    COMMUNITY_ROLES = ["leader", "admin", "member"]

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team", verbose_name=gettext_lazy("申报表"))
    subject = models.ForeignKey(
        SubjectGrade, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=gettext_lazy("学科"),
        help_text=gettext_lazy("县域教研共同体按年级学科组组建"),
    )
    grade = models.PositiveSmallIntegerField(gettext_lazy("年级"), null=True, blank=True)
    name = models.CharField(gettext_lazy("姓名"), max_length=30)
    gender = models.CharField(gettext_lazy("性别"), max_length=2, choices=Gender.choices)
    employer = models.CharField(gettext_lazy("工作单位"), max_length=100)
    title = models.CharField(gettext_lazy("职称"), max_length=50, blank=True)
    phone = models.CharField(gettext_lazy("联系电话"), max_length=30, validators=[validate_phone])
    email = models.EmailField(gettext_lazy("电子邮箱"), blank=True)
    role = models.CharField(gettext_lazy("角色"), max_length=15, choices=Role.choices)
    duty = models.CharField(gettext_lazy("分工"), max_length=100, blank=True)
    # The row's place on the form as entered: the printed forms and the 聘书 list the team in this order.
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("团队成员")
        verbose_name_plural = gettext_lazy("团队成员")
        ordering = ["application", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=9),
                                   name="team_member_grade_1_to_9"),
        ]

    def __str__(self):
        return _("%(name)s（%(employer)s）") % {"name": self.name, "employer": self.employer}

    @property
    def group_label(self):
        """The 年级学科组 of a county member, as 小学语文三年级."""
        return f"{self.subject or ''}{grade_label(self.grade) if self.grade else ''}"

    def clean(self):
        if self.subject_id and self.grade is not None and not self.subject.covers(self.grade):
            raise ValidationError({"grade": _("%(subject)s遴选%(grades_label)s，所填年级不在其中。") % {"subject": self.subject, "grades_label": self.subject.grades_label}})


class Award(models.Model):
    """获奖荣誉及成果 with an evidence image (附件2 三)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="awards", verbose_name=gettext_lazy("申报表"))
    title = models.CharField(gettext_lazy("荣誉或成果"), max_length=200)
    year = models.PositiveSmallIntegerField(gettext_lazy("年份"), null=True, blank=True)
    evidence = models.FileField(gettext_lazy("证明材料图片"), upload_to=private_upload, blank=True)
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("获奖荣誉及成果")
        verbose_name_plural = gettext_lazy("获奖荣誉及成果")
        ordering = ["application", "order", "pk"]

    def __str__(self):
        return self.title


class ProvincialContact(models.Model):
    """项目联系表 (附件3): one per province and project, head and contact of the provincial organiser."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="contacts", verbose_name=gettext_lazy("项目"))
    province = models.CharField(gettext_lazy("省份"), max_length=20, choices=PROVINCE_CHOICES)
    status = models.CharField(
        gettext_lazy("状态"), max_length=15, choices=[("draft", gettext_lazy("草稿")), ("submitted", gettext_lazy("已提交"))], default="draft"
    )
    submitted_at = models.DateTimeField(gettext_lazy("提交时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("填报人")
    )
    updated_at = models.DateTimeField(gettext_lazy("更新时间"), auto_now=True)
    head_name = models.CharField(gettext_lazy("负责人姓名"), max_length=30)
    head_gender = models.CharField(gettext_lazy("负责人性别"), max_length=2, choices=Gender.choices)
    head_ethnicity = models.CharField(gettext_lazy("负责人民族"), max_length=20, help_text=gettext_lazy("如：汉族"))
    head_unit = models.CharField(gettext_lazy("负责人所在单位/处室"), max_length=100)
    head_position = models.CharField(gettext_lazy("负责人职务"), max_length=50)
    head_office_phone = models.CharField(gettext_lazy("负责人办公电话"), max_length=30, validators=[validate_phone])
    head_mobile = models.CharField(gettext_lazy("负责人手机号码"), max_length=11, validators=[validate_mobile])
    head_wechat = models.CharField(gettext_lazy("负责人微信"), max_length=50, blank=True)
    contact_name = models.CharField(gettext_lazy("联系人姓名"), max_length=30)
    contact_gender = models.CharField(gettext_lazy("联系人性别"), max_length=2, choices=Gender.choices)
    contact_ethnicity = models.CharField(gettext_lazy("联系人民族"), max_length=20)
    contact_unit = models.CharField(gettext_lazy("联系人所在单位/处室"), max_length=100)
    contact_position = models.CharField(gettext_lazy("联系人职务"), max_length=50)
    contact_office_phone = models.CharField(gettext_lazy("联系人办公电话"), max_length=30, validators=[validate_phone])
    contact_mobile = models.CharField(gettext_lazy("联系人手机号码"), max_length=11, validators=[validate_mobile])
    contact_wechat = models.CharField(gettext_lazy("联系人微信"), max_length=50, blank=True)
    # 省级项目组织单位（加盖公章）: the stamped copy sent with the electronic one (004 三 3).
    scan = models.FileField(gettext_lazy("盖章扫描件"), upload_to=private_upload, blank=True)
    scan_name = models.CharField(gettext_lazy("扫描件原文件名"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("项目联系表")
        verbose_name_plural = gettext_lazy("项目联系表")
        ordering = ["project", "province"]
        constraints = [
            models.UniqueConstraint(fields=["project", "province"], name="contact_one_per_province"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="contact_submitted_has_time"
            ),
        ]

    def __str__(self):
        return _("%(province)s项目联系表") % {"province": self.province}

    PEOPLE = [("head", gettext_lazy("省级项目组织单位负责人信息")), ("contact", gettext_lazy("省级项目组织单位联系人信息"))]
    COLUMNS = [("name", gettext_lazy("姓名")), ("gender", gettext_lazy("性别")), ("ethnicity", gettext_lazy("民族")), ("unit", gettext_lazy("所在单位/处室")),
               ("position", gettext_lazy("职务")), ("office_phone", gettext_lazy("办公电话")), ("mobile", gettext_lazy("手机号码")), ("wechat", gettext_lazy("微信"))]

    def rows(self):
        """The two rows of the form, as (label, [values]) for templates and the PDF."""
        return [
            (label, [getattr(self, f"{prefix}_{col}") for col, _label in self.COLUMNS]) for prefix, label in self.PEOPLE
        ]
