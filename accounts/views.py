from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from outlet.models import SiteSettings

from .forms import PasswordResetForm, SignUpForm
from .models import ACCOUNT_PRIVACY_NOTICE_VERSION


def safe_next(request) -> str:
    """Where to go after signing in or up: only a page of this site, as an address."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"


def signup(request):
    if request.user.is_authenticated:
        return HttpResponseRedirect(safe_next(request))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(safe_next(request))
    return render(
        request,
        "registration/signup.html",
        {
            "form": form,
            "next": safe_next(request),
            "notice_version": ACCOUNT_PRIVACY_NOTICE_VERSION,
        },
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, signed with the outlet's name rather than the host name."""

    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_name": SiteSettings.current().name}
        return super().form_valid(form)
