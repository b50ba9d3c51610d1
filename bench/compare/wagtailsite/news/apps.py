from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "bench.compare.wagtailsite.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"
