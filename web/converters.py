from .validators import CONTROL_CHARACTERS


class UnicodeSlugConverter:
    """A path segment of a Korean or Latin slug: no slashes, no control characters.

    Django's own slug converter refuses Korean; its str converter lets NUL through,
    which PostgreSQL rejects with an error instead of a 404.
    """

    regex = rf"[^/\t\n\r{CONTROL_CHARACTERS}]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
