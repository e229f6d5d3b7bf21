from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "成员"

    def ready(self):
        from governance import effects

        from . import directory, services

        directory.connect_signals()

        # A passed motion admits its subject application (000 art. 11 (二)) or expels its subject member
        # (000 art. 10); the motion is the decision reference.
        effects.register(effects.ADMIT_MEMBER, services.admit_member_on_motion)
        effects.register(effects.EXPEL_MEMBER, services.expel_member_on_motion)
