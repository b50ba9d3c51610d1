from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("sections/<str:slug>/", views.section_detail, name="section"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("articles/<int:pk>/", views.article_detail, name="detail_short"),
    path("articles/<int:pk>/email/", views.article_email, name="email"),
    path("articles/<int:pk>/viewed/", views.article_viewed, name="viewed"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="detail"),
]
