from .models import SiteSettings


def outlet(request):
    """The outlet's settings on every page, as ``outlet`` (auth views use ``site``)."""
    return {"outlet": SiteSettings.current()}
