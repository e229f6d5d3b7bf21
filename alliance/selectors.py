"""Reads on the root models for the public site."""

from django.db.models import F, Prefetch, Q
from django.shortcuts import get_object_or_404

from .models import Alliance, Announcement


def alliance_list_public():
    # Alliances first ("alliance" sorts after "agency"), then organising agencies.
    return Alliance.objects.filter(is_public=True).order_by(F("kind").desc(), "pk")


def alliance_get_public(*, slug):
    """An alliance with its rules, bodies with the seats in office, and published announcements.

    The bodies and seats are governance's models, reached through the relations governance declares (the root
    app imports no domain app).
    """
    Body = Alliance._meta.get_field("bodies").related_model
    Seat = Body._meta.get_field("seats").related_model
    bodies = Body.objects.prefetch_related(
        Prefetch("seats", queryset=Seat.objects.in_office().order_by("order", "pk"), to_attr="seats_in_office")
    )
    announcements = Announcement.objects.filter(is_published=True)
    return get_object_or_404(
        Alliance.objects.filter(is_public=True)
        .select_related("rules")
        .prefetch_related(
            Prefetch("bodies", queryset=bodies),
            Prefetch("announcements", queryset=announcements, to_attr="published_announcements"),
            # The guidance committee's interpretations of the charter, listed with it (001 art. 24).
            "charter_interpretations__motion",
        ),
        slug=slug,
    )


def alliance_search(text):
    """Public alliances whose name (Chinese or English) or summary contains the text."""
    return (Alliance.objects.filter(is_public=True)
            .filter(Q(name__icontains=text) | Q(name_en__icontains=text) | Q(summary__icontains=text))
            .only("pk", "slug", "name", "summary").order_by("name"))


def alliance_search_row(alliance):
    return alliance.name, alliance.get_absolute_url(), alliance.summary[:80]
