import fcntl

import pytest
from django.contrib.auth.models import Group

from tests.factories import ArticleFactory, PhotoFactory, ReporterFactory, UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Tests change data behind the site's back; the page cache has tests of its own."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def counters_write_at_once(settings):
    """Views and impressions are batched in production; tests read them straight away."""
    settings.COUNTER_FLUSH_SECONDS = 0


@pytest.fixture(autouse=True)
def whitenoise_without_startup_scan(settings):
    """Each test client starts WhiteNoise anew: never scan a collectstatic folder each time."""
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Queued work (mail) runs inside the request, so tests read mail.outbox straight away.
    tests/mailqueue/ runs the real database queue and its worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests only need passwords to match."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def servers_one_module_at_a_time(tmp_path_factory):
    """For a module that starts servers of its own (clusters, a standby, Redis, gunicorns):
    while it runs, no other test process (pytest-xdist) starts its own. Side by side on
    two cores, their timing windows (a replica's lag, a pin of seconds) would not hold."""
    # The folder every process of this run has its own folder in.
    with open(tmp_path_factory.getbasetemp().parent / "servers.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture
def reader(db):
    return UserFactory(username="reader", display_name="독자")


@pytest.fixture
def other_reader(db):
    return UserFactory(username="other", display_name="다른독자")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", is_staff=True, groups=["Editors"])


@pytest.fixture
def reporter_user(db):
    user = UserFactory(username="reporter", is_staff=True, groups=["Reporters"])
    ReporterFactory(user=user, name="오기자", slug="oh")
    return user


@pytest.fixture
def other_reporter_user(db):
    user = UserFactory(username="reporter2", is_staff=True, groups=["Reporters"])
    ReporterFactory(user=user, name="박기자", slug="park")
    return user


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", is_staff=True, groups=["Moderators"])


@pytest.fixture
def banned_reader(db):
    from comments.models import CommentBan

    user = UserFactory(username="banned", display_name="차단된독자")
    CommentBan.objects.create(user=user, reason="abuse", note="욕설")
    return user


@pytest.fixture
def published_article(db):
    return ArticleFactory(lead_photo=PhotoFactory(), tags=["로봇", "스마트공장"])


@pytest.fixture
def groups(db):
    return {group.name: group for group in Group.objects.all()}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests last (browser tests last of all): they end by emptying the
    database, the rows made by migrations included (groups, content types), which the
    others rely on and which only a transactional test puts back (serialized_rollback).
    Each of pytest-xdist's processes runs its share in this order too."""

    def order(item):
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction"))
        if transactional and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(f"{item.nodeid}: {COMMITTING_TESTS_RESTORE}")
        return (transactional, "/tests/e2e/" in str(item.path))

    items.sort(key=order)


# Without the serialized copy, the flush after a committing test makes the content types
# afresh under new ids, and the next test that loads the copy (every browser test) fails on
# their unique names.
COMMITTING_TESTS_RESTORE = (
    "a test with transaction=True must also say serialized_rollback=True, so that it starts "
    "from the migrations' rows and leaves the database empty for the next one to restore"
)


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture
def ad_staff(db):
    return UserFactory(username="adstaff", is_staff=True, groups=["Ad staff"])
