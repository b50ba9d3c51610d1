"""One newsletter message for one subscriber: its own links, a plain-text and an HTML part."""

import email.policy
from email.utils import formataddr, parseaddr
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from outlet.models import SiteSettings

from . import links, services
from .models import Edition, Subscriber


class NewsletterMessage(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        # Folded at 78 characters, List-Unsubscribe's long signed addresses would be turned
        # into RFC 2047 encoded words, which no mail client reads as addresses: lines may be
        # up to 998 characters (RFC 5322), and these fit.
        return super().message(policy=policy.clone(max_line_length=998))


class EditionContent:
    """What an edition shows, worked out once for all its messages."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.site = SiteSettings.current()
        if edition.kind == Edition.Kind.DIGEST:
            self.articles = services.digest_articles(edition)
        else:
            self.articles = [edition.article] if edition.article else []

    def articles_for(self, subscriber: Subscriber, section_ids: set) -> list:
        if self.edition.kind == Edition.Kind.BREAKING:
            return self.articles
        return services.articles_for(subscriber, self.articles, section_ids)

    def context(self, subscriber: Subscriber, section_ids: set) -> dict:
        site_url = self.edition.site_url or settings.SITE_URL
        stories = [
            {
                "article": article,
                "url": urljoin(site_url, article.get_absolute_url()),
                "lead": article.lead,
            }
            for article in self.articles_for(subscriber, section_ids)
        ]
        sections = {}
        for story in stories:
            sections.setdefault(story["article"].section, []).append(story)
        return {
            "edition": self.edition,
            "outlet": self.site,
            "site_url": site_url,
            "sections": list(sections.items()),
            "stories": stories,
            "subscriber": subscriber,
            "unsubscribe_url": links.absolute(
                site_url, links.UNSUBSCRIBE, subscriber, edition_id=self.edition.pk
            ),
            "manage_url": links.absolute(site_url, links.MANAGE, subscriber),
        }

    def message(self, subscriber: Subscriber, section_ids: set) -> EmailMultiAlternatives:
        context = self.context(subscriber, section_ids)
        mailbox = settings.NEWSLETTER_UNSUBSCRIBE_MAILBOX
        token = links.make_token(links.UNSUBSCRIBE, subscriber, edition_id=self.edition.pk)
        headers = {
            # RFC 2369 and RFC 8058: mail clients offer "unsubscribe", and a POST to the
            # first address does it without the reader signing in or confirming.
            "List-Unsubscribe": (
                f"<{context['unsubscribe_url']}>, <mailto:{mailbox}?subject=unsubscribe%20{token}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
        }
        message = NewsletterMessage(
            subject=self.edition.subject,
            # From the outlet by name, at the site's sending address.
            from_email=formataddr((self.site.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
            body=render_to_string("newsletters/mail/edition.txt", context),
            to=[subscriber.email],
            headers=headers,
        )
        message.attach_alternative(
            render_to_string("newsletters/mail/edition.html", context), "text/html"
        )
        return message
