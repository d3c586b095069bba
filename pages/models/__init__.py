"""Every model of the site, under the one app label `pages` (as Wagtail's `wagtail/models/`).

One module per part of the clinic's site:
- base.py: what every page patients read shares (published, reviewed, one row per language);
- guide.py: topic pages, FAQ answers, conditions, references;
- clinic.py: the clinic, its locations and hours, its providers, its notices ("Closed Dec 24");
- pictures.py: uploaded images;
- redflags.py: the one list of warning signs and where to go for each;
- kit.py: what therapists hand out (reading lists, visit sheets);
- visitnotes.py: the visit sheet's after-care note for each area treated;
- signoff.py: changes waiting for a clinical editor;
- staff.py: what the site knows about a member of staff;
- feedback.py: what patients tell the clinic ("Was this page helpful?", searches that found nothing or no click).

The import rule (import-linter checks it in `make test`, see .importlinter): these modules
import Django, `serving` (plumbing) and `pages.text` (text with no database) only, never a
feature area of `pages` (guide, signoff, editing...), which all import from here. Signal
handlers are connected in PagesConfig.ready(), never as a side effect of importing a model.
"""
from .base import (
    ContentQuerySet,
    GateClosed,
    PublishedQuerySet,
    Reviewed,
    ReviewedPage,
    ReviewedQuerySet,
    Translatable,
    TranslatableQuerySet,
    add_months,
    check_gate_open,
    check_relation_change_gated,
    doi_validator,
    gate_open,
    stable_key,
    tel_uri,
)
from .clinic import (
    NOTICE_MAX_LENGTH,
    Clinic,
    Location,
    Notice,
    NoticeTranslation,
    OpeningHours,
    Provider,
    ProviderText,
    ProviderTranslation,
    Weekday,
)
from .feedback import FeedbackComment, PageVote, SearchCount, SearchMiss, search_made
from .guide import (
    CONDITION_QUESTIONS,
    COST_TOPIC,
    HOME_QUESTIONS,
    NAMED_ANSWERS,
    RESERVED_SLUGS,
    URGENT_ANSWER,
    Condition,
    FaqEntry,
    Reference,
    Topic,
    validate_topic_slug,
)
from .kit import ReadingList, VisitSheet
from .pictures import Image
from .redflags import Area, RedFlagList, format_signs, parse_signs
from .signoff import PendingChange
from .staff import StaffProfile
from .visitnotes import ELECTRIC, NOTE_CHOICES, VisitNote

__all__ = [
    "CONDITION_QUESTIONS", "COST_TOPIC", "ELECTRIC", "NOTE_CHOICES", "Area", "Clinic", "Condition",
    "ContentQuerySet", "FaqEntry", "FeedbackComment", "GateClosed", "HOME_QUESTIONS", "Image", "Location",
    "NAMED_ANSWERS", "NOTICE_MAX_LENGTH", "Notice", "NoticeTranslation",
    "OpeningHours", "PageVote", "PendingChange", "Provider", "ProviderText", "ProviderTranslation",
    "PublishedQuerySet", "RESERVED_SLUGS", "ReadingList", "RedFlagList", "Reference", "Reviewed", "ReviewedPage",
    "ReviewedQuerySet", "SearchCount", "SearchMiss", "StaffProfile", "Topic", "Translatable", "TranslatableQuerySet",
    "URGENT_ANSWER", "VisitNote", "VisitSheet", "Weekday", "add_months", "check_gate_open",
    "check_relation_change_gated", "doi_validator",
    "format_signs", "gate_open", "parse_signs", "search_made", "stable_key", "tel_uri", "validate_topic_slug",
]
