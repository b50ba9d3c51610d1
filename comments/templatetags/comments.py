from functools import cache

from django import forms, template
from django.conf import settings
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..forms import CommentBodyField, CommentForm
from ..html import comment_text, comment_url
from ..models import COMMENT_MAX_LENGTH, CommentRules, is_moderator, shown_ban_for
from ..threads import render_thread

register = template.Library()


@register.inclusion_tag("comments/comment_box.html", takes_context=True)
def comment_box(context, article):
    """나도 한마디: the thread and the form under an article.

    What only some readers need is worked out when the template first asks for it: the
    rules only for a reader not logged in, the ban only for one who is (and only while the
    thread is open), the empty form only when its cached HTML is not at hand.
    """
    request = context["request"]
    user = request.user
    return {
        "request": request,
        "user": user,
        "article": article,
        "thread_html": render_thread(
            request=request,
            article=article,
            sort=request.GET.get("csort", ""),
            page_number=request.GET.get("cpage"),
        ),
        "form": once(lambda: CommentForm(user=user)),
        "allow_guests": once(lambda: CommentRules.current().allow_guest_comments),
        "ban": once(lambda: shown_ban_for(user)),
        "is_moderator": is_moderator(user),
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
    }


def once(compute):
    """A value for a template, computed the first time the template looks it up (templates
    call what they are given), then the same object on every later lookup."""
    return cache(compute)


register.filter("comment_text", comment_text)
register.filter("comment_url", comment_url)


# The widgets the comment form's small fields use; comment_input writes them as Django's
# own templates (django/forms/widgets/input.html, attrs.html) would, without the form
# renderer's template machinery, which cost more than the rest of the form.
PLAIN_INPUTS = (forms.TextInput, forms.PasswordInput, forms.HiddenInput)


@register.filter
def comment_input(field: BoundField) -> str:
    """{{ field }} for a plain <input> field: the same attributes, in the same order."""
    widget = field.field.widget
    if type(widget) not in PLAIN_INPUTS or widget.template_name != type(widget).template_name:
        return field.as_widget()
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    html = [format_html('<input type="{}" name="{}"', context["type"], context["name"])]
    if context["value"] is not None:
        html.append(format_html(' value="{}"', context["value"]))
    for name, value in context["attrs"].items():
        if value is True:
            html.append(format_html(" {}", name))
        elif value is not False:
            html.append(format_html(' {}="{}"', name, value))
    html.append(">")
    # Every part went through format_html, which escaped what it was given.
    return mark_safe("".join(html))  # noqa: S308  # nosec B308 B703


@register.filter
def comment_label(field: BoundField) -> str:
    """{{ field.label_tag }} for a field with an id (every field of the comment form)."""
    form, widget = field.form, field.field.widget
    if not field.auto_id or widget.attrs.get("id") or hasattr(form, "required_css_class"):
        return field.label_tag()
    label = field.label
    suffix = field.field.label_suffix if field.field.label_suffix is not None else form.label_suffix
    # label_tag's rule: no suffix after a label that ends in punctuation.
    if suffix and label and label[-1] not in _(":?.!"):
        label = format_html("{}{}", label, suffix)
    return format_html('<label for="{}">{}</label>', widget.id_for_label(field.auto_id), label)


@register.simple_tag
def comment_limit() -> int:
    return COMMENT_MAX_LENGTH


@register.filter
def comment_length(text: str) -> int:
    """The characters the server counts in a comment (\\r\\n is one, see COMMENT_MAX_LENGTH)."""
    return len(CommentBodyField().to_python(text))
