from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("mine/", views.my_comments, name="mine"),
    path("articles/<int:article_pk>/post/", views.comment_post, name="post"),
    path("articles/<int:article_pk>/open/", views.comments_open, name="open"),
    path("<int:pk>/reply/", views.comment_reply, name="reply"),
    path("<int:pk>/edit/", views.comment_edit, name="edit"),
    path("<int:pk>/delete/", views.comment_delete, name="delete"),
    path("<int:pk>/guest/edit/", views.comment_guest_edit, name="guest_edit"),
    path("<int:pk>/guest/delete/", views.comment_guest_delete, name="guest_delete"),
    path("<int:pk>/vote/", views.comment_vote, name="vote"),
    path("<int:pk>/report/", views.comment_report, name="report"),
    path("<int:pk>/moderate/", views.comment_moderate, name="moderate"),
]
