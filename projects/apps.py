from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = gettext_lazy("项目")

    def ready(self):
        from alliance import navigation, workbench

        from . import selectors
        from .models import Application, AppointmentLetter

        navigation.search_register("notices", gettext_lazy("公示"), find=selectors.notice_search, row=selectors.notice_search_row,
                                   order=30)

        # The secretariat's workbench: the printed forms and appointment letters not yet made.
        workbench.document_count_register(Application, status_field="pdf_status", order=63, status__in=[
            status for status in Application.Status.values if status != Application.Status.DRAFT])
        workbench.document_count_register(AppointmentLetter, status_field="status", order=64)
