import pytest

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    """The queue production uses, instead of the tests' run-at-once one."""
    settings.TASKS = DATABASE_QUEUE
