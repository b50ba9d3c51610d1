from django.contrib.admin import apps as admin_apps


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """The admin with the outlet's name; listed in INSTALLED_APPS by its path."""

    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"

    def ready(self):
        super().ready()
        from . import desk_language

        desk_language.install()
