from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminLoginForm
from outlet.models import SiteSettings


class NewsroomAdminSite(admin.AdminSite):
    """The Django admin under the outlet's own name from the site settings."""

    site_title = _("Newsroom admin")
    login_form = AdminLoginForm
    index_title = _("Newsroom")

    def each_context(self, request):
        context = super().each_context(request)
        context["site_header"] = SiteSettings.current().name
        return context
