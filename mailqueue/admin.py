from django.conf import settings
from django.contrib import admin
from django.utils import formats, timezone
from django.utils.translation import pgettext_lazy
from django_tasks_db.models import DBTaskResult, get_date_max

from web.admin import ReadOnlyAdmin

from .models import Delivery, OutgoingMail

# The library's page lists every task with its arguments, password-reset links included, and
# in English; staff read the mail queue through OutgoingMailAdmin, which leaves bodies out.
admin.site.unregister(DBTaskResult)


class DeliveryFilter(admin.SimpleListFilter):
    title = pgettext_lazy("outgoing mail", "delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return Delivery.choices

    def queryset(self, request, queryset):
        if self.value() in Delivery.values:
            return queryset.delivery(Delivery(self.value()))
        return queryset


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    """What was queued, whether it went out, and what the mail server said."""

    list_display = ["enqueued_at", "delivery", "recipients", "subject", "attempt", "error"]
    list_display_links = ["enqueued_at"]
    list_filter = [DeliveryFilter]
    ordering = ["-enqueued_at"]
    fields = readonly_fields = [
        "delivery",
        "recipients",
        "subject",
        "attempt",
        "enqueued_at",
        "started_at",
        "finished_at",
        "next_attempt",
        "error",
    ]

    @admin.display(description=pgettext_lazy("outgoing mail", "delivery"))
    def delivery(self, mail):
        return mail.delivery.label

    @admin.display(description=pgettext_lazy("outgoing mail", "recipients"))
    def recipients(self, mail):
        return ", ".join(mail.message["to"])

    @admin.display(description=pgettext_lazy("outgoing mail", "subject"))
    def subject(self, mail):
        return mail.message["subject"]

    @admin.display(description=pgettext_lazy("outgoing mail", "attempt"))
    def attempt(self, mail):
        return f"{mail.message['attempt']} / {settings.MAIL_MAX_ATTEMPTS}"

    @admin.display(description=pgettext_lazy("outgoing mail", "not before"))
    def next_attempt(self, mail):
        # A task queued without a time to wait for carries the library's far-future marker.
        if mail.delivery == Delivery.WAITING and mail.run_after != get_date_max():
            # Formatted here: the admin prints what a method returns on the detail page as is.
            return formats.localize(timezone.localtime(mail.run_after))
        return ""

    @admin.display(description=pgettext_lazy("outgoing mail", "error"))
    def error(self, mail):
        return mail.error
