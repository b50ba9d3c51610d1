"""One seeder for the demo, the soak and the benchmark (demo/seeding.py)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db.models import Count, Q
from django.utils import timezone

import bench.seed
from accounts.models import User
from articles.models import Article, Notification
from comments.models import Comment, CommentBan, CommentReport
from demo.management.commands import seed_demo
from demo.seeding import DEMO_ARTICLES, seed
from demo.stories import demo_stories
from outlet.models import SiteSettings

pytestmark = pytest.mark.django_db

# Tables the seeder writes, counted row by row.
SEEDED = [
    "accounts.User", "ads.AdSlot", "ads.AdStat", "ads.Advertiser", "ads.Placement",
    "articles.Article", "articles.DailyViews", "articles.Photo", "articles.Section",
    "comments.Comment", "comments.CommentReport", "comments.CommentVote",
    "reporters.Reporter", "taggit.Tag", "taggit.TaggedItem",
]  # fmt: skip


def rows() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in SEEDED}


def articles() -> list[tuple]:
    fields = ("pk", "title", "slug", "body", "status", "published_at", "updated_at")
    return list(Article.objects.order_by("pk").values_list(*fields))


def test_seeding_twice_changes_nothing():
    seed(articles=DEMO_ARTICLES)
    before, texts = rows(), articles()

    tally = seed(articles=DEMO_ARTICLES)

    assert +tally == {}
    assert rows() == before
    assert articles() == texts


def test_edits_made_in_the_admin_survive_the_next_run():
    seed(articles=DEMO_ARTICLES)
    article = Article.objects.published().first()
    article.title = "데스크가 고친 제목"
    article.save()
    site = SiteSettings.current()
    site.name = "우리 신문"
    site.save()
    editor = User.objects.get(username="editor")
    editor.set_password("a-password-of-my-own-2026")
    editor.save()

    seed(articles=DEMO_ARTICLES)

    article.refresh_from_db()
    assert article.title == "데스크가 고친 제목"
    assert SiteSettings.current().name == "우리 신문"
    assert authenticate(username="editor", password="a-password-of-my-own-2026")


def test_the_demo_is_the_demo_stories_and_its_accounts_sign_in():
    seed(articles=DEMO_ARTICLES)

    published = Article.objects.published().order_by("pk")
    assert [a.title for a in published] == [story.title for story in demo_stories()]
    # scheduled, embargoed, drafts, in review, returned, withdrawn
    assert Article.objects.exclude(pk__in=published).count() == 9
    for username in ("editor", "reporter", "reader", "moderator", "adstaff"):
        assert authenticate(username=username, password=f"newsroom-{username}-2026")


def test_the_demo_has_reported_comments_some_still_open():
    seed(articles=DEMO_ARTICLES)

    reported = Comment.objects.annotate(
        open_reports=Count("reports", filter=Q(reports__resolved=False))
    ).filter(reports__isnull=False)
    assert reported.filter(open_reports__gt=0).count() >= 2
    assert CommentReport.objects.filter(resolved=True).exists()
    assert {"spam", "abuse", "privacy", "false"} <= set(
        CommentReport.objects.values_list("reason", flat=True)
    )
    hidden_by_readers = reported.filter(status=Comment.Status.HIDDEN, open_reports__gte=5)
    assert hidden_by_readers.exists()  # enough reports hid it; a moderator still decides


def test_the_demo_has_a_reader_barred_for_a_week_and_bans_that_ended():
    seed(articles=DEMO_ARTICLES)

    [active] = CommentBan.objects.active()
    assert active.user.username == "angry_reader" and active.reason == "abuse"
    assert timedelta(days=6) < active.expires_at - timezone.now() <= timedelta(days=7)
    assert CommentBan.objects.filter(expires_at__lt=timezone.now()).exists()
    assert CommentBan.objects.filter(lifted_at__isnull=False).exists()


def test_comment_counts_are_the_visible_comments():
    seed(articles=DEMO_ARTICLES + 30, comments_per_article=5)

    for article in Article.objects.all():
        assert article.comment_count == article.comments.filter(status="visible").count()


def test_a_larger_size_tops_the_demo_up_with_an_older_archive():
    seed(articles=DEMO_ARTICLES)
    demo = articles()

    tally = seed(articles=DEMO_ARTICLES + 30, readers=12, comments_per_article=5, banners=3)

    assert articles()[: len(demo)] == demo
    assert tally["articles"] == 30
    assert Article.objects.published().count() == DEMO_ARTICLES + 30
    oldest_demo = min(published_at for *_, published_at, _updated in demo if published_at)
    archive = Article.objects.filter(pk__gt=demo[-1][0])
    assert all(a.published_at < oldest_demo for a in archive)
    assert archive.filter(comments__isnull=False).distinct().count() > 20
    assert User.objects.filter(username__regex=r"^reader\d{4}$").count() == 12
    assert tally["placements"] == 3


def test_the_demo_and_the_benchmark_seed_with_one_function_at_two_sizes(monkeypatch):
    """make run, make bench and make soak (through bench.seed) share the seeder; only the
    numbers differ."""
    assert seed_demo.seed is bench.seed.seed is seed
    calls = []
    monkeypatch.setattr(seed_demo, "seed", lambda **size: calls.append(size) or {})
    monkeypatch.setattr(bench.seed, "seed", lambda **size: calls.append(size) or {})
    monkeypatch.setattr(bench.seed, "analyze", lambda: None)

    seed_demo.Command().handle(address="http://127.0.0.1:8000/")
    bench.seed.main(["--articles", "10000"])

    demo_size, bench_size = calls
    assert demo_size == {"articles": DEMO_ARTICLES, "site_url": "http://127.0.0.1:8000/"}
    assert bench_size == {
        "articles": 10_000,
        "readers": 5000,
        "comments_per_article": 20,
        "banners": 100,
    }


def test_the_desk_has_stories_at_every_step_with_their_timelines():
    seed(articles=DEMO_ARTICLES)

    stages = set(Article.objects.values_list("status", flat=True))
    assert {"draft", "review", "returned", "withdrawn", "published"} <= stages
    returned = Article.objects.get(status="returned")
    assert returned.events.filter(action="return").exclude(note="").exists()
    assert returned.reporter.user.username == "reporter"  # the demo account's own story
    assert Notification.objects.filter(recipient__username="editor").exists()
