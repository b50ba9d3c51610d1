import hashlib

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode

from caching import versions
from caching.csrf import shared_token_field

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """{% csrf_token %}, except on pages shared by every anonymous reader.

    A token in a cached page or part of one (a ``shared_page`` context, see
    comments.threads) would be someone else's; there the field stays empty and the
    browser fetches the reader's own token before the form is sent (caching.csrf).
    """
    if context.get("shared_page") or getattr(context.get("request"), "shared_page", False):
        return shared_token_field()
    return CsrfTokenNode().render(context)


@register.tag
def cached_part(parser, token):
    """{% cached_part name value … [on version …] [unless flag] %}…{% endcached_part %}

    The part is cached for FRAGMENT_CACHE_SECONDS for each distinct set of values, and
    until one of the versions after ``on`` (names, such as "site") moves. ``unless flag``
    renders afresh when the flag is true (an editor sees their own edit).
    """
    name, *bits = token.split_contents()[1:]
    unless = None
    if len(bits) >= 2 and bits[-2] == "unless":
        unless = parser.compile_filter(bits.pop())
        bits.pop()
    names = []
    if "on" in bits:
        at = bits.index("on")
        bits, names = bits[:at], bits[at + 1 :]
    nodelist = parser.parse(("endcached_part",))
    parser.delete_first_token()
    compile_all = lambda values: [parser.compile_filter(value) for value in values]  # noqa: E731
    return CachedPartNode(nodelist, name, compile_all(bits), compile_all(names), unless)


class CachedPartNode(template.Node):
    def __init__(self, nodelist, name: str, values, names, unless):
        self.nodelist, self.name, self.values = nodelist, name, values
        self.names, self.unless = names, unless

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        values = ":".join(str(value.resolve(context)) for value in self.values)
        digest = hashlib.sha256(values.encode()).hexdigest()[:32]
        return versions.cached(
            f"part:{self.name}:{digest}",
            tuple(str(name.resolve(context)) for name in self.names),
            lambda: self.nodelist.render(context),
            settings.FRAGMENT_CACHE_SECONDS,
        )
