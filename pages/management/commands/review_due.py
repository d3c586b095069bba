import datetime

from django.core.management.base import BaseCommand

from pages.editing.review import pages_due_for_review


class Command(BaseCommand):
    help = ("List pages patients read (topics, FAQ answers, conditions) whose clinical review is due "
            "(last reviewed + REVIEW_INTERVAL_MONTHS).")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="Check as of this date (YYYY-MM-DD); default: today.")

    def handle(self, *args, today=None, **options):
        today = today or datetime.date.today()
        due = pages_due_for_review(today)
        if not due:
            self.stdout.write(f"No page is due for review on {today}.")
            return
        self.stdout.write(f"{len(due)} page(s) due for review on {today}:")
        for page in due:
            self.stdout.write(
                f"  {page.get_absolute_url()}  due {page.next_review_due}  (last reviewed {page.last_reviewed}"
                f" by {page.reviewed_by})"
            )
