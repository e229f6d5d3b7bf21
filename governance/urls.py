from django.urls import path, re_path

from . import views

app_name = "governance"
urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/check-in/", views.meeting_check_in, name="meeting_check_in"),
    path("motions/<int:pk>/", views.motion_detail, name="motion_detail"),
    path("motions/<int:pk>/document.pdf", views.motion_document, name="motion_document"),
    path("motions/<int:pk>/vote/", views.motion_vote, name="motion_vote"),
    path("motions/<int:pk>/tie-break/", views.motion_tie_break, name="motion_tie_break"),
    re_path(r"^motions/(?P<pk>[0-9]+)/(?P<document>resolution|minutes)\.pdf$", views.result_pdf, name="result_pdf"),
    path("briefings/", views.briefing_list, name="briefing_list"),
    path("briefings/<int:pk>.pdf", views.briefing_pdf, name="briefing_pdf"),
    path("reports/<int:pk>.pdf", views.annual_report_pdf, name="annual_report_pdf"),
    path("agreements/<int:pk>/file", views.agreement_file, name="agreement_file"),
]
