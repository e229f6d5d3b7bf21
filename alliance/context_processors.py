"""What every page's template reads from the settings."""

from django.conf import settings


def site_footer(request):
    return {"site_operator": settings.SITE_OPERATOR, "site_icp": settings.SITE_ICP}
