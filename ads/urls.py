from django.urls import path

from . import views

app_name = "ads"
urlpatterns = [
    path("<int:pk>/click/", views.click, name="click"),
    path("<int:pk>/frame/", views.frame, name="frame"),
    path("impressions/", views.impressions, name="impressions"),
]
