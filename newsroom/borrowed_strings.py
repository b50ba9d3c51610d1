"""Strings of Django and the third-party apps that our catalogue translates, named here so
that ``makemessages`` (which reads only our own code) keeps them.

Without this file, ``make messages`` marks these entries obsolete and ``compilemessages``
leaves them out: the desk would fall back to English (django-tasks and taggit ship no
Korean) or to Django's own wording. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

DJANGO_TASKS_DB = [
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
]

TAGGIT = [
    gettext_noop("Taggit"),
    gettext_noop("tag"),
    gettext_noop("tagged item"),
    gettext_noop("tagged items"),
    gettext_noop("content type"),
    gettext_noop("object ID"),
    gettext_noop("%(object)s tagged with %(tag)s"),
    gettext_noop("A comma-separated list of tags."),
    gettext_noop("Please provide a comma-separated list of tags."),
    pgettext_lazy("A tag name", "name"),
    pgettext_lazy("A tag slug", "slug"),
]

# Where our wording differs from Django's own Korean.
DJANGO = [
    gettext_noop("- Select an option -"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop(" By %(filter_title)s "),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects."),
    gettext_noop("No %s matches the given query."),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop('The app "%s" could not be found.'),
    gettext_noop("Logout"),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
]

# The data migrations name the staff groups in English; desk_language.group_str shows them
# in the reader's language.
STAFF_GROUPS = [
    pgettext_lazy("staff group", "Editors"),
    pgettext_lazy("staff group", "Reporters"),
    pgettext_lazy("staff group", "Moderators"),
    pgettext_lazy("staff group", "Ad staff"),
]
