"""``manage page_weight PATH…``: what the site's pages weigh, rendered in process as
gunicorn's workers render them: bytes and SQL queries per page (the median of the
paths), with ``--json`` as one line of JSON for bench/compare/run.py."""

import json
import statistics

import wagtail
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, paths, **options):
        client = Client(HTTP_HOST="localhost")
        client.get(paths[0])  # the first request of a process loads what every one uses
        sizes, queries = [], []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
            sizes.append(len(response.content))
            queries.append(len(captured.captured_queries))
        weight = {
            "wagtail": wagtail.__version__,
            "kb": round(statistics.median(sizes) / 1024, 1),
            "queries": statistics.median(queries),
            "queries_range": [min(queries), max(queries)],
        }
        if options["json"]:
            self.stdout.write(json.dumps(weight))
        else:
            self.stdout.write(
                f"  Wagtail {weight['wagtail']} article page: {weight['kb']} kB, "
                f"{weight['queries']} queries ({min(queries)}-{max(queries)})"
            )
