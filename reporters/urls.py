from django.urls import path

from . import views

app_name = "reporters"
urlpatterns = [
    path("<str:slug>/", views.reporter_detail, name="detail"),
]
