"""The product's URLs plus the bare view and the floors of bench/floors.py (bench settings only)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import include, path

from bench.models import FloorEntry


def bare(request):
    """The baseline: a Django view doing one query, served by the same gunicorn."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok")


@login_required
def floor_a(request):
    """Floor A: a signed-in GET that runs one query."""
    return HttpResponse(f"groups: {Group.objects.count()}")


class FloorForm(forms.ModelForm):
    class Meta:
        model = FloorEntry
        fields = ["name", "email", "count"]


@login_required
def floor_b(request):
    """Floor B: a signed-in POST that validates a 3-field form and inserts one row (the GET shows the form)."""
    form = FloorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(request.path)
    return render(request, "bench/floor_b.html", {"form": form})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/floor/a/", floor_a),
    path("bench/floor/b/", floor_b),
    path("", include("alliance.urls")),
]
