from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminLoginForm
from ads import dashboard as ads_dashboard
from articles import dashboard as articles_dashboard
from comments import dashboard as comments_dashboard
from outlet.models import SiteSettings

# Each app's panels for the desk's front page, in the order they appear.
DASHBOARDS = [articles_dashboard.panels, comments_dashboard.panels, ads_dashboard.panels]


class NewsroomAdminSite(admin.AdminSite):
    """The Django admin under the outlet's own name from the site settings."""

    site_title = _("Newsroom admin")
    login_form = AdminLoginForm
    index_title = _("Newsroom")

    def each_context(self, request):
        context = super().each_context(request)
        context["site_header"] = SiteSettings.current().name
        return context

    def index(self, request, extra_context=None):
        """Each person's panels (what waits for them, what runs), then the app list."""
        panels = [panel for source in DASHBOARDS for panel in source(request)]
        return super().index(request, {"panels": panels, **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        """The apps and models of the menus, each model with the count its admin's
        ``menu_badge(request)`` gives (what waits for this person), if it has one."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for entry in app["models"]:
                if menu_badge := getattr(self._registry[entry["model"]], "menu_badge", None):
                    entry["badge"] = menu_badge(request)
        return app_list
