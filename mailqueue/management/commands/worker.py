from django.core.management import call_command
from django.core.management.base import BaseCommand

from mailqueue.tasks import requeue_stranded


class Command(BaseCommand):
    help = (
        "Run the task worker (django-tasks-db's db_worker, with the same options), after "
        "putting back in the queue what a worker that was killed left half done."
    )

    def add_arguments(self, parser):
        parser.add_argument("worker_args", nargs="*", help="Options for db_worker.")

    def handle(self, *args, worker_args, **options):
        if count := requeue_stranded():
            self.stderr.write(
                f"Put {count} task(s) a stopped worker left half done back in the queue."
            )
        call_command("db_worker", *worker_args)
