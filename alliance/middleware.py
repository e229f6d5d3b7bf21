import logging

from django.conf import settings
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
