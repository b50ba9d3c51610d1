"""Fixed-window counters in the shared cache, so that limits hold across every worker and server."""

from django.conf import settings
from django.core.cache import caches


def client_ip(request) -> str:
    """The visitor's address, trusting X-Forwarded-For only from our own proxies."""
    if settings.NUM_PROXIES:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= settings.NUM_PROXIES and forwarded[-settings.NUM_PROXIES]:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def hit(key: str, *, limit: int, period: int) -> bool:
    """Count one attempt under ``key``; True while the window's count is within ``limit``."""
    key = f"ratelimit:{key}"
    shared = caches["shared"]
    shared.add(key, 0, timeout=period)
    try:
        count = shared.incr(key)
    except ValueError:  # the window expired between add() and incr()
        shared.set(key, 1, timeout=period)
        count = 1
    return count <= limit


def over_limit(key: str, *, limit: int) -> bool:
    """Whether ``key`` has been hit ``limit`` times in its window already; looking does not
    count as an attempt (for limits that count only failures, such as wrong passwords)."""
    return (caches["shared"].get(f"ratelimit:{key}") or 0) >= limit
