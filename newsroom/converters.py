class UnicodeSlugConverter:
    """A path segment of a Korean or Latin slug: no slashes, no control characters.

    Django's own slug converter refuses Korean; its str converter lets NUL through,
    which PostgreSQL rejects with an error instead of a 404.
    """

    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
