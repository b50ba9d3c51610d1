from django.utils.functional import SimpleLazyObject

from .models import Section


def navigation(request):
    """The active sections for the site's navigation, read only when a page shows them."""
    return {"nav_sections": SimpleLazyObject(Section.navigation)}
