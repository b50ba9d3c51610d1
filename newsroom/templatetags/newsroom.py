import hashlib

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsroom import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """{% csrf_token %}, except on pages shared by every anonymous reader.

    A token in a cached page or part of one (a ``shared_page`` context, see
    comments.threads) would be someone else's; there the field stays empty
    and site.js fetches the reader's own token before the form is sent.
    """
    if context.get("shared_page") or getattr(context.get("request"), "shared_page", False):
        return shared_token_field()
    return CsrfTokenNode().render(context)


def shared_token_field() -> str:
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="" data-csrf="{}">',
        reverse("csrf"),
    )


def with_own_csrf_token(html: str, request) -> str:
    """Shared HTML for one reader: their own token in its forms, as {% csrf_token %} gives.

    Only the exact field form_token wrote can match: text that readers wrote is escaped.
    """
    own = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    # Both parts are HTML this module built; the rest was already safe.
    return mark_safe(html.replace(shared_token_field(), own))  # noqa: S308  # nosec B308 B703


@register.filter
def isotime(value) -> str:
    """A time for <time datetime> and meta tags: local, to the second (HTML allows no µs)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.tag
def cached_part(parser, token):
    """{% cached_part name value ... [unless flag] %}…{% endcached_part %}

    Django's {% cache %}, kept FRAGMENT_CACHE_SECONDS for each distinct set of values,
    except that the page holding it is cached no longer than the part's own age allows
    (newsroom.pagecache.versioned). Vary on the site version (read before the rows the
    part shows) for what articles show. ``unless flag`` renders afresh when the flag is
    true (an editor sees their own edit).
    """
    name, *values = token.split_contents()[1:]
    unless = None
    if len(values) >= 2 and values[-2] == "unless":  # {% cached_part … unless may_edit %}
        unless = parser.compile_filter(values.pop())
        values.pop()
    nodelist = parser.parse(("endcached_part",))
    parser.delete_first_token()
    return CachedPartNode(
        nodelist, name, [parser.compile_filter(value) for value in values], unless
    )


class CachedPartNode(template.Node):
    def __init__(self, nodelist, name: str, values, unless):
        self.nodelist, self.name, self.values, self.unless = nodelist, name, values, unless

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        values = ":".join(str(value.resolve(context)) for value in self.values)
        digest = hashlib.sha256(values.encode()).hexdigest()[:32]
        return pagecache.versioned(
            f"part:{self.name}:{digest}",
            (),
            lambda: self.nodelist.render(context),
            settings.FRAGMENT_CACHE_SECONDS,
        )
