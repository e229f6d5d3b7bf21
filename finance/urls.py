from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("invoices/", views.my_invoices, name="my_invoices"),
    path("receipts/<int:pk>/", views.receipt_download, name="receipt_download"),
]
