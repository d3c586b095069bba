import datetime

from django.core.management.base import BaseCommand

from pages.models import Topic


class Command(BaseCommand):
    help = "List topic pages whose clinical review is due (last reviewed + REVIEW_INTERVAL_MONTHS)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="Check as of this date (YYYY-MM-DD); default: today.")

    def handle(self, *args, today=None, **options):
        today = today or datetime.date.today()
        due = Topic.objects.order_by("last_reviewed").due_for_review(today)
        if not due:
            self.stdout.write(f"No page is due for review on {today}.")
            return
        self.stdout.write(f"{len(due)} page(s) due for review on {today}:")
        for topic in due:
            self.stdout.write(
                f"  /{topic.slug}/  due {topic.next_review_due}  (last reviewed {topic.last_reviewed}"
                f" by {topic.reviewed_by})"
            )
