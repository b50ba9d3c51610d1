from django.urls import re_path

from . import views

app_name = "portals"
urlpatterns = [
    # IndexNow keys are 8 to 128 letters, digits and dashes, served at the site's root.
    re_path(r"^(?P<key>[A-Za-z0-9-]{8,128})\.txt$", views.indexnow_key, name="indexnow_key"),
]
