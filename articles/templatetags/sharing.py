"""Sharing an article: plain links to the services Korean readers use, and the short address.

No service's script, SDK or tracking parameter is loaded: each share is an ordinary link the
reader follows. KakaoTalk offers no such link (its sharing needs the Kakao SDK and an app
key), so the 카카오톡 button opens the phone's own share sheet (the Web Share API), where
KakaoTalk is listed, and elsewhere copies the link to paste into a chat.
"""

from urllib.parse import quote, urlencode

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def short_address(request, article) -> str:
    """The address to share: /articles/<id>/, which redirects to the slug's (however long)."""
    return request.build_absolute_uri(article.get_short_url())


@register.simple_tag(takes_context=True)
def article_short_url(context, article) -> str:
    return short_address(context["request"], article)


def share_targets(*, url: str, title: str, host: str) -> list[tuple[str, str, str]]:
    """(key, name, link) for each service with a share link that needs no app key."""

    def query(**params) -> str:
        return urlencode(params, quote_via=quote)

    band_body = f"{title}\n{url}"  # BAND takes the text and the link as one body
    return [
        ("facebook", _("Facebook"), f"https://www.facebook.com/sharer/sharer.php?{query(u=url)}"),
        # route names the site the share comes from, as BAND's share page asks.
        ("band", _("BAND"), f"https://band.us/plugin/share?{query(body=band_body, route=host)}"),
        ("x", "X", f"https://x.com/intent/post?{query(text=title, url=url)}"),
    ]


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, article):
    request = context["request"]
    url = short_address(request, article)
    return {
        "article": article,
        "short_url": url,
        "targets": share_targets(url=url, title=article.title, host=request.get_host()),
    }
