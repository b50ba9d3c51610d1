"""``rows_updated``: QuerySet.update() tells receivers, as save() and delete() do.

Django sends post_save and post_delete (bulk deletes included), but nothing for
``QuerySet.update()``. Models whose changes make cached pages stale use a queryset made
from ``NotifyingQuerySet``, so that an app's signals.py sees every path that changes its
rows: save(), delete(), bulk deletes, updates, imports.
"""

from django.db import models, transaction
from django.dispatch import Signal

# Sent after QuerySet.update(), with sender (the model), pks (the rows it changed) and
# fields (the names it set).
rows_updated = Signal()


class NotifyingQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if not rows_updated.has_listeners(self.model):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            # The rows the filter matches now, before the update may make it match others.
            pks = list(self.values_list("pk", flat=True))
            changed = self.model._base_manager.using(self.db).filter(pk__in=pks)
            count = changed.update(**kwargs)
        rows_updated.send(sender=self.model, pks=pks, fields=frozenset(kwargs))
        return count
