"""``manage.py seed_demo`` as ``make run`` calls it."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.management.commands import seed_demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_it_prints_the_address_it_is_given(media_root, monkeypatch):
    monkeypatch.setattr(seed_demo, "seed_photos", lambda tally: {})  # drawing them takes seconds
    output = io.StringIO()

    call_command("seed_demo", address="http://192.0.2.7:8123/", stdout=output)

    lines = output.getvalue().splitlines()
    assert "Site:  http://192.0.2.7:8123/" in lines
    assert "Admin: http://192.0.2.7:8123/admin/" in lines


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
