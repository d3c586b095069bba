"""Which pages patients read are due for their clinical review."""
from ..models import Condition, FaqEntry, Topic

REVIEWED_MODELS = (Topic, FaqEntry, Condition)


def pages_due_for_review(today):
    """Topics, FAQ answers and conditions past their next review date, the longest overdue first."""
    due = [page for model in REVIEWED_MODELS for page in model.objects.due_for_review(today)]
    return sorted(due, key=lambda page: (page.last_reviewed, str(page)))
