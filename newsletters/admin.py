"""뉴스레터 in the admin: editions with their figures, the next digest, breaking editions,
and subscribers with their consent. Only those who may send (editors) see the send screens;
every send is a POST behind a page that says how many subscribers will get it."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.models import Article, Section
from web.admin import ReadOnlyAdmin

from . import services
from .mail import EditionContent
from .models import Edition, Subscriber

SEND_PERMISSION = "newsletters.send_edition"


class EditorNoteForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["editor_note"]
        widgets = {"editor_note": forms.Textarea(attrs={"rows": 4, "cols": 80})}


class BreakingForm(forms.Form):
    article = forms.ModelChoiceField(
        label=gettext_lazy("Story"),
        queryset=Article.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("Published stories of the last three days, newest first."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = services.breaking_candidates()


def figure(annotation: str, label):
    """A column showing one of the figures EditionQuerySet.with_counts() adds, sortable."""
    return admin.display(description=label, ordering=annotation)(
        lambda model_admin, edition: getattr(edition, annotation)
    )


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "sent_at",
        "targeted",
        "delivered",
        "failed",
        "bounced",
        "unsubscribes",
    ]
    list_filter = ["kind", "status"]
    fields = readonly_fields = [
        "kind",
        "status",
        "subject",
        "article",
        "editor_note",
        "issue_date",
        "covers_until",
        "sent_by",
        "sent_at",
        "targeted",
        "delivered",
        "failed",
        "bounced",
        "unsubscribes",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts().select_related("article", "sent_by")

    targeted = figure("targeted", gettext_lazy("subscribers targeted"))
    delivered = figure("delivered", gettext_lazy("sent"))
    failed = figure("failed", gettext_lazy("failed"))
    bounced = figure("bounced", gettext_lazy("bounces"))
    unsubscribes = figure("unsubscribe_count", gettext_lazy("unsubscribes"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("next/", view(self.next_digest_view), name="newsletters_edition_next"),
            path("next/mail/", view(self.preview_mail_view), name="newsletters_edition_mail"),
            path("next/send/", view(self.send_digest_view), name="newsletters_edition_send"),
            path("breaking/", view(self.breaking_view), name="newsletters_edition_breaking"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_send": request.user.has_perm(SEND_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def _require_sender(self, request) -> None:
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied

    def _render(self, request, template, title, **context):
        return TemplateResponse(
            request,
            f"admin/newsletters/{template}.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },
        )

    def next_digest_view(self, request):
        self._require_sender(request)
        edition = services.next_digest()
        form = EditorNoteForm(request.POST or None, instance=edition)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(
                request, _("The editor's note is saved; it goes out with the next digest.")
            )
            return redirect("admin:newsletters_edition_next")
        since, until = services.digest_window(edition)
        articles = services.digest_articles(edition)
        targets = services.digest_recipients(articles)
        return self._render(
            request,
            "next_digest",
            _("Next daily digest"),
            edition=edition,
            form=form,
            since=since,
            until=until,
            sections=services.by_section(articles),
            article_count=len(articles),
            recipient_count=len(targets),
            whole_digest_count=sum(1 for s in targets if s.wants_digest),
            section_counts=services.section_subscriber_counts(),
            already_sent_today=services.digest_sent_today(),
        )

    def preview_mail_view(self, request):
        """The digest's HTML as a subscriber of everything, or of one section, would get it."""
        self._require_sender(request)
        edition = services.next_digest()
        sample = Subscriber(email=request.user.email or "subscriber@example.com", wants_digest=True)
        section_ids = set()
        if section_id := request.GET.get("section", ""):
            if not section_id.isdigit():
                raise Http404
            section = get_object_or_404(Section, pk=section_id)
            sample.wants_digest, section_ids = False, {section.pk}
        edition.site_url = request.build_absolute_uri("/")
        edition.subject = services.digest_subject(edition, services.today())
        sample.pk = 0
        message = EditionContent(edition).message(sample, section_ids)
        return HttpResponse(message.alternatives[0].content)

    def send_digest_view(self, request):
        self._require_sender(request)
        edition = services.next_digest()
        if request.method == "POST":
            try:
                count = services.send_edition(
                    edition=edition, by=request.user, site_url=request.build_absolute_uri("/")
                )
            except services.AlreadySent:
                messages.error(request, _("Today's digest has gone out already; nothing was sent."))
            else:
                messages.success(
                    request,
                    ngettext(
                        "The digest is being sent to %(count)d subscriber.",
                        "The digest is being sent to %(count)d subscribers.",
                        count,
                    )
                    % {"count": count},
                )
            return redirect("admin:newsletters_edition_changelist")
        articles = services.digest_articles(edition)
        return self._render(
            request,
            "confirm_send",
            _("Send the daily digest"),
            edition=edition,
            kind="digest",
            recipient_count=len(services.digest_recipients(articles)),
            article_count=len(articles),
            already_sent_today=services.digest_sent_today(),
        )

    def breaking_view(self, request):
        self._require_sender(request)
        form = BreakingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            article = form.cleaned_data["article"]
            if request.POST.get("confirmed") == "yes":
                try:
                    count = services.send_breaking(
                        article=article, by=request.user, site_url=request.build_absolute_uri("/")
                    )
                except services.AlreadySent:
                    messages.error(
                        request,
                        _("A breaking edition of this story went out already; nothing was sent."),
                    )
                else:
                    messages.success(
                        request,
                        ngettext(
                            "The breaking edition is being sent to %(count)d subscriber.",
                            "The breaking edition is being sent to %(count)d subscribers.",
                            count,
                        )
                        % {"count": count},
                    )
                return redirect("admin:newsletters_edition_changelist")
            return self._render(
                request,
                "confirm_send",
                _("Send a breaking-news edition"),
                kind="breaking",
                article=article,
                recipient_count=Subscriber.objects.confirmed().count(),
                already_sent=services.breaking_sent(article),
            )
        return self._render(request, "breaking", _("Send a breaking-news edition"), form=form)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "status",
        "wants_digest",
        "section_names",
        "created_at",
        "confirmed_at",
        "consent_version",
        "consented_at",
    ]
    list_filter = ["status", "wants_digest", "sections"]
    search_fields = ["email"]
    actions = ["mark_bounced"]
    fields = readonly_fields = [
        *list_display[:1],
        "user",
        *list_display[1:],
        "unsubscribed_at",
        "unsubscribed_from",
        "bounced_at",
        "bounce_reason",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sections")

    def has_add_permission(self, request):
        return False  # readers sign up themselves, and agree themselves

    @admin.display(description=gettext_lazy("sections"))
    def section_names(self, subscriber):
        return ", ".join(section.name for section in subscriber.sections.all())

    @admin.action(
        description=gettext_lazy("Mark as bounced (stop sending)"), permissions=["change"]
    )
    def mark_bounced(self, request, queryset):
        count = 0
        for subscriber in queryset.exclude(status=Subscriber.Status.BOUNCED):
            subscriber.mark_bounced(_("marked bounced by %(user)s") % {"user": request.user})
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d address marked bounced: nothing more is sent to it.",
                "%(count)d addresses marked bounced: nothing more is sent to them.",
                count,
            )
            % {"count": count},
        )
