"""FAQ answers and conditions get a review date and reviewer, as topic pages have.

Rows that exist before this migration were never reviewed as answers or conditions, so no true
date is known. They are marked as due for review today (last reviewed one review interval ago)
with the reviewer "Not yet reviewed" (as ReviewedPage.mark_not_reviewed does), so they appear in
the admin's due list and in `review_due` until a clinical editor marks them reviewed (or load_content brings the dates from content/).
"""
import datetime

from django.conf import settings
from django.db import migrations, models

from pages.models import add_months

NOT_REVIEWED = "Not yet reviewed"


def due_today():
    return add_months(datetime.date.today(), -settings.REVIEW_INTERVAL_MONTHS)


def review_fields():
    return [
        ("last_reviewed", models.DateField(default=due_today, verbose_name="last reviewed")),
        ("reviewed_by", models.CharField(
            default=NOT_REVIEWED, help_text="The reviewer's role, e.g. Physical therapist, DPT.",
            max_length=200, verbose_name="reviewed by")),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("pages", "0006_topic_slug_not_reserved"),
    ]

    operations = [
        migrations.AddField(model_name=model, name=name, field=field, preserve_default=False)
        for model in ("faqentry", "historicalfaqentry", "condition", "historicalcondition")
        for name, field in review_fields()
    ]
