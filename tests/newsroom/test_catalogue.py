"""The Korean catalogue survives `make messages`: every string it translates is still found
in our code, so makemessages keeps it and the desk does not fall back to English."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale/ko/LC_MESSAGES/django.po")
# What `make messages` leaves out (Makefile), and what is not source at all.
IGNORED = [".venv", "node_modules", "staticfiles", "bench"]
NOT_SOURCE = shutil.ignore_patterns(
    ".*", "__pycache__", "*.sqlite3*", "*.mo", "*.tar.gz", "media", "test-results",
    *IGNORED,
)  # fmt: skip


def compiled(po: Path) -> dict:
    """What the site would translate from ``po``: msgfmt leaves out obsolete and fuzzy
    entries, as compilemessages does. Keys carry the context and the plural forms."""
    mo = po.with_suffix(".test.mo")
    subprocess.run([shutil.which("msgfmt"), "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as file:
        return gettext.GNUTranslations(file)._catalog


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="needs GNU gettext (apt-get install gettext), as `make messages` does",
)
def test_make_messages_keeps_every_translation(tmp_path):
    copy = tmp_path / "newsroom"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    shutil.copy(ROOT / CATALOGUE, tmp_path / "before.po")
    before = compiled(tmp_path / "before.po")

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ko"]
        + [f"--ignore={name}" for name in IGNORED],
        cwd=copy,
        check=True,
        capture_output=True,
    )

    after = compiled(copy / CATALOGUE)
    lost = sorted(str(key) for key in before.keys() - after.keys() if key)
    assert not lost, (
        "makemessages no longer finds these translated strings in our code (or only a changed "
        "one, marked fuzzy); if they are Django's or a third-party app's, name them in "
        f"newsroom/borrowed_strings.py: {lost}"
    )
