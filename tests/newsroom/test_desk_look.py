"""The desk's frame: the outlet's name, the language switch every admin page carries (the
site's own language cookie), its stylesheet, and what Django would print in English."""

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from articles.apps import ArticlesConfig
from outlet.models import SiteSettings
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def language_links(html: str) -> dict[str, str]:
    switch = html[html.index('id="desk-language"') :]
    switch = switch[: switch.index("</nav>")]
    return {lang: href for href, lang in re.findall(r'<a href="([^"]+)" lang="(\w+)"', switch)}


class TestLanguageSwitch:
    def test_every_admin_page_offers_the_other_language_and_marks_the_current_one(
        self, client, editor
    ):
        client.force_login(editor)
        page = client.get(reverse("admin:articles_article_changelist") + "?status__exact=draft")

        html = page.content.decode()
        assert '<span aria-current="true" lang="ko">한국어</span>' in html
        assert language_links(html) == {
            "en": "/language/en/?next=/admin/articles/article/%3Fstatus__exact%3Ddraft"
        }

    def test_choosing_english_sets_the_sites_language_cookie_and_comes_back(self, client, editor):
        client.force_login(editor)
        back = reverse("admin:articles_article_changelist")

        response = client.get(reverse("set_language", args=["en"]) + f"?next={back}")

        assert response.status_code == 302 and response["Location"] == back
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        page = client.get(back).content.decode()
        assert '<html lang="en"' in page and "Select article to change" in page
        assert '<a href="/language/ko/?next=/admin/articles/article/" lang="ko"' in page

    def test_the_login_page_has_it_too(self, client):
        page = client.get(reverse("admin:login")).content.decode()

        assert 'id="desk-language"' in page

    def test_it_never_sends_anyone_to_another_site(self, client, editor):
        client.force_login(editor)

        response = client.get(reverse("set_language", args=["en"]) + "?next=https://evil.example/")

        assert response["Location"] == "/"


class TestFrame:
    def test_the_header_carries_the_outlets_name_and_the_desk_stylesheet(self, client, editor):
        SiteSettings.objects.update_or_create(pk=1, defaults={"name": "기계산업신문"})
        client.force_login(editor)

        page = client.get(reverse("admin:index")).content.decode()

        assert '<div id="site-name"><a href="/admin/">기계산업신문</a></div>' in page
        assert "/static/css/admin/desk.css" in page
        assert "<title>뉴스룸 관리 | 기계산업신문</title>" in page

    def test_greets_staff_by_their_display_name(self, client):
        client.force_login(
            UserFactory(username="kim", display_name="김편집", is_staff=True, is_superuser=True)
        )

        page = client.get(reverse("admin:index")).content.decode()

        assert "<strong>김편집</strong>" in page

    def test_the_stylesheet_asks_for_korean_fonts_already_installed_and_whole_words(self):
        text = Path(finders.find("css/admin/desk.css")).read_text()

        assert '"Noto Sans KR", "Nanum Gothic"' in text and '"Malgun Gothic"' in text
        assert "word-break: keep-all" in text
        assert "@import" not in text and "url(" not in text  # nothing is downloaded

    def test_a_refused_page_is_in_korean(self, client, reporter_user):
        client.force_login(reporter_user)
        others = ArticleFactory()

        response = client.get(reverse("admin:articles_article_change", args=[others.pk]))

        assert response.status_code == 403
        assert "이 계정으로는 이 페이지를 열 수 없습니다" in response.content.decode()


class TestWhatDjangoPrintsInEnglish:
    def test_permissions_are_named_in_the_desks_language(self, client):
        client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
        group_add = reverse("admin:auth_group_add")

        korean = client.get(group_add).content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(group_add).content.decode()

        assert ">기사 | 기사 | 기사 추가</option>" in korean
        assert ">기사 | 기사 | 기사를 출고하고 예약할 수 있음</option>" in korean
        assert ">Articles | article | Can add article</option>" in english

    def test_the_staff_groups_are_named_in_the_desks_language(self, client, editor):
        client.force_login(editor)
        users = reverse("admin:accounts_user_changelist")

        korean = client.get(users).content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(users).content.decode()

        assert ">편집자</a>" in korean and ">광고 담당</a>" in korean
        assert ">Editors</a>" in english

    def test_the_yes_no_icons_say_yes_and_no(self, client, editor):
        client.force_login(editor)

        page = client.get(reverse("admin:accounts_user_changelist")).content.decode()

        assert 'alt="예"' in page
        assert 'alt="True"' not in page and 'alt="False"' not in page

    def test_a_delete_page_names_the_links_it_removes(self, client):
        client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
        editors = apps.get_model("auth", "Group").objects.get(name="Editors")

        page = client.get(reverse("admin:auth_group_delete", args=[editors.pk])).content.decode()

        assert "Group_permissions object" not in page
        assert "그룹 \N{EN DASH} 권한: 편집자 \N{EN DASH} 기사 | 기사 | 기사 추가" in page

    def test_the_admins_javascript_speaks_korean(self, client, editor):
        client.force_login(editor)

        script = client.get(reverse("admin:jsi18n")).content.decode()

        catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S)[1])
        assert catalog["Today (%(date)s)"] == "오늘 (%(date)s)"
        assert catalog["server"] == "서버"

    def test_every_permission_has_a_name_in_korean(self):
        with translation.override("ko"):
            names = [str(permission) for permission in Permission.objects.all()]

        assert not [name for name in names if re.search(r"\bCan (add|change|delete|view)\b", name)]


def test_the_articles_app_keeps_its_own_config_beside_the_tags_one():
    # Two configs in articles/apps.py: Django must still pick ArticlesConfig (and run its
    # ready(), which connects cache invalidation) for "articles".
    assert type(apps.get_app_config("articles")) is ArticlesConfig
    with translation.override("en"):
        assert str(apps.get_app_config("taggit").verbose_name) == "Tags"
