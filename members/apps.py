from django.utils.translation import gettext_lazy
from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = gettext_lazy("成员")

    def ready(self):
        from alliance import navigation, workbench
        from governance import audiences, effects

        from . import directory, selectors, services
        from .models import Application, Member

        directory.connect_signals()
        navigation.fact_register("is_member", Member.objects.all())
        navigation.link_register(selectors.nav_link, order=10)
        navigation.search_register("members", gettext_lazy("成员名录"), find=selectors.member_search, row=selectors.member_search_row,
                                   order=20)

        # A motion to admit names one or more applications of its alliance, one to expel or sanction names one
        # member of it; a passed motion admits its applications (000 art. 11 (二)) or expels its member
        # (000 art. 10, once every deciding body has passed its motion), the motions linked as its decisions.
        effects.subject_register(effects.ADMIT_MEMBER, Application, many=True, choices={"status__in": [
            Application.Status.SUBMITTED, Application.Status.PENDING_DECISION, Application.Status.PENDING_RATIFICATION]})
        effects.subject_register(effects.EXPEL_MEMBER, Member, choices={"status__in": [
            s for s in Member.Status.values if s not in Member.ENDED_STATUSES]})
        effects.subject_register(effects.SANCTION_MEMBER, Member, choices={"status__in": [
            s for s in Member.Status.values if s not in Member.ENDED_STATUSES]})
        effects.register(effects.ADMIT_MEMBER, services.admit_member_on_motion)
        effects.register(effects.EXPEL_MEMBER, services.expel_member_on_motion)
        # A briefing sent to the member units reaches their liaisons by e-mail and their accounts (seed 003).
        audiences.members_register(alliances_read_by=selectors.briefing_reader_alliances,
                                   emails_of=selectors.briefing_recipient_emails)
        # A failed admission vote returns its applications to review; only the bodies the charter names decide.
        effects.failed_register(effects.ADMIT_MEMBER, services.admission_failed_on_motion)
        effects.deciders_register(effects.ADMIT_MEMBER, services.admission_deciders)
        effects.deciders_register(effects.EXPEL_MEMBER, services.sanction_deciders)
        effects.deciders_register(effects.SANCTION_MEMBER, services.sanction_deciders)
        # 001 art. 22 (二): a sanction's suspended vote and candidacy hold on its representatives' seats.
        effects.seat_rights_register(selectors.seat_rights_suspended)
        # The secretariat's workbench: the applications to review (000 art. 6), those the council ratifies and the
        # members leaving (000 art. 9); the charts of the members and applications.
        workbench.count_register(gettext_lazy("待审核申请"), Application, order=10,
                                 filters=lambda today: {"status": Application.Status.SUBMITTED})
        workbench.count_register(gettext_lazy("待理事会审议"), Application, order=20,
                                 filters=lambda today: {"status": Application.Status.PENDING_RATIFICATION})
        workbench.count_register(gettext_lazy("退会申请"), Member, order=30,
                                 filters=lambda today: {"status": Member.Status.WITHDRAWAL_REQUESTED})
        workbench.chart_register(gettext_lazy("成员类型"), series=[gettext_lazy("成员数")], rows=selectors.members_by_kind, order=10)
        workbench.chart_register(gettext_lazy("成员所在省份"), series=[gettext_lazy("成员数")], rows=selectors.members_by_province, order=20)
        workbench.chart_register(gettext_lazy("入会年度"), series=[gettext_lazy("成员数")], rows=selectors.members_by_admission_year, order=30)
        workbench.chart_register(gettext_lazy("本年度入会申请"), series=list(selectors.APPLICATION_OUTCOMES),
                                 rows=selectors.applications_by_month, order=40)
