"""Every URL pattern of the site, read from the URLconf, keyed the way the matrix classifies it."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

ADMIN_PAGES = ("changelist", "add", "change", "delete", "history", "simple_history")


def walk(resolver=None, namespace="", route=""):
    """Yield (key, route) for every URL pattern, recursively through include()s and the admin."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern, ns, route + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            full = route + str(pattern.pattern)
            if pattern.name:
                yield namespace + pattern.name, full
            elif "(?P<url>.*)$" in full:
                yield "admin:catch_all", full
            else:
                yield f"(unnamed) {full}", full


def admin_model_keys():
    """The URL keys of every registered ModelAdmin's standard pages, and its old-style object redirect."""
    keys = {}
    for model, model_admin in admin.site._registry.items():
        app, name = model._meta.app_label, model._meta.model_name
        for page in ADMIN_PAGES:
            keys[f"admin:{app}_{name}_{page}"] = model_admin
        keys[f"(unnamed) admin/{app}/{name}/<path:object_id>/"] = model_admin
    return keys
