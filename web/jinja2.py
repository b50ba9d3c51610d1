"""The Jinja2 environment, for the public pages' parts that repeat the most.

Django's template engine costs 20-40 µs for each variable, tag and filter it renders; a
comment thread is hundreds of them (a page of twenty comments took ~5 ms of CPU, a fifth
of an article rendered from nothing). Jinja2 compiles a template to Python and renders the
same thread in a fraction of that. Its templates live in templates/jinja2/ (a folder Django's
engine is never asked for) and are rendered into Django's pages by ``render_part``.

What they need of Django: its translations (``_``, ``pgettext``…, the same catalogue as
every other template), ``url(name, *args)`` for ``{% url %}``, and its ``date`` filter,
which shows a time in the reader's time zone as ``{{ value|date:"…" }}`` does.
Values are escaped as Django's templates escape them.
"""

from django.template.defaultfilters import date as django_date
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from jinja2 import Environment

from web.addresses import address_of
from web.templatetags.web import isotime


def render_part(template_name: str, context: dict) -> SafeString:
    """A part of a page Django renders, from templates/jinja2/ (a template tag's answer)."""
    html = get_template(template_name, using="jinja2").render(context)
    # Jinja2 escaped what it was given, as Django's templates do.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def date(value, format_name=None) -> str:
    """{{ value|date:"SHORT_DATETIME_FORMAT" }}, in the current time zone."""
    return django_date(template_localtime(value), format_name)


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # escaped always, whatever the settings say
    env = Environment(
        autoescape=True,
        # Every value escaped as Django escapes it (&quot;, not &#34;), so a reader's text
        # reads the same in every part of the page; Jinja2 leaves the escaped result as is.
        finalize=conditional_escape,
        extensions=["jinja2.ext.i18n"],
        # Django's templates end with the file's last newline; so do these.
        keep_trailing_newline=True,
        **options,
    )
    env.install_gettext_callables(
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.filters.update(date=date, isotime=isotime)
    env.globals["url"] = address_of  # {% url name arg %}, remembered for the process
    return env
