from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, desk_time

from .models import default_breaking_end

# The value of <input type="datetime-local">: the site's time zone (KST), to the minute.
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
# The stories offered for a slot or a banner: the latest published and scheduled ones.
CHOICES = 150


class ArticleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, article):
        when = desk_time(article.published_at) if article.published_at else ""
        # Scheduled and embargoed stories may be pinned ahead; they show when public.
        state = article.section.name if article.is_published else _("scheduled")
        return f"{article.title} — {state} · {when}"


def pickable_articles(*, public_now: bool = False):
    """Published stories and those scheduled to be (or only what readers can read now),
    newest first."""
    stories = (
        Article.objects.published()
        if public_now
        else Article.objects.filter(status=Article.Status.PUBLISHED)
    )
    ids = list(stories.order_by("-published_at").values_list("pk", flat=True)[:CHOICES])
    return Article.objects.filter(pk__in=ids).select_related("section").order_by("-published_at")


def local_time_field(label, *, required: bool, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT),
        error_messages={
            "required": _("Pick a date and time."),
            "invalid": _("Enter a date and time, such as 2026-12-02 09:00."),
        },
    )


class EndsInFuture:
    def clean_ends_at(self):
        ends_at = self.cleaned_data["ends_at"]
        if ends_at is not None and ends_at <= timezone.now():
            raise ValidationError(
                _("%(time)s has passed: pick a time in the future."),
                params={"time": desk_time(ends_at)},
            )
        return ends_at


class PinForm(EndsInFuture, forms.Form):
    article = ArticleChoiceField(
        label=_("Article"),
        queryset=Article.objects.none(),
        empty_label=_("Choose a story"),
        error_messages={"required": _("Choose the story to pin.")},
    )
    slot = forms.ChoiceField(
        label=_("Place on the page"),
        choices=[("top", _("Top story")), ("last", _("Last headline slot"))],
        initial="top",
        widget=forms.RadioSelect,
    )
    ends_at = local_time_field(
        _("Pinned until (Korea time)"),
        required=False,
        help_text=_("Leave empty to keep it until you remove it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = pickable_articles()


class PinEndForm(EndsInFuture, forms.Form):
    ends_at = local_time_field(
        _("Pinned until (Korea time)"),
        required=False,
        help_text=_("Leave empty to keep it until you remove it."),
    )


class BreakingForm(EndsInFuture, forms.Form):
    article = ArticleChoiceField(
        label=_("Article"),
        queryset=Article.objects.none(),
        empty_label=_("Choose a story"),
        error_messages={"required": _("Choose the breaking story.")},
    )
    ends_at = local_time_field(
        _("Banner until (Korea time)"),
        required=True,
        help_text=_("One hour from now unless you change it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {
            "ends_at": timezone.localtime(default_breaking_end()).replace(second=0, microsecond=0),
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        # A banner says "now": never for a story readers cannot open yet (scheduled, embargoed).
        self.fields["article"].queryset = pickable_articles(public_now=True)


class BreakingEndForm(EndsInFuture, forms.Form):
    ends_at = local_time_field(_("Banner until (Korea time)"), required=True)


class OrderForm(forms.Form):
    order = forms.CharField(max_length=200)

    def clean_order(self):
        try:
            return [int(pk) for pk in self.cleaned_data["order"].split(",") if pk]
        except ValueError:
            raise ValidationError(_("The new order could not be read.")) from None
