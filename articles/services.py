from django.utils.translation import gettext as _

from mailqueue.tasks import send_mail_later
from outlet.models import SiteSettings

from .models import Article


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
