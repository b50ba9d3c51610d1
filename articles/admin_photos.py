"""The photo library on the desk: the chooser the writing screen opens (thumbnails, search
by caption, credit and date, pages), the upload the body editor sends a dropped picture
to, and the reading of a picture's own caption and credit to prefill the forms."""

import json

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from images.metadata import read_credits
from images.pictures import PictureFormField, stored_url

from .models import Article, Photo

CHOOSER_PAGE_SIZE = 12


class PhotoUploadForm(forms.ModelForm):
    """A new photo for the library, sent from the writing screen."""

    class Meta:
        model = Photo
        fields = ["image", "caption", "credit", "alt_text"]


class PhotoMetadataForm(forms.Form):
    image = PictureFormField(label=_("image"))


class PhotoSearchForm(forms.Form):
    q = forms.CharField(label=_("Caption or credit"), required=False, max_length=100)
    date_from = forms.DateField(label=_("Uploaded from"), required=False)
    date_to = forms.DateField(label=_("Uploaded until"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        return cleaned

    def filter(self, photos):
        data = self.cleaned_data
        for word in data["q"].split():
            photos = photos.filter(
                Q(caption__icontains=word) | Q(credit__icontains=word) | Q(alt_text__icontains=word)
            )
        if data["date_from"]:
            photos = photos.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            photos = photos.filter(created_at__date__lte=data["date_to"])
        return photos


def photo_as_json(photo: Photo) -> dict:
    """What the writing screen needs to show and insert a photo."""
    smallest = photo.renditions[0]["jpg"] if photo.renditions else photo.image.name
    return {
        "id": photo.pk,
        "src": photo.fallback_url,
        "thumbnail": stored_url(smallest),
        "alt": photo.alt_text,
        "caption": photo.caption,
        "credit": photo.credit,
        "width": photo.width,
        "height": photo.height,
    }


def form_errors(form) -> dict:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


class PhotoLibraryAdminMixin:
    """Adds the chooser, upload and metadata endpoints to the photo admin."""

    def get_urls(self):
        routes = [
            ("choose/", require_GET(self.chooser_view), "choose"),
            ("upload/", require_POST(self.upload_view), "upload"),
            ("metadata/", require_POST(self.metadata_view), "metadata"),
        ]
        urls = [
            path(suffix, self.admin_site.admin_view(view), name=f"articles_photo_{name}")
            for suffix, view, name in routes
        ]
        return urls + super().get_urls()

    def delete_view(self, request, object_id, extra_context=None):
        """The confirmation names the stories that show the photo in their body: they
        lose it, as those showing it as their lead photo do."""
        in_bodies = Article.objects.none()
        if str(object_id).isdigit():
            in_bodies = Article.objects.filter(body__contains=f'data-photo-id="{object_id}"')
        in_bodies = in_bodies.only("pk", "title")
        extra_context = {**(extra_context or {}), "shown_in_bodies": in_bodies}
        return super().delete_view(request, object_id, extra_context)

    def chooser_view(self, request):
        """One page of the library, newest first, as HTML for the chooser dialog."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        search = PhotoSearchForm(request.GET)
        photos = Photo.objects.none()
        if search.is_valid():
            photos = search.filter(Photo.objects.all()).order_by("-created_at", "-pk")
        page = Paginator(photos, CHOOSER_PAGE_SIZE).get_page(request.GET.get("page"))
        listed = [(photo, photo_as_json(photo)) for photo in page]
        return TemplateResponse(
            request,
            "admin/articles/photo/chooser_results.html",
            {
                "search": search,
                "page": page,
                "photos": [(photo, info, json.dumps(info)) for photo, info in listed],
            },
        )

    def upload_view(self, request):
        """Adds a photo to the library: 201 with the photo, or 400 with what to fix and
        what the picture itself says (caption, credit, byline) to fill the form with."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PhotoUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            credits = {}
            if "image" not in form.errors and request.FILES.get("image"):
                credits = read_credits(request.FILES["image"])
            return JsonResponse({"errors": form_errors(form), "metadata": credits}, status=400)
        metadata = read_credits(form.cleaned_data["image"])
        photo = form.save(commit=False)
        photo.uploaded_by = request.user
        photo.save()
        return JsonResponse({"photo": photo_as_json(photo), "metadata": metadata}, status=201)

    def metadata_view(self, request):
        """The caption, credit and byline written into a picture; nothing is stored."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PhotoMetadataForm(files=request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": form_errors(form)}, status=400)
        return JsonResponse({"metadata": read_credits(form.cleaned_data["image"])})
