"""Every model of the site, under the one app label `pages` (as Wagtail's `wagtail/models/`).

One module per part of the clinic's site:
- base.py: what every page patients read shares (published, reviewed, one row per language);
- guide.py: topic pages, FAQ answers, conditions, references;
- clinic.py: the clinic, its locations and hours, its providers;
- pictures.py: uploaded images;
- kit.py: what therapists hand out (reading lists);
- signoff.py: changes waiting for a clinical editor;
- staff.py: what the site knows about a member of staff;
- feedback.py: what patients tell the clinic ("Was this page helpful?", searches that found nothing).

The import rule (import-linter checks it in `make test`, see .importlinter): these modules
import Django, `serving` (plumbing) and `pages.text` (text with no database) only, never a
feature area of `pages` (guide, signoff, editing...), which all import from here. Signal
handlers are connected in PagesConfig.ready(), never as a side effect of importing a model.
"""
from .base import (
    ContentQuerySet,
    PublishedQuerySet,
    ReviewedPage,
    ReviewedQuerySet,
    Translatable,
    TranslatableQuerySet,
    add_months,
    doi_validator,
    tel_uri,
)
from .clinic import Clinic, Location, OpeningHours, Provider, ProviderText, ProviderTranslation, Weekday
from .feedback import FeedbackComment, PageVote, SearchMiss, search_made
from .guide import RESERVED_SLUGS, Condition, FaqEntry, Reference, Topic, validate_topic_slug
from .kit import ReadingList
from .pictures import Image
from .signoff import PendingChange
from .staff import StaffProfile

__all__ = [
    "RESERVED_SLUGS", "Clinic", "Condition", "ContentQuerySet", "FaqEntry", "FeedbackComment", "Image", "Location",
    "OpeningHours", "PageVote", "PendingChange", "Provider", "ProviderText", "ProviderTranslation",
    "PublishedQuerySet", "ReadingList", "Reference", "ReviewedPage", "ReviewedQuerySet", "SearchMiss",
    "StaffProfile", "Topic", "Translatable", "TranslatableQuerySet", "Weekday", "add_months", "doi_validator",
    "search_made", "tel_uri", "validate_topic_slug",
]
