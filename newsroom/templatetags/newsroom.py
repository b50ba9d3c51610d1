from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """{% csrf_token %}, except on pages shared by every anonymous reader.

    A token in a cached page or part of one (a ``shared_page`` context, see
    comments.threads) would be someone else's; there the field stays empty
    and site.js fetches the reader's own token before the form is sent.
    """
    if context.get("shared_page") or getattr(context.get("request"), "shared_page", False):
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="" data-csrf="{}">',
            reverse("csrf"),
        )
    return CsrfTokenNode().render(context)


@register.filter
def isotime(value) -> str:
    """A time for <time datetime> and meta tags: local, to the second (HTML allows no µs)."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
