from django.shortcuts import redirect
from django.templatetags.static import static


def favicon(request):
    """Browsers ask for /favicon.ico on every page that names none (the admin's)."""
    return redirect(static("img/favicon.svg"), permanent=True)
