"""A reader signs up for the newsletter in the browser, at phone and desktop widths, confirms
from the link in the captured mail, changes their choices and unsubscribes; axe checks each page."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from newsletters.models import Subscriber
from tests.e2e.axe import AXE, serious_violations
from tests.factories import SectionFactory

# serialized_rollback restores the groups the data migrations made once the test flushes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def axe_installed():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (.ci/run does)")


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's Content Security Policy forbids.
    return {**browser_context_args, "bypass_csp": True}


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}]
)
def test_sign_up_confirm_manage_and_unsubscribe(page, live_server, viewport):
    SectionFactory(name="로봇", slug="robots")
    SectionFactory(name="반도체", slug="chips")
    page.set_viewport_size(viewport)
    found = {}

    def check(name):
        if problems := serious_violations(page):
            found[name] = problems

    page.goto(f"{live_server.url}{reverse('articles:home')}")
    page.get_by_role("link", name="뉴스레터 구독").click()
    check("sign-up")
    page.get_by_label("이메일").fill("reader@example.com")
    page.get_by_label("일일 뉴스레터: 그날의 모든 기사").uncheck()
    page.get_by_label("로봇").check()
    page.get_by_role("button", name="구독 신청").click()
    # Without consent nothing is sent, and nothing typed is lost.
    assert page.get_by_text("구독하려면 동의해야 합니다").is_visible()
    assert page.get_by_label("이메일").input_value() == "reader@example.com"
    assert page.get_by_label("로봇").is_checked()
    check("sign-up with an error")
    page.get_by_label("위 개인정보 수집·이용에 동의합니다.").check()
    page.get_by_role("button", name="구독 신청").click()
    page.get_by_role("heading", name="이메일을 확인하세요").wait_for()
    check("check your e-mail")

    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+/newsletters/confirm/\S+", confirmation.body).group(0)
    page.goto(f"{live_server.url}{urlsplit(link).path}")
    check("confirm")
    page.get_by_role("button", name="네, 구독을 확인합니다").click()
    page.get_by_text("구독이 확인되었습니다").wait_for()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    check("manage")
    page.get_by_label("반도체").check()
    page.get_by_role("button", name="설정 저장").click()
    page.get_by_text("선택한 내용을 저장했습니다").wait_for()
    assert {s.name for s in Subscriber.objects.get().sections.all()} == {"로봇", "반도체"}

    page.get_by_role("link", name="모든 뉴스레터 구독 해지").click()
    check("unsubscribe")
    page.get_by_role("button", name="구독 해지").click()
    page.get_by_role("heading", name="구독을 해지했습니다").wait_for()
    check("unsubscribed")
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert found == {}
