from django.db import models
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks_db.models import DBTaskResult

from web.conditions import holds

from .tasks import RetryScheduled, deliver_mail

RETRY_SCHEDULED = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"


class Delivery(models.TextChoices):
    SENT = "sent", pgettext_lazy("outgoing mail", "Sent")
    WAITING = "waiting", pgettext_lazy("outgoing mail", "Waiting to be sent")
    SENDING = "sending", pgettext_lazy("outgoing mail", "Being sent")
    RETRYING = "retrying", pgettext_lazy("outgoing mail", "Failed, will be tried again")
    FAILED = "failed", pgettext_lazy("outgoing mail", "Not sent")


# Each mail is in exactly one state; its delivery property and the admin's filter read these.
DELIVERY_FILTERS = {
    Delivery.SENT: Q(status=TaskResultStatus.SUCCESSFUL),
    Delivery.WAITING: Q(status=TaskResultStatus.READY),
    Delivery.SENDING: Q(status=TaskResultStatus.RUNNING),
    Delivery.RETRYING: Q(status=TaskResultStatus.FAILED, exception_class_path=RETRY_SCHEDULED),
    Delivery.FAILED: Q(status=TaskResultStatus.FAILED) & ~Q(exception_class_path=RETRY_SCHEDULED),
}


class OutgoingMailQuerySet(models.QuerySet):
    def delivery(self, state: Delivery) -> "OutgoingMailQuerySet":
        return self.filter(DELIVERY_FILTERS[state])


class OutgoingMailManager(models.Manager.from_queryset(OutgoingMailQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(task_path=deliver_mail.module_path)


class OutgoingMail(DBTaskResult):
    """One attempt at sending one e-mail, as the task queue recorded it."""

    objects = OutgoingMailManager()

    class Meta:
        proxy = True
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return f"{', '.join(self.message['to'])}: {self.message['subject']}"

    @property
    def message(self) -> dict:
        return self.args_kwargs["kwargs"]

    @property
    def delivery(self) -> Delivery:
        return next(state for state, rows in DELIVERY_FILTERS.items() if holds(rows, self))

    @property
    def error(self) -> str:
        """The last line of the traceback: what the mail server said, without the retry wrapper."""
        lines = self.traceback.strip().splitlines()
        return lines[-1].removeprefix(f"{RETRY_SCHEDULED}: ") if lines else ""
