"""The newsroom's workflow on the article screens. ArticleAdmin inherits WorkflowAdminMixin
first: the step buttons on the change screen and the page that confirms each step, the
timeline, what waits for whom first in the list and in the menu, and bulk publishing and
withdrawing that list what they will do before they do it.

The state of an article changes only through the steps (articles.services): the change form
neither shows nor saves it, and each step's page checks on the server who asks.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from web.admin import ReadOnlyAdmin

from . import services
from .models import (
    BULK_PUBLISHABLE,
    EMBARGOED,
    SCHEDULED,
    WORKFLOW,
    Article,
    ArticleEvent,
    Notification,
    awaiting,
    desk_time,
)

Action = ArticleEvent.Action
Status = Article.Status

# The value of <input type="datetime-local">: the site's time zone, to the minute.
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class ConfirmForm(forms.Form):
    """A step that needs nothing but the person's confirmation."""


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the reporter"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What to change before the story can run. The reporter reads it on the article."
        ),
        error_messages={"required": _("Write what the reporter should change.")},
    )


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Publication time (Korea time)"),
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT),
        error_messages={
            "required": _("Pick the date and time to publish at."),
            "invalid": _("Enter a date and time, such as 2026-12-02 09:00."),
        },
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise ValidationError(
                _("%(time)s has passed: pick a time in the future."),
                params={"time": desk_time(at)},
            )
        return at


class EmbargoForm(ScheduleForm):
    """The time an embargo lifts: the story publishes itself then, and not a moment before."""

    at = forms.DateTimeField(
        label=_("Embargo lifts at (Korea time)"),
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT),
        help_text=_(
            "Until then the story appears nowhere on the site, in feeds, sitemaps or search, "
            "and only editors may open it."
        ),
        error_messages={
            "required": _("Pick the date and time the embargo lifts."),
            "invalid": _("Enter a date and time, such as 2026-12-02 09:00."),
        },
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Told to the reporter and kept in the article's timeline."),
    )


# Each step: the form its page asks for, and the service that takes it (the form's fields
# are the service's own arguments).
STEPS = {
    Action.SUBMIT: (ConfirmForm, services.submit_for_review),
    Action.RETURN: (ReturnForm, services.return_to_reporter),
    Action.PUBLISH: (ConfirmForm, services.publish),
    Action.SCHEDULE: (ScheduleForm, services.publish),
    Action.EMBARGO: (EmbargoForm, services.embargo),
    Action.WITHDRAW: (WithdrawForm, services.withdraw),
}
BUTTONS = {
    Action.SUBMIT: _("Submit for review…"),
    Action.RETURN: _("Return…"),
    Action.PUBLISH: _("Publish now…"),
    Action.SCHEDULE: _("Schedule…"),
    Action.EMBARGO: _("Schedule under embargo…"),
    Action.WITHDRAW: _("Withdraw…"),
}
# The steps that ask for a time, and the field of the change form's step buttons holding it.
TIMED = {Action.SCHEDULE: "workflow_at", Action.EMBARGO: "workflow_embargo_at"}
DONE = {
    Action.SUBMIT: _("“%(title)s” is submitted for review: the editors have been told."),
    Action.RETURN: _("“%(title)s” is returned to the reporter with your note."),
    Action.PUBLISH: _("“%(title)s” is published: readers see it now."),
    Action.SCHEDULE: _("“%(title)s” will be published at %(time)s (Korea time)."),
    Action.EMBARGO: _(
        "“%(title)s” is under embargo until %(time)s (Korea time): it publishes itself then."
    ),
    Action.WITHDRAW: _("“%(title)s” is withdrawn: it is not on the site."),
}


class WorkflowAdminMixin:
    """The workflow steps, timeline, waiting list and confirmed bulk actions of ArticleAdmin."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="articles_article_workflow",
            ),
            *super().get_urls(),
        ]

    # The step pages

    def workflow_view(self, request, object_id, action):
        """The page that says what a step will do and takes it once confirmed (POST)."""
        article = self.get_object(request, object_id)
        if article is None or action not in STEPS:
            raise Http404
        if not (
            article.may_take(action, request.user) and self.has_change_permission(request, article)
        ):
            raise PermissionDenied
        if not article.allows(action):
            return self._refused(request, article)
        form_class, take = STEPS[action]
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_valid():
                try:
                    event = take(
                        article=article,
                        by=request.user,
                        site_url=request.build_absolute_uri("/"),
                        **form.cleaned_data,
                    )
                except services.StepRefused as refused:
                    return self._refused(request, refused.article)
                self.message_user(request, self._done(event), messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(article))
        else:
            form = form_class(request.GET or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": BUTTONS[action].rstrip("…"),
            "article": article,
            "action": action,
            "form": form,
            # The time is chosen first, then stated for confirmation.
            "choosing_time": action in TIMED and not (form.is_bound and form.is_valid()),
            "unreviewed": article.status in (Status.DRAFT, Status.RETURNED),
            "change_url": self._change_url(article),
        }
        return TemplateResponse(request, "admin/articles/article/workflow_confirm.html", context)

    def _refused(self, request, article):
        self.message_user(
            request,
            _("“%(title)s” is now “%(stage)s”: that step cannot be taken any more.")
            % {"title": article.title, "stage": article.get_stage_display()},
            messages.ERROR,
        )
        return HttpResponseRedirect(self._change_url(article))

    @staticmethod
    def _done(event) -> str:
        params = {"title": event.article.title}
        if event.action in TIMED:
            params["time"] = desk_time(event.publish_at)
        return DONE[event.action] % params

    def _change_url(self, article) -> str:
        return reverse("admin:articles_article_change", args=[article.pk])

    # The change screen: buttons in the submit row (they save the form first, so nothing
    # typed is lost, then lead to the step's page), the state and timeline on top.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # A new article is the person's own draft until it is saved.
        article = obj or Article(reporter=getattr(request.user, "reporter", None))
        events = list(obj.events.select_related("actor")) if obj else []
        context["workflow"] = {
            "steps": [(action, BUTTONS[action]) for action in article.steps_for(request.user)],
            "events": events,
            "standing_note": standing_note(article, events),
            "earliest_time": timezone.localtime().strftime(LOCAL_INPUT_FORMAT),
        }
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is not None and not obj.is_published and not obj.may_see_unpublished(request.user):
            # No "view on site" button leading to a page this person may not open (an
            # embargoed story's reporter).
            response.context_data["has_absolute_url"] = False
        return response

    def response_add(self, request, obj, post_url_continue=None):
        if request.POST.get("_workflow") in STEPS:
            return self._to_step(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if request.POST.get("_workflow") in STEPS:
            return self._to_step(request, obj)
        return super().response_change(request, obj)

    def _to_step(self, request, article):
        action = request.POST["_workflow"]
        url = reverse("admin:articles_article_workflow", args=[article.pk, action])
        picked = request.POST.get(TIMED.get(action, ""))
        if picked:
            url += "?" + urlencode({"at": picked})
        self.message_user(request, _("Your changes are saved."), messages.SUCCESS)
        return HttpResponseRedirect(url)

    def save_model(self, request, obj, form, change):
        if change:
            # Only the steps change an article's state: a revision being restored brings
            # back its text, not the state it had then.
            obj.status, obj.published_at, obj.embargo_until = Article.objects.values_list(
                "status", "published_at", "embargo_until"
            ).get(pk=obj.pk)
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            # Opening the story is reading what one was told about it.
            Notification.objects.for_user(request.user).unread().filter(
                event__article_id=object_id
            ).update(read_at=timezone.now())
        return response

    # The list: what waits for this person comes first, one click away, and counted in
    # the menu.

    def get_ordering(self, request):
        waiting_first = Case(When(awaiting(request.user), then=Value(0)), default=Value(1))
        return [waiting_first.asc(), *(super().get_ordering(request) or Article._meta.ordering)]

    def changelist_view(self, request, extra_context=None):
        if self.may_publish(request):
            waiting, label = Status.REVIEW, _("Waiting for review")
        else:
            waiting, label = Status.RETURNED, _("Returned to you")
        extra_context = {
            **(extra_context or {}),
            "waiting": {
                "label": label,
                "count": Article.objects.waiting_for(request.user).count(),
                "query": "?" + urlencode({"status__exact": waiting}),
                "chosen": request.GET.get("status__exact") == waiting,
            },
        }
        return super().changelist_view(request, extra_context)

    def menu_badge(self, request) -> dict | None:
        """The count shown beside 기사 in the admin's menus (NewsroomAdminSite.get_app_list)."""
        count = Article.objects.waiting_for(request.user).count()
        if not count:
            return None
        if self.may_publish(request):
            label = ngettext(
                "%(count)d story waits for review", "%(count)d stories wait for review", count
            )
        else:
            label = ngettext(
                "%(count)d story returned to you", "%(count)d stories returned to you", count
            )
        return {"count": count, "label": label % {"count": count}}

    # Bulk actions: a page like Django's delete confirmation lists what will go live or come
    # down, and what is left as it is and why; nothing changes before 확인.

    @admin.action(description=_("Publish the selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        return self._bulk_step(request, queryset, Action.PUBLISH, BULK_PUBLISHABLE)

    @admin.action(description=_("Unpublish the selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        return self._bulk_step(
            request, queryset, Action.WITHDRAW, WORKFLOW[Action.WITHDRAW].starts_from
        )

    def _bulk_step(self, request, queryset, action, takes):
        chosen = list(queryset.select_related("reporter", "section"))
        going = [article for article in chosen if article.stage in takes]
        if request.POST.get("post") == "yes":
            return self._take_in_bulk(request, going, action)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Publish articles") if action == Action.PUBLISH else _("Withdraw articles"),
            "action": action,
            "action_name": request.POST["action"],
            "going": going,
            "left": left_as_they_are(action, [a for a in chosen if a not in going]),
        }
        return TemplateResponse(request, "admin/articles/article/bulk_confirm.html", context)

    def _take_in_bulk(self, request, going, action):
        _form, take = STEPS[action]
        taken = 0
        for article in going:
            try:
                take(article=article, by=request.user, site_url=request.build_absolute_uri("/"))
            except services.StepRefused:
                continue  # its state changed since the page was shown: left as it is now
            taken += 1
        if action == Action.PUBLISH:
            text = ngettext("%d article published.", "%d articles published.", taken)
        else:
            text = ngettext("%d article unpublished.", "%d articles unpublished.", taken)
        self.message_user(request, text % taken, messages.SUCCESS)
        return None


def standing_note(article, events):
    """The step whose note still stands: the return or withdrawal that put the story in its
    state, if a note came with it (the reporter reads it first)."""
    last = events[-1] if events else None
    if last and last.note and WORKFLOW[last.action].leads_to == article.status:
        return last
    return None


# Why bulk publishing leaves a story: the ones that need the desk's care first.
PUBLISH_LEAVES = [
    (
        Status.DRAFT,
        True,
        ngettext_lazy(
            "%(count)d article has not been reviewed (draft): it is not published. To "
            "publish it anyway, use “Publish now” on its own screen.",
            "%(count)d articles have not been reviewed (drafts): they are not published. To "
            "publish one anyway, use “Publish now” on its own screen.",
            "count",
        ),
    ),
    (
        Status.RETURNED,
        True,
        ngettext_lazy(
            "%(count)d article was returned to its reporter: it is published once it is "
            "submitted again.",
            "%(count)d articles were returned to their reporters: each is published once it "
            "is submitted again.",
            "count",
        ),
    ),
    (
        SCHEDULED,
        False,
        ngettext_lazy(
            "%(count)d article is scheduled: it goes live at its time, unchanged.",
            "%(count)d articles are scheduled: each goes live at its time, unchanged.",
            "count",
        ),
    ),
    (
        EMBARGOED,
        False,
        ngettext_lazy(
            "%(count)d article is under embargo: it goes live when the embargo lifts, unchanged.",
            "%(count)d articles are under embargo: each goes live when its embargo lifts, "
            "unchanged.",
            "count",
        ),
    ),
    (
        Status.PUBLISHED,
        False,
        ngettext_lazy(
            "%(count)d article is already published.",
            "%(count)d articles are already published.",
            "count",
        ),
    ),
]


def left_as_they_are(action, articles) -> list[tuple[str, bool, list]]:
    """The chosen articles a bulk step leaves as they are, in groups: why, whether the desk
    should take care (a story that skipped review or was sent back), and which."""
    if not articles:
        return []
    if action == Action.WITHDRAW:
        text = ngettext(
            "%(count)d article is not published: left as it is.",
            "%(count)d articles are not published: left as they are.",
            len(articles),
        )
        return [(text % {"count": len(articles)}, False, articles)]
    groups = []
    for stage, caution, reason in PUBLISH_LEAVES:
        at_stage = [article for article in articles if article.stage == stage]
        if at_stage:
            groups.append((reason % {"count": len(at_stage)}, caution, at_stage))
    return groups


def embargo_label(article) -> str:
    """An embargoed article's state in lists: the 엠바고 badge, the time it lifts (KST) and
    the time left."""
    return render_to_string("admin/articles/article/embargo_countdown.html", {"article": article})


class EmbargoFilter(admin.SimpleListFilter):
    """The list's filter for stories held back under an embargo that has not lifted."""

    title = _("embargo")
    parameter_name = "embargo"

    def lookups(self, request, model_admin):
        return [("yes", _("Under embargo"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.embargoed()
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Each staff member's own notifications, newest first; nobody sees another's. The steps
    write them; their recipient only reads them and marks them read."""

    list_display = ["received", "told", "read"]
    list_display_links = None
    actions = ["mark_read"]

    def get_queryset(self, request):
        return Notification.objects.for_user(request.user).select_related(
            "event__article", "event__actor"
        )

    def has_view_permission(self, request, obj=None):
        return (
            request.user.is_active
            and request.user.is_staff
            and (obj is None or obj.recipient_id == request.user.pk)
        )

    @admin.display(description=_("time"))
    def received(self, notification):
        return desk_time(notification.event.at)

    @admin.display(description=_("notification"))
    def told(self, notification):
        event = notification.event
        link = format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[event.article_id]),
            event.sentence(),
        )
        if not event.note:
            return link
        return format_html('{}<p class="workflow-note">{}</p>', link, event.note)

    @admin.display(description=_("status"))
    def read(self, notification):
        if notification.read_at:
            return _("Read")
        return format_html('<strong class="workflow-unread">{}</strong>', _("New"))

    @admin.action(description=_("Mark the selected notifications as read"))
    def mark_read(self, request, queryset):
        queryset.unread().update(read_at=timezone.now())

    def menu_badge(self, request) -> dict | None:
        count = Notification.objects.for_user(request.user).unread().count()
        if not count:
            return None
        label = ngettext("%(count)d unread notification", "%(count)d unread notifications", count)
        return {"count": count, "label": label % {"count": count}}
