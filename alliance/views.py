from django.utils.translation import gettext
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import DatabaseError, IntegrityError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views import defaults
from django.views.decorators.http import require_GET

from . import navigation, ratelimit, selectors, services
from .downloads import stored_file_response
from .celery import app as celery_app
from .forms import NoticePreferencesForm, ProfileForm, SignupForm
from .models import Alliance

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "alliance/home.html", {"alliances": selectors.alliance_list_public()})


def alliance_detail(request, slug):
    return render(request, "alliance/alliance_detail.html", {"alliance": selectors.alliance_get_public(slug=slug)})


@require_GET
def alliance_logo(request, slug):
    alliance = get_object_or_404(Alliance, slug=slug, is_public=True)
    # Typed by its stored name's extension (the admin's image field checked the picture when it was uploaded).
    return stored_file_response(alliance.logo, filename=alliance.logo.name.rsplit("/", 1)[-1])


def signup(request):
    if request.user.is_authenticated:
        return redirect("profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.within_limit(request, scope="signup", limit=settings.SIGNUP_LIMIT_PER_HOUR,
                                      window_seconds=3600):
            return render(request, "registration/signup_limited.html", status=429)
        try:
            services.user_register(
                email=form.cleaned_data["email"], name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except IntegrityError:
            pass  # the same address signed up a moment before (a double click): answered like any registered one
        # The same answer whether the address was new or registered (services.user_register).
        return redirect("signup_done")
    return render(request, "registration/signup.html", {"form": form})


def signup_done(request):
    return render(request, "registration/signup_done.html")


@never_cache
@require_GET
def email_verify(request, token):
    try:
        services.email_verify(token=token, actor=request.user)
    except ValidationError as exc:
        return render(request, "registration/email_verify_failed.html", {"reasons": exc.messages}, status=400)
    messages.success(request, _("电子邮箱已验证，现在可以提交入会申请了。"))
    if request.user.is_authenticated:
        return redirect("profile")
    return redirect_to_login(reverse("profile"))


@login_required
def email_verify_resend(request):
    if request.method == "POST":
        try:
            services.email_verification_resend(actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("验证邮件已发送至 %s，请查收。") % request.user.email)
        return redirect("email_verify_resend")
    return render(request, "registration/email_verify_resend.html")


def privacy(request):
    return render(request, "alliance/privacy.html", {"version": services.PRIVACY_NOTICE_VERSION})


@login_required
def profile(request):
    # Two forms on the page: the notice settings' button is named "notices".
    posted = request.POST if request.method == "POST" else None
    notices_posted = posted is not None and "notices" in posted
    form = ProfileForm(None if notices_posted else posted, instance=request.user)
    notices_form = NoticePreferencesForm(posted if notices_posted else None, user=request.user)
    if notices_posted and notices_form.is_valid():
        services.notice_preferences_update(actor=request.user, user=request.user, enabled=notices_form.enabled)
        messages.success(request, gettext("通知设置已保存。"))
        return redirect("profile")
    if posted is not None and not notices_posted and form.is_valid():
        services.profile_update(actor=request.user, user=request.user, **form.cleaned_data)
        messages.success(request, gettext("个人资料已保存。"))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form, "notices_form": notices_form})


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def _broker_ok():
    # Any failure is "down", not a 500: a refused connection, a timeout, or a transport that cannot even be
    # loaded (an install missing what kombu's Redis transport imports raised ModuleNotFoundError here).
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.warning("healthz: the broker is unreachable", exc_info=True)
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error", **{k: "ok" if v else "down" for k, v in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)


def bad_request(request, exception):
    """Django's 400 page, or the 413 page when the request's body was over the cap (RequestDataTooBig: over
    settings.REQUEST_MAX_BYTES, or fields other than files over DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    if isinstance(exception, RequestDataTooBig):
        page = loader.render_to_string("413.html", {"limit_mb": settings.REQUEST_MAX_BYTES // (1024 * 1024)})
        return HttpResponse(page, status=413)
    return defaults.bad_request(request, exception)


SEARCH_MAX_LENGTH = 50


@require_GET
def search(request):
    """One search over the public records the apps register (alliance/navigation.py), grouped by kind, each group
    paginated on its own (?members_page=2 keeps the other groups' pages)."""
    # Control characters (a NUL would make PostgreSQL refuse the query) are no part of a name.
    text = "".join(c for c in request.GET.get("q", "") if c.isprintable()).strip()[:SEARCH_MAX_LENGTH]
    groups = []
    if text:
        pages = {key.removesuffix("_page"): value for key, value in request.GET.items() if key.endswith("_page")}
        for source, page in navigation.search(text, pages):
            links = {}
            for name, has, number in (("previous", page.has_previous, page.previous_page_number),
                                      ("next", page.has_next, page.next_page_number)):
                if has():
                    query = request.GET.copy()
                    query[f"{source.key}_page"] = number()
                    links[name] = "?" + query.urlencode()
            groups.append({"source": source, "page": page, **links})
    return render(request, "alliance/search.html", {"q": text, "groups": groups})
