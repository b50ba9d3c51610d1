"""gunicorn's settings for Newsroom, read from the project folder when gunicorn starts there.

gunicorn trusts X-Forwarded-Proto (and X-Forwarded-Ssl, X-Forwarded-Protocol) from any
local peer by default, so that anyone able to reach it on the machine could make a page
say https:// (and cached pages keep what one request made them). Trust nobody's unless
FORWARDED_ALLOW_IPS names the proxy; behind a TLS-terminating proxy Django reads
X-Forwarded-Proto itself (SECURE_PROXY_SSL_HEADER=1, docs/deploy.md).
"""

import gc
import os

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")


def post_worker_init(worker):
    """Once the worker has loaded Django and the site, freeze what is loaded: it lives as
    long as the worker, and the garbage collector's full passes need not walk it again and
    again while pages are made (about a tenth of an article's CPU rendered from nothing)."""
    gc.collect()
    gc.freeze()
