"""Ad-network tags run in a sandboxed frame of their own, under their own strict policy."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ads.models import Placement
from tests.factories import ArticleFactory, PlacementFactory

pytestmark = pytest.mark.django_db

SNIPPET = '<div id="ad"></div><script src="https://ads.network.example/tag.js"></script>'


@pytest.fixture
def network_placement(sub_right):
    return PlacementFactory(
        slot=sub_right, kind=Placement.Kind.NETWORK, image="", network_code=SNIPPET
    )


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.strip() for d in policy.split(";") if d.strip()}


def test_frame_serves_the_tag_with_a_policy_for_the_network_hosts_only(
    client, settings, network_placement
):
    settings.AD_NETWORK_HOSTS = ["https://ads.network.example", "https://img.network.example"]

    response = client.get(reverse("ads:frame", args=[network_placement.pk]))

    assert response.status_code == 200
    assert SNIPPET in response.content.decode()
    policy = directives(response)
    hosts = "https://ads.network.example https://img.network.example"
    assert policy["default-src"] == "default-src 'none'"
    assert policy["script-src"] == f"script-src 'unsafe-inline' {hosts}"
    assert policy["img-src"] == f"img-src {hosts}"
    assert policy["frame-src"] == f"frame-src {hosts}"
    assert policy["frame-ancestors"] == "frame-ancestors 'self'"
    assert "'self'" not in policy["script-src"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_frame_policy_allows_no_host_when_none_is_configured(client, settings, network_placement):
    settings.AD_NETWORK_HOSTS = []

    response = client.get(reverse("ads:frame", args=[network_placement.pk]))

    policy = directives(response)
    assert policy["script-src"] == "script-src 'unsafe-inline'"
    assert policy["img-src"] == "img-src 'none'"


def test_only_live_network_placements_have_a_frame(client, sub_right, network_placement):
    banner = PlacementFactory(slot=sub_right)
    ended = PlacementFactory(
        slot=sub_right,
        kind=Placement.Kind.NETWORK,
        image="",
        network_code=SNIPPET,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(seconds=1),
    )

    for pk in (banner.pk, ended.pk, 999999):
        assert client.get(reverse("ads:frame", args=[pk])).status_code == 404


def test_the_article_page_itself_never_runs_the_tag(client, network_placement):
    article = ArticleFactory()

    response = client.get(article.get_absolute_url())

    assert SNIPPET not in response.content.decode()
    page_policy = directives(response)
    assert "'unsafe-inline'" not in page_policy["script-src"]
    assert "ads.network.example" not in page_policy["script-src"]
