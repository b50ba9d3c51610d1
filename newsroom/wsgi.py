import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

from caching.pages import StoredPagesFirst  # noqa: E402 - needs the settings and apps set up

# A stored page is answered before Django's handler (caching/pages.py).
application = StoredPagesFirst(django_application)
