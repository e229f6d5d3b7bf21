"""What every page's template reads from the settings."""

from django.conf import settings


def site_footer(request):
    return {"site_operator": settings.SITE_OPERATOR, "site_icp": settings.SITE_ICP}


def navigation(request):
    """The role's links of the top navigation (alliance/navigation.py), read only when a page shows them."""
    from django.utils.functional import SimpleLazyObject

    from .navigation import links_for

    return {"nav_links": SimpleLazyObject(lambda: links_for(request.user))}
