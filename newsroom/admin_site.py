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

    def get_app_list(self, request, app_label=None):
        """The apps and models of the menus, each model with the count its admin's
        ``menu_badge(request)`` gives (what waits for this person), if it has one."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for entry in app["models"]:
                if menu_badge := getattr(self._registry[entry["model"]], "menu_badge", None):
                    entry["badge"] = menu_badge(request)
        return app_list
