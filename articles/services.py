from django.utils import timezone
from django.utils.translation import gettext as _

from mailqueue.tasks import send_mail_later
from outlet.models import SiteSettings

from .models import Article, ArticleAutosave
from .sanitize import sanitize_body


def email_article(*, article: Article, request, recipient: str, sender_name: str, message: str):
    """Queue a plain-text e-mail with the article's title, lead and link to one recipient.

    Raises mailqueue.tasks.MailNotQueued when the queue cannot take it.
    """
    site = SiteSettings.current()
    # The subject is ours, built from stored text; nothing the sender typed reaches a header.
    subject = " ".join(f"[{site.name}] {article.title}".split())
    lines = [
        _("%(name)s sent you an article from %(site)s.") % {"name": sender_name, "site": site.name},
        "",
    ]
    if message:
        lines += [message, ""]
    lines += [
        article.title,
        "",
        article.lead,
        "",
        request.build_absolute_uri(article.get_absolute_url()),
    ]
    send_mail_later(subject=subject, body="\n".join(lines), to=[recipient])


def autosave_article(*, user, article: Article | None, fields: dict) -> ArticleAutosave:
    """Keep what ``user`` has typed into ``article`` (None: a new one) so far, replacing
    their previous autosave of it. The article itself is not touched."""
    # The body goes back into the editor later: keep it to what a save would keep.
    fields = {**fields, "body": sanitize_body(fields.get("body", ""))}
    autosave, _created = ArticleAutosave.objects.update_or_create(
        user=user, article=article, defaults={"fields": fields, "saved_at": timezone.now()}
    )
    return autosave


def discard_autosave(*, user, article: Article | None) -> None:
    """Drop ``user``'s autosave of ``article`` (None: of a new one): saved or not wanted."""
    ArticleAutosave.objects.filter(user=user, article=article).delete()
