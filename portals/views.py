from django.conf import settings
from django.http import Http404, HttpResponse


def indexnow_key(request, key: str):
    """The key file IndexNow reads to check that pings for this host come from its owner."""
    if not settings.INDEXNOW_KEY or key != settings.INDEXNOW_KEY:
        raise Http404
    return HttpResponse(settings.INDEXNOW_KEY, content_type="text/plain; charset=utf-8")
