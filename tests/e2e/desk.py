"""The admin's login, as the desk's browser tests take it (their `reporter` is in conftest)."""

from django.urls import reverse
from playwright.sync_api import expect


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill("correct-horse-battery")
    page.get_by_role("button", name="로그인").click()
    expect(page.locator("#user-tools")).to_contain_text("환영합니다")
