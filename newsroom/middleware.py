from django.http import HttpResponseBadRequest

# Control characters no address or search of ours needs; PostgreSQL refuses NUL outright.
_CONTROL = {chr(code) for code in range(32) if chr(code) not in "\t\n\r"}


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
            char in _CONTROL for value in request.GET.values() for char in value
        ):
            return HttpResponseBadRequest("Bad request: control characters in the address.")
        return self.get_response(request)
