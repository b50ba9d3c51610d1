"""The compliance check an editor meets before publishing: what would get an article
sanctioned by the portals' partnership rules (docs/portals.md lists the rules and their
thresholds, which are settings). Each check reads the article as it is about to go out
and gives findings in the desk's language; nothing here changes the article."""

import html
import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from articles.models import Article, Origin, PortalCategory

from .models import ComplianceWarning

Kind = ComplianceWarning.Kind

# Korean particles a headline word may carry ("로봇이", "로봇을"): the keyword is the stem.
PARTICLES = re.compile(r"(은|는|이|가|을|를|의|에|에서|으로|로|와|과|도|만|까지)$")
WORD = re.compile(r"[\w]+")
PHONE = re.compile(r"(?<!\d)(0\d{1,2}[-.)\s]\d{3,4}[-.\s]\d{4}|1[5-9]\d{2}-\d{4})(?!\d)")
WEB_ADDRESS = re.compile(
    r"(https?://\S+|www\.[\w-]+\.\S+|[\w-]+\.(?:co\.kr|com|kr|net|shop)\b)", re.IGNORECASE
)
# "(주)한빛로봇", "㈜한빛로봇", "한빛로봇(주)", "주식회사 한빛로봇".
COMPANY = re.compile(
    r"(?:\(주\)|㈜|주식회사)\s*([가-힣A-Za-z0-9]{2,})|([가-힣A-Za-z0-9]{2,})\s*(?:\(주\)|㈜)"
)
PRESS_RELEASE_SIGNS = ("보도자료", "제공", "배포", "자료=")
WIRE_SIGNS = ("연합뉴스", "뉴시스", "뉴스1", "=연합", "AP통신", "로이터", "AFP")
# A headline of this many or more short items between commas, slashes or middle dots is a
# keyword list.
KEYWORD_LIST_ITEMS = 5


@dataclass(frozen=True)
class Finding:
    kind: str
    detail: str

    @property
    def label(self) -> str:
        return Kind(self.kind).label


def plain_text(body: str) -> str:
    return " ".join(html.unescape(strip_tags(body)).split())


def shingles(text: str, size: int = 3) -> set[str]:
    """The text's character n-grams, spaces and punctuation left out: a story re-sent with
    its lines moved, or a few words changed, keeps most of them."""
    letters = "".join(WORD.findall(text.lower()))
    return {letters[i : i + size] for i in range(max(len(letters) - size + 1, 1))}


def similarity(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two shingle sets (1: the same text)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def check(article: Article, *, now=None) -> list[Finding]:
    """Everything the portals could sanction ``article`` for, as it stands now."""
    now = now or timezone.now()
    text = plain_text(article.body)
    return [
        *duplicates(article, text, now),
        *headline(article.title),
        *advertisement(text),
        *rewrite(article, text),
        *origin_and_category(article, text),
    ]


def duplicates(article: Article, text: str, now) -> list[Finding]:
    """Re-sending (중복·반복 전송): an article much like one published in the last days."""
    own = shingles(f"{article.title} {text}")
    since = now - timedelta(days=settings.PORTAL_DUPLICATE_DAYS)
    recent = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .exclude(pk=article.pk)
        .only("pk", "title", "body", "published_at")
    )
    found = []
    for other in recent:
        score = similarity(own, shingles(f"{other.title} {plain_text(other.body)}"))
        if score >= settings.PORTAL_DUPLICATE_SIMILARITY:
            found.append(
                Finding(
                    Kind.DUPLICATE,
                    _(
                        "%(percent)d%% the same as “%(title)s” (no. %(pk)d), published at "
                        "%(time)s: the portals sanction sending an article again."
                    )
                    % {
                        "percent": round(score * 100),
                        "title": other.title,
                        "pk": other.pk,
                        "time": timezone.localtime(other.published_at).strftime("%Y-%m-%d %H:%M"),
                    },
                )
            )
    return found


def headline(title: str) -> list[Finding]:
    """Keyword stuffing (키워드 반복): a word three times over, or a list of keywords."""
    stems = Counter(PARTICLES.sub("", word) for word in WORD.findall(title))
    repeated = sorted(
        stem
        for stem, count in stems.items()
        if len(stem) >= 2 and count >= settings.PORTAL_HEADLINE_REPEATS
    )
    found = [
        Finding(
            Kind.HEADLINE,
            _("“%(word)s” appears %(count)d times in the headline.")
            % {"word": stem, "count": stems[stem]},
        )
        for stem in repeated
    ]
    items = [item for item in re.split(r"[,/·|]", title) if item.strip()]
    if len(items) >= KEYWORD_LIST_ITEMS:
        found.append(
            Finding(
                Kind.HEADLINE,
                _("The headline is a list of %(count)d keywords.") % {"count": len(items)},
            )
        )
    return found


def advertisement(text: str) -> list[Finding]:
    """An advertisement written as an article (기사로 위장한 광고): telephone numbers,
    web addresses, one company's name over and over."""
    signs = []
    if phones := sorted(set(PHONE.findall(text))):
        signs.append(_("telephone numbers: %(list)s") % {"list": ", ".join(phones)})
    if addresses := sorted(set(WEB_ADDRESS.findall(text))):
        signs.append(_("web addresses: %(list)s") % {"list": ", ".join(addresses[:5])})
    names = {PARTICLES.sub("", a or b) for a, b in COMPANY.findall(text)}
    for name in sorted(names):
        count = text.count(name)
        if count >= settings.PORTAL_AD_NAME_REPEATS:
            signs.append(_("“%(name)s” named %(count)d times") % {"name": name, "count": count})
    if not signs:
        return []
    return [
        Finding(
            Kind.ADVERTISEMENT,
            _("The text has %(signs)s.") % {"signs": "; ".join(signs)},
        )
    ]


def last_public_revision(article: Article):
    """The latest revision saved while the article was public, or None."""
    if article.pk is None:
        return None
    return (
        article.history.filter(status=Article.Status.PUBLISHED, published_at__lte=F("history_date"))
        .filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=F("history_date")))
        .order_by("-history_date", "-history_id")
        .first()
    )


def rewrite(article: Article, text: str) -> list[Finding]:
    """A published article rewritten into another story under the same address (기사
    내용을 바꿔 같은 주소로 재전송)."""
    revision = last_public_revision(article)
    if revision is None:
        return []
    before = shingles(f"{revision.title} {plain_text(revision.body)}")
    changed = 1 - similarity(before, shingles(f"{article.title} {text}"))
    if changed <= settings.PORTAL_REWRITE_SHARE:
        return []
    return [
        Finding(
            Kind.REWRITE,
            _(
                "About %(percent)d%% of the text differs from what readers saw at %(time)s "
                "(“%(title)s”): publish a new story at a new address instead."
            )
            % {
                "percent": round(changed * 100),
                "time": timezone.localtime(revision.history_date).strftime("%Y-%m-%d %H:%M"),
                "title": revision.title,
            },
        )
    ]


def origin_and_category(article: Article, text: str) -> list[Finding]:
    """An origin the text does not bear out, and a category off the section's."""
    found = []
    if article.origin == Origin.PRESS_RELEASE and not any(s in text for s in PRESS_RELEASE_SIGNS):
        found.append(
            Finding(
                Kind.ORIGIN,
                _(
                    "Marked as a press release, but the text names no source of one "
                    "(“보도자료”, “제공”…): if it is own reporting, say so."
                ),
            )
        )
    wire = [sign for sign in WIRE_SIGNS if sign in f"{article.title} {text}"]
    if article.origin == Origin.OWN and wire:
        found.append(
            Finding(
                Kind.ORIGIN,
                _(
                    "Marked as own reporting, but the text names a news agency (%(names)s): "
                    "the portals count wire copy as wire."
                )
                % {"names": ", ".join(wire)},
            )
        )
    category = article.portal_category or article.section.portal_category
    if article.origin == Origin.CONTRIBUTION and category != PortalCategory.OPINION:
        found.append(
            Finding(
                Kind.CATEGORY,
                _("A contribution is filed under “%(category)s”, not “%(opinion)s”.")
                % {
                    "category": PortalCategory(category).label,
                    "opinion": PortalCategory.OPINION.label,
                },
            )
        )
    elif category != article.section.portal_category and not (
        category == PortalCategory.OPINION and article.origin == Origin.CONTRIBUTION
    ):
        found.append(
            Finding(
                Kind.CATEGORY,
                _(
                    "Filed under “%(category)s”, but its section “%(section)s” goes under "
                    "“%(default)s”: check that the portal category is right."
                )
                % {
                    "category": PortalCategory(category).label,
                    "section": article.section.name,
                    "default": PortalCategory(article.section.portal_category).label,
                },
            )
        )
    return found


def record(*, article: Article, findings: list[Finding], user, step: str, went_ahead: bool):
    """Keep what the editor was warned of and what they did. Warnings shown again before
    a decision are kept once."""
    for finding in findings:
        warning, _created = ComplianceWarning.objects.get_or_create(
            article=article,
            kind=finding.kind,
            detail=finding.detail,
            user=user,
            step=step,
            went_ahead=False,
        )
        if went_ahead:
            warning.went_ahead = True
            warning.save(update_fields=["went_ahead"])
