from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = gettext_lazy("组织治理")

    def ready(self):
        from alliance import navigation, workbench
        from alliance.services import charter_change_check_register

        from . import effects, selectors
        from .models import AnnualReport, Briefing, Motion, Result, Seat
        from .services.charter import charter_set_before_votes, motion_charter_apply
        from .services.reports import motion_report_approve, report_deciders

        navigation.fact_register("has_seat", Seat.objects.all())
        navigation.link_register(selectors.nav_link, order=20)
        # 000 art. 11 (一): a removal ends one seat of the alliance's own bodies.
        effects.subject_register(Motion.Kind.REMOVE_OFFICER, Seat, alliance_path="body__alliance",
                                 choices={"end_date__isnull": True})
        # An amendment (000 art. 22, 001 arts. 13, 24) carries its values and acts on its alliance's own rules.
        effects.register(Motion.Kind.AMEND_CHARTER, motion_charter_apply)
        # 002 art. 7: the council approves the annual work report the secretariat drafted; passing files it.
        # A motion naming no report (an oral report heard) approves nothing on record.
        effects.subject_register(Motion.Kind.APPROVE_REPORT, AnnualReport, required=False,
                                 choices={"status": AnnualReport.Status.DRAFT})
        effects.deciders_register(Motion.Kind.APPROVE_REPORT, report_deciders)
        effects.register(Motion.Kind.APPROVE_REPORT, motion_report_approve)
        # Once the alliance has voted, its decision rules change only by an amendment.
        charter_change_check_register(charter_set_before_votes)
        # The secretariat's workbench: the motions in vote with their deadlines, the records not yet printed.
        workbench.count_register(gettext_lazy("表决中议案"), Motion, order=40, filters=lambda today: {"status": Motion.Status.OPEN},
                                 items=selectors.motions_with_deadlines)
        workbench.document_count_register(Result, status_field="pdf_status", order=60)
        workbench.document_count_register(AnnualReport, status_field="pdf_status", order=62,
                                          status=AnnualReport.Status.APPROVED)
        workbench.document_count_register(Briefing, status_field="pdf_status", order=61,
                                          status=Briefing.Status.PUBLISHED)
