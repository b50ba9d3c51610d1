from django.urls import path

from caching.pages import shared_page

from . import views
from .feeds import ReporterFeed

app_name = "reporters"
urlpatterns = [
    path("<uslug:slug>/", views.reporter_detail, name="detail"),
    path("<uslug:slug>/rss/", shared_page(ReporterFeed()), name="feed"),
]
