from django.template import Context, Template

# A browser's user agent: the counting code ignores programs, so tests must look like people.
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


def render_slot(key: str) -> str:
    return Template("{% load ads %}{% ad_slot key %}").render(Context({"key": key}))
