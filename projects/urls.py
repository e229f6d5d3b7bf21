from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/new/<str:kind>/", views.application_new, name="application_new"),
    path("<int:pk>/contact/", views.contact_edit, name="contact"),
    path("<int:pk>/contact.pdf", views.contact_pdf, name="contact_pdf"),
    path("<int:pk>/contact/<str:province>.pdf", views.contact_pdf, name="contact_pdf_province"),
    path("<int:pk>/contact/scan", views.contact_scan, name="contact_scan"),
    path("<int:pk>/contact/<str:province>/scan", views.contact_scan, name="contact_scan_province"),
    path("<int:pk>/selection/", views.selection, name="selection"),
    path("<int:pk>/notices/new/", views.notice_publish, name="notice_publish"),
    path("<int:pk>/corrections/new/", views.selection_correct, name="selection_correct"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/delete/", views.application_delete, name="application_delete"),
    path("applications/<int:pk>/print.pdf", views.application_pdf, name="application_pdf"),
    path("applications/<int:pk>/scans/<str:field>", views.application_scan, name="application_scan"),
    path("awards/<int:pk>/evidence", views.award_evidence, name="award_evidence"),
    path("letters/<int:pk>.pdf", views.letter_pdf, name="letter_pdf"),
    path("pairings/<int:pk>/activities/", views.pairing_activities, name="pairing_activities"),
    path("activities/<int:pk>/confirm/", views.activity_confirm, name="activity_confirm"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review_score, name="review_score"),
    path("calls/<slug:slug>/", views.call_detail, name="call_detail"),
    path("calls/<slug:slug>/<str:form>.pdf", views.call_form_pdf, name="call_form_pdf"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/finalise/", views.notice_finalise, name="notice_finalise"),
]
