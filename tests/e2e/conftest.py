"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from tests.factories import ReporterFactory, SectionFactory, UserFactory

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make beside it are safe because nothing else runs concurrently here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_runtest_setup(item):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium; .ci/run does)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


# Headless Chromium says "HeadlessChrome" in its user agent, and the site rightly does not
# count bots' page views or ad impressions; the tests browse as the desktop browser it is.
DESKTOP_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "ko-KR",
        "timezone_id": "Asia/Seoul",
        "user_agent": DESKTOP_CHROME,
    }


@pytest.fixture(scope="session", autouse=True)
def serialized_database_for_every_context(django_db_setup):
    """Lets serialized_rollback restore the data migrations' rows (the staff groups) in
    browser tests too. Django keeps the copy on the connection object that made it, and
    connections are per context: Playwright's sync API runs the test in another one,
    whose connection has no copy, so after the first flush nothing came back. Kept on
    the connection class instead, every context's connection has it."""
    connection = connections[DEFAULT_DB_ALIAS]
    if hasattr(connection, "_test_serialized_contents"):
        type(connection)._test_serialized_contents = connection._test_serialized_contents


@pytest.fixture
def reporter(db):
    """A reporter at the desk (log in as "writer"), with a section to file under."""
    user = UserFactory(username="writer", is_staff=True, groups=["Reporters"])
    ReporterFactory(user=user, name="오기자")
    SectionFactory(name="기계·로봇")
    return user
