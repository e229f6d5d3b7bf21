from django.urls import path

from . import views, views_assessments as assess

app_name = "members"

urlpatterns = [
    path("apply/<slug:slug>/", views.apply_start, name="apply_start"),
    path("apply/<slug:slug>/<str:kind>/", views.application_create, name="application_create"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("m/<int:pk>/", views.member_detail, name="member_detail"),
    path("m/<int:pk>/withdraw/", views.member_withdrawal_request, name="member_withdrawal_request"),
    path("m/<int:pk>/liaison/", views.member_liaison, name="member_liaison"),
    path("certificates/<int:pk>/", views.certificate_download, name="certificate_download"),
    # The technical supporter's assessments (000 组织架构 1).
    path("assessments/", assess.assessment_list, name="assessment_list"),
    path("assessments/new/<slug:slug>/", assess.assessment_round_create, name="assessment_round_create"),
    path("assessments/<int:pk>/", assess.assessment_round, name="assessment_round"),
    path("assessments/<int:pk>/m/<int:member_pk>/", assess.assessment_enter, name="assessment_enter"),
    path("assessments/<int:pk>/export/", assess.assessment_export, name="assessment_export"),
    path("assessments/<int:pk>/summary/", assess.assessment_summary, name="assessment_summary"),
]
