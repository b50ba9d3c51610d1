from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from caching.signals import NotifyingQuerySet
from images.pictures import PictureField, delete_stored_on_commit, reencode_upload
from web.addresses import address_of


class ReporterQuerySet(NotifyingQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Reporter(models.Model):
    """A byline: the person an article is credited to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reporter",
        help_text=_("The account this reporter signs in with, if any."),
    )
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    email = models.EmailField(_("e-mail"), blank=True)
    title = models.CharField(
        _("title"), max_length=60, blank=True, help_text=_("For example: senior reporter.")
    )
    photo = PictureField(
        _("photo"),
        upload_to="reporters/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(editable=False, null=True)
    photo_height = models.PositiveIntegerField(editable=False, null=True)
    bio = models.TextField(_("biography"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReporterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        before = (
            self.pk and Reporter.objects.filter(pk=self.pk).values_list("photo", flat=True).first()
        )
        if self.photo and not self.photo._committed:
            content, _image = reencode_upload(self.photo)
            self.photo.save(content.name, content, save=False)
        super().save(*args, **kwargs)
        if before and before != self.photo.name:  # replaced or cleared
            delete_stored_on_commit([before])

    def get_absolute_url(self):
        return address_of("reporters:detail", self.slug)
