from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_db_apps


class MailQueueConfig(AppConfig):
    name = "mailqueue"
    verbose_name = _("Outgoing mail")


class TaskQueueConfig(tasks_db_apps.TasksAppConfig):
    """django-tasks-db under a Korean name in the admin; listed in INSTALLED_APPS by its path."""

    default = False
    verbose_name = _("Background tasks")
