from django.http import HttpResponseBadRequest

from .validators import has_control_characters


class RefuseControlCharactersInAdminQueries:
    """A 400 for admin list filters and searches carrying control characters.

    Django's admin passes query values such as ?status= or an autocomplete ?term= to the
    database as they come, where PostgreSQL answers a NUL with an error (a 500). Public
    views clean their own parameters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and any(
            has_control_characters(value) for value in request.GET.values()
        ):
            return HttpResponseBadRequest("Bad request: control characters in the address.")
        return self.get_response(request)
