from django.contrib.sitemaps import Sitemap

from .models import Reporter


class ReporterSitemap(Sitemap):
    def items(self):
        return Reporter.objects.active()
