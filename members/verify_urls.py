"""The public verification page, mounted at /verify/ so the QR code's address is short."""

from django.urls import path

from . import views

urlpatterns = [path("<str:token>/", views.verify, name="verify")]
