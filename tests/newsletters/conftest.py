import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory
from tests.mailqueue.conftest import DATABASE_QUEUE
from tests.mailqueue.helpers import SMTPSink, smtp_mailers


@pytest.fixture(autouse=True)
def site_url(settings):
    """The public address production sets, which the daily job's links are made from."""
    settings.SITE_URL = "https://news.example"


@pytest.fixture
def database_queue(settings):
    """The queue production uses, and its worker, instead of the tests' run-at-once one."""
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def sink(settings):
    with SMTPSink() as server:
        settings.MAILERS = smtp_mailers(server.port)
        yield server


@pytest.fixture
def sender(db):
    """Staff who may send newsletters. Editors may (test_permissions.py), but the groups made
    by data migrations are gone once an earlier transactional test has emptied the database."""
    user = UserFactory(username="desk", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="newsletters",
            codename__in=["send_edition", "view_edition", "view_subscriber"],
        )
    )
    return user
