from django.urls import path

from . import views
from .feeds import ReporterFeed

app_name = "reporters"
urlpatterns = [
    path("<str:slug>/", views.reporter_detail, name="detail"),
    path("<str:slug>/rss/", ReporterFeed(), name="feed"),
]
