import pytest
from django.test import Client
from django.urls import reverse

from outlet.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_site_settings_are_a_single_row():
    first = SiteSettings.current()
    SiteSettings(name="다른 이름").save()

    assert SiteSettings.objects.count() == 1
    assert first.pk == 1 and SiteSettings.current().name == "다른 이름"


def test_a_renamed_outlet_shows_on_every_page_at_once(settings, published_article):
    settings.PAGE_CACHE_SECONDS = 60
    home = reverse("articles:home")
    Client().get(home)
    Client().get(published_article.get_absolute_url())

    site = SiteSettings.current()
    site.name = "새 이름 신문"
    site.save()

    assert "새 이름 신문" in Client().get(home).content.decode()
    assert "새 이름 신문" in Client().get(published_article.get_absolute_url()).content.decode()
