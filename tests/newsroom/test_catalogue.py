"""The Korean catalogue survives `make messages`: every string it translates is still found
in our code, so makemessages keeps it and the desk does not fall back to English."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_SOURCE = shutil.ignore_patterns(
    ".*", "__pycache__", "node_modules", "staticfiles", "media", "*.sqlite3*", "*.mo"
)


def translated_msgids(po: Path, *, obsolete: bool) -> set[tuple[str, str]]:
    """(context, first line of the msgid) of each translated entry, live or obsolete ("#~")."""
    prefix = "#~ " if obsolete else ""
    found = set()
    for entry in po.read_text().split("\n\n"):
        lines = [line for line in entry.splitlines() if line.startswith(prefix)]
        lines = [
            line.removeprefix(prefix) for line in lines if obsolete or not line.startswith("#")
        ]
        text = "\n".join(lines)
        context = re.search(r'^msgctxt (".*")', text, re.M)
        msgid = re.search(r'^msgid (".*")', text, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? "(.+)"', text, re.M)
        if msgid and msgstr and msgid.group(1) != '""':
            found.add((context.group(1) if context else "", msgid.group(1)))
    return found


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_make_messages_keeps_every_translation(tmp_path):
    copy = tmp_path / "newsroom"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    catalogue = Path("locale/ko/LC_MESSAGES/django.po")
    before = translated_msgids(ROOT / catalogue, obsolete=False)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ko", "--ignore=bench"],
        cwd=copy,
        check=True,
        capture_output=True,
    )

    dropped = before & translated_msgids(copy / catalogue, obsolete=True)
    assert not dropped, (
        "makemessages no longer finds these translated strings in our code; if they are "
        f"Django's or a third-party app's, name them in newsroom/borrowed_strings.py: {dropped}"
    )
