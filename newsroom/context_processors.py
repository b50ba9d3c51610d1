from .models import SiteSettings


def site(request):
    """The outlet's settings on every page, as ``site``."""
    return {"site": SiteSettings.current()}
