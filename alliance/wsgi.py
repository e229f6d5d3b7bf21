import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
application = get_wsgi_application()
# Read once at start: Django raises ImproperlyConfigured for an empty key, so production without one never serves.
settings.SECRET_KEY  # noqa: B018
