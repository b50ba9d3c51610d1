"""The scale check (``make bench-scale``) at a tiny size on the test database: its seeding,
the pages it asks for, and its table. The timed runs need wrk, PostgreSQL and minutes."""

import json
import sys
from urllib.parse import unquote

import pytest
from django.db.models import Count

from articles.models import Article, Section
from bench import scale_check
from comments.models import Comment, CommentVote
from web.pagination import PAGE_SIZE

READERS = 30


@pytest.fixture
def seeded(db, tmp_path, monkeypatch):
    """A small site seeded as the scale check seeds it, and its targets and pages."""
    from bench import scale_pages, seed, targets
    from demo.seeding import DEMO_ARTICLES
    from demo.seeding import seed as demo_seed

    demo_seed(articles=DEMO_ARTICLES + 100, readers=READERS, comments_per_article=4)
    votes = seed.seed_votes()
    monkeypatch.setattr(sys, "argv", ["bench.targets", str(tmp_path)])
    targets.main()
    scale_pages.main([str(tmp_path)])
    return {
        "votes": votes,
        "targets": json.loads((tmp_path / "targets.json").read_text()),
        "pages": json.loads((tmp_path / "scale_pages.json").read_text()),
    }


def test_seeding_gives_a_few_big_threads_replies_removed_comments_and_a_vote_per_like(seeded):
    from bench.seed import seed_votes

    sizes = sorted(
        Comment.objects.values("article").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    assert sizes[-1] >= 5 * sizes[len(sizes) // 2]  # a hot story among quiet ones
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.exclude(status=Comment.Status.VISIBLE).exists()

    liked = Comment.objects.filter(likes__gt=0, user__isnull=False).annotate(n=Count("votes"))
    assert seeded["votes"] > 0
    assert CommentVote.objects.count() >= seeded["votes"]
    for comment in liked.filter(article__status="published")[:50]:
        if comment.votes.exists():
            assert comment.n == min(comment.likes, READERS)
    assert seed_votes() == 0  # topping up adds no second vote to a comment


def test_every_page_a_reader_hits_answers_and_its_queries_are_counted(seeded):
    pages = seeded["pages"]

    assert set(pages) >= {
        "home", "section", "section, deep page", "tag", "reporter", "article",
        "article, biggest threads", "comments ?cpage=2", "search (common word)",
        "corrections", "most-read feed", "RSS, all articles", "RSS, a section",
        "sitemap.xml", "articles' sitemap", "news sitemap", "article (logged in)",
        "my comments (logged in)",
    }  # fmt: skip
    for name, page in pages.items():
        assert page["status"] == 200, name
        assert page["queries"] > 0, name
        assert page["paths"], name
    biggest = max(
        Comment.objects.values("article").annotate(n=Count("pk")), key=lambda row: row["n"]
    )
    assert pages["article, biggest threads"]["paths"][0].startswith(
        f"/articles/{biggest['article']}/"
    )
    assert pages["comments ?cpage=2"]["url"].endswith("?cpage=2")
    # Page 50 or, in a smaller section, its last full page: the same number of articles.
    for path in pages["section, deep page"]["paths"]:
        url, page = path.split("?page=")
        section = Section.objects.get(slug=unquote(url.strip("/").rsplit("/", 1)[-1]))
        articles = Article.objects.published().in_section(section).count()
        assert int(page) == max(1, min(50, articles // PAGE_SIZE)), path
    # The logged-in pages are asked for as the readers with comments, each with a session.
    cookies = pages["my comments (logged in)"]["cookies"]
    sessions = {f"sessionid={key}" for key in seeded["targets"]["sessions"]}
    assert cookies and set(cookies) <= sessions
    assert not pages["article"]["cookies"]


def run(rps, p50, other=1.0):
    return {
        "rps": rps, "p50_ms": p50, "p99_ms": p50 * 3, "errors": 0, "cpu_other_pct": other,
        "requests": int(rps * 10),
    }  # fmt: skip


def test_the_table_marks_a_page_more_than_one_and_a_half_times_slower(tmp_path):
    small = {"home": run(100.0, 80.0), "sitemap.xml": run(50.0, 160.0, other=25.0)}
    big = {"home": run(90.0, 85.0), "sitemap.xml": run(10.0, 800.0)}
    pages = {name: {"url": f"/{name}", "paths": ["/a", "/b"]} for name in small}
    for results in (small, big):
        for result in results.values():
            result["queries"] = 3

    rows = scale_check.table(small, big, pages)
    text = scale_check.format_table(rows)

    assert rows["home"]["slowdown"] == 1.11
    assert not rows["home"]["over_limit"]
    assert rows["sitemap.xml"]["slowdown"] == 5.0  # p50 800 / 160, worse than 50 / 10 req/s
    assert rows["sitemap.xml"]["over_limit"]
    sitemap_line = next(line for line in text.splitlines() if line.startswith("sitemap.xml"))
    assert "5.00!" in sitemap_line and sitemap_line.endswith("*")  # noisy at 1k
    assert text.endswith("more than 1.5x slower at 10,000 articles: sitemap.xml")

    results = tmp_path / "results.json"
    results.write_text(json.dumps({"mode": "full", "compare": {"kept": True}}))
    scale_check.write_results({"pages": rows}, results)
    written = json.loads(results.read_text())
    assert written["compare"] == {"kept": True} and written["mode"] == "full"
    assert written["scale_check"]["pages"]["sitemap.xml"]["rps_10k"] == 10.0


def test_a_page_that_never_answered_at_ten_thousand_is_beyond_measure_not_fast():
    small, big = {"sitemap.xml": run(3.7, 3000.0)}, {"sitemap.xml": run(0.0, 0.0)}
    pages = {"sitemap.xml": {"url": "/sitemap.xml", "paths": ["/sitemap.xml"]}}

    rows = scale_check.table(small, big, pages)

    assert rows["sitemap.xml"]["slowdown"] is None and rows["sitemap.xml"]["over_limit"]
    assert "  > 5 s!" in scale_check.format_table(rows)
