"""Telling people from programs, and one visitor from another, without cookies or accounts."""

import hashlib
import re

from .ratelimit import client_ip

# User agents that announce themselves as programs rather than people.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|scrapy|scraper|curl|wget|python|httpclient|http-client|okhttp|java/|"
    r"libwww|perl|ruby|go-http|node-fetch|axios|headless|phantomjs|selenium|puppeteer|"
    r"playwright|lighthouse|pingdom|uptime|monitor|facebookexternalhit|preview",
    re.IGNORECASE,
)


def visitor_key(request) -> str | None:
    """A hash of the visitor's address and browser, or None when the visitor is a bot."""
    user_agent = request.headers.get("User-Agent", "")
    if not user_agent or BOT_USER_AGENT.search(user_agent):
        return None
    return hashlib.sha256(f"{client_ip(request)}\n{user_agent}".encode()).hexdigest()[:32]
