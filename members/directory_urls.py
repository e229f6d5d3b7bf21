"""The public 成员名录 of an alliance, mounted at /a/<slug>/members/ next to the alliance page."""

from django.urls import path

from . import views

urlpatterns = [path("", views.member_directory, name="member_directory")]
