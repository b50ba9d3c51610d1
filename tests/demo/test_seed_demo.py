"""``manage.py seed_demo`` as ``make run`` calls it."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_it_prints_the_address_it_is_given(django_capture_on_commit_callbacks, mailoutbox):
    output = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", address="http://192.0.2.7:8123/", stdout=output)

    lines = output.getvalue().splitlines()
    assert "Site:  http://192.0.2.7:8123/" in lines
    assert "Admin: http://192.0.2.7:8123/admin/" in lines
    # The demo's workflow mails (a story submitted, one returned) link there too.
    bodies = [mail.body for mail in mailoutbox]
    assert bodies and all("http://192.0.2.7:8123/admin/" in body for body in bodies)
    assert not any("127.0.0.1" in body for body in bodies)


@pytest.mark.django_db
def test_it_prints_the_demo_accounts_and_nothing_new_the_second_time():
    call_command("seed_demo", stdout=io.StringIO())
    output = io.StringIO()

    call_command("seed_demo", stdout=output)

    assert "new rows: none." in output.getvalue()
    for username, password in [
        ("editor", "newsroom-editor-2026"),
        ("reporter", "newsroom-reporter-2026"),
        ("reader", "newsroom-reader-2026"),
        ("moderator", "newsroom-moderator-2026"),
        ("adstaff", "newsroom-adstaff-2026"),
    ]:
        assert f"  {username:<9} {password:<24} " in output.getvalue()


def test_make_run_gives_it_the_address_it_serves_on():
    commands = subprocess.run(
        [shutil.which("make"), "--dry-run", "run", "HOST=192.0.2.7", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "manage.py seed_demo --address http://192.0.2.7:8123/" in commands
    assert "manage.py runserver 192.0.2.7:8123" in commands
