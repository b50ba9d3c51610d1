"""The control-character rule, written once.

Text people send (forms, addresses, searches, imported feeds) may hold tabs and line
breaks, and nothing else below U+0020, nor DEL: no page shows them, XML cannot carry
them and PostgreSQL refuses NUL outright.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def without_control_characters(text: str, replacement: str = "") -> str:
    return _CONTROL.sub(replacement, text)


def refuse_control_characters(value: str) -> None:
    """A form field's validator."""
    if has_control_characters(value):
        raise ValidationError(_("Remove the control characters from this field."))
