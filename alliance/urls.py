from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import OutboxPasswordResetForm

accounts = [
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("verify-email/resend/", views.email_verify_resend, name="email_verify_resend"),
    path("verify-email/<str:token>/", views.email_verify, name="email_verify"),
    path("profile/", views.profile, name="profile"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password-change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password-change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("search/", views.search, name="search"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include(accounts)),
    path("admin/", admin.site.urls),
    path("governance/", include("governance.urls")),
    path("projects/", include("projects.urls")),
    path("a/<slug:slug>/", views.alliance_detail, name="alliance_detail"),
    path("a/<slug:slug>/logo", views.alliance_logo, name="alliance_logo"),
    path("a/<slug:slug>/members/", include("members.directory_urls")),
    path("members/", include("members.urls")),
    path("verify/", include("members.verify_urls")),
    path("finance/", include("finance.urls")),
]

# A request over the body cap gets the 413 page; any other bad request Django's 400 page (templates/400.html).
handler400 = views.bad_request
