from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


def favicon(request):
    """Browsers ask for /favicon.ico on every page that names none (the admin's)."""
    return redirect(static("img/favicon.svg"), permanent=True)


@never_cache
def csrf_token(request):
    """The reader's own CSRF token, for forms on pages cached for everyone."""
    return JsonResponse({"token": get_token(request)})


def csrf_failure(request, reason=""):
    """The form's security check failed (stale or missing token): keep what was typed."""
    match = request.resolver_match
    if match and match.view_name == "comments:post":
        from comments.views import comment_resubmit

        return comment_resubmit(request, **match.kwargs)
    return render(request, "403_csrf.html", status=403)
