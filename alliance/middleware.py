import logging
import time

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the person picked another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language browser
    would see English first; the portal's people expect Chinese, with English a deliberate choice.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestSizeLimitMiddleware:
    """A request whose body, files included, is over settings.REQUEST_MAX_BYTES is refused before it is read.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts only the fields other than files, so without this a post of any
    size would be written to temporary files first. RequestDataTooBig is answered by the 413 page
    (alliance.views.bad_request), in the language the person chose (so this comes after ChosenLanguageMiddleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            raise RequestDataTooBig(f"Request body of {length} bytes is over REQUEST_MAX_BYTES.")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with the portal's own page, not a traceback.

    Connection errors (the server restarting, refusing or timing out) are temporary: the page asks the
    person to retry and says ``Retry-After``. Other errors still go to Django's 500 page (templates/500.html).
    The page is rendered without the request, so it needs neither the session nor the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        add_never_cache_headers(response)
        return response


class StaffSessionMiddleware:
    """Staff sessions end after a working day without activity (settings.STAFF_SESSION_IDLE_SECONDS).

    Staff hold the secretariat's powers, so a forgotten signed-in browser must not keep them for the two weeks
    other people's sessions last. The session's expiry slides with activity: it is saved again at most every
    few minutes (not on every request), each save moving the end a working day ahead.
    """

    REFRESH_SECONDS = 300

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            session = request.session
            now = int(time.time())
            if session.get_expiry_age() > settings.STAFF_SESSION_IDLE_SECONDS or \
                    now - session.get("_staff_seen", 0) >= self.REFRESH_SECONDS:
                session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
                session["_staff_seen"] = now
        return self.get_response(request)
