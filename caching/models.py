from django.db import models


class SharedValue(models.Model):
    """A whole number every worker and server sees at once: a rate-limit count, a
    de-duplication mark or a cache version (caching.backends.DatabaseStore)."""

    key = models.CharField(primary_key=True, max_length=250)
    value = models.BigIntegerField()
    expires_at = models.DateTimeField(null=True, db_index=True)

    def __str__(self):
        return f"{self.key}={self.value}"
