from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Placement
from .services import count_visit

# More ids than any slot shows at once are not from our pages.
MAX_IDS_PER_BEACON = 20


@require_GET
@never_cache
def click(request, pk: int):
    """Count a click on a live banner and go to its stored address, and nowhere else."""
    placement = get_object_or_404(Placement.objects.live().banners(), pk=pk)
    count_visit(request=request, placement_ids=[placement.pk], kind="clicks")
    return HttpResponseRedirect(placement.target_url)


# A beacon carries no authority derived from cookies: it can only add one to the
# counters of placements that are live, once per visitor and window. Browsers send
# it with navigator.sendBeacon, which cannot carry a CSRF token.
@csrf_exempt
@require_POST
@never_cache
def impressions(request):
    """Count the placements a visitor's browser reports as scrolled into view."""
    ids = {
        int(value)
        for value in request.POST.getlist("placement")[:MAX_IDS_PER_BEACON]
        if value.isascii() and value.isdigit() and len(value) <= 18
    }
    # No query here: one beacon per page view. Ids that are not live are dropped when the
    # batch is written (ads.services._write_impressions).
    count_visit(request=request, placement_ids=sorted(ids), kind="impressions")
    return HttpResponse(status=204)


@require_GET
@never_cache
@xframe_options_sameorigin
def frame(request, pk: int):
    """A live ad-network tag in a document of its own, for a sandboxed <iframe>."""
    placement = get_object_or_404(
        Placement.objects.live().network_tags().select_related("advertiser"), pk=pk
    )
    # Rendered without the request: the frame needs none of the site's context processors.
    response = HttpResponse(render_to_string("ads/placement_frame.html", {"placement": placement}))
    # What @csp_override sets, built per request: the network hosts come from settings.
    response._csp_config = frame_policy()
    return response


def frame_policy() -> dict:
    """Scripts, images, frames and connections from the ad networks only, plus inline script."""
    hosts = settings.AD_NETWORK_HOSTS
    return {
        "default-src": [CSP.NONE],
        "script-src": [CSP.UNSAFE_INLINE, *hosts],
        "img-src": hosts or [CSP.NONE],
        "frame-src": hosts or [CSP.NONE],
        "connect-src": hosts or [CSP.NONE],
        "style-src": [CSP.UNSAFE_INLINE],
        "base-uri": [CSP.NONE],
        "form-action": [CSP.NONE],
        "frame-ancestors": [CSP.SELF],
    }
