from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Site")


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """The admin with the outlet's name; listed in INSTALLED_APPS by its path."""

    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"
