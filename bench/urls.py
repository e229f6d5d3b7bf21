from django.db import connection
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """The baseline: a Django view doing one query, served by the same gunicorn."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("alliance.urls"))]
