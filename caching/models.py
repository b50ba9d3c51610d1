from typing import Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import versions


class SharedValue(models.Model):
    """A whole number every worker and server sees at once: a rate-limit count, a
    de-duplication mark or a cache version (caching.backends.DatabaseStore)."""

    key = models.CharField(primary_key=True, max_length=250)
    value = models.BigIntegerField()
    expires_at = models.DateTimeField(null=True, db_index=True)

    class Meta:
        verbose_name = _("shared value")
        verbose_name_plural = _("shared values")

    def __str__(self):
        return f"{self.key}={self.value}"


class OneRow(models.Model):
    """Settings kept in one row (pk 1), edited in the admin (web.admin.OneRowAdmin) and read
    through current(): cached until the site's version moves, as the model's signals make
    it do when the row changes."""

    # What the cached row is filed under.
    cache_key: str

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> Self:
        return versions.cached(
            cls.cache_key,
            (versions.SITE,),
            lambda: cls.objects.get_or_create(pk=1)[0],
            versions.SETTLED_SECONDS,
        )
