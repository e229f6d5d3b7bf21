from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "组织治理"

    def ready(self):
        from alliance.models import CharterRules
        from alliance.services import charter_change_check_register

        from . import effects
        from .models import Motion, Seat
        from .services.votes import charter_change_while_voting

        # 000 art. 11 (一): a removal ends one seat of the alliance's own bodies; an amendment of the charter
        # (art. 11 (六)) acts on the alliance's own charter rules.
        effects.subject_register(Motion.Kind.REMOVE_OFFICER, Seat, alliance_path="body__alliance",
                                 choices={"end_date__isnull": True})
        effects.subject_register(Motion.Kind.AMEND_CHARTER, CharterRules, required=False)
        # A vote counts by the rules frozen when it opened; the rules do not change while one is open.
        charter_change_check_register(charter_change_while_voting)
