"""Every model of the site, under the one app label `pages` (as Wagtail's `wagtail/models/`).

One module per part of the clinic's site:
- base.py: what every page patients read shares (published, reviewed, one row per language);
- guide.py: topic pages, FAQ answers, conditions, references;
- clinic.py: the clinic, its locations and hours, its providers;
- pictures.py: uploaded images;
- redflags.py: the one list of warning signs and where to go for each;
- kit.py: what therapists hand out (reading lists, visit sheets);
- signoff.py: changes waiting for a clinical editor;
- staff.py: what the site knows about a member of staff.

The import rule (import-linter checks it in `make test`, see .importlinter): these modules
import Django, `serving` (plumbing) and `pages.text` (text with no database) only, never a
feature area of `pages` (guide, signoff, editing...), which all import from here. Signal
handlers are connected in PagesConfig.ready(), never as a side effect of importing a model.
"""
from .base import (
    ContentQuerySet,
    PublishedQuerySet,
    Reviewed,
    ReviewedPage,
    ReviewedQuerySet,
    Translatable,
    TranslatableQuerySet,
    add_months,
    doi_validator,
    tel_uri,
)
from .clinic import Clinic, Location, OpeningHours, Provider, ProviderText, ProviderTranslation, Weekday
from .guide import RESERVED_SLUGS, Condition, FaqEntry, Reference, Topic, validate_topic_slug
from .kit import ReadingList, VisitSheet
from .pictures import Image
from .redflags import Area, RedFlagList, format_signs, parse_signs
from .signoff import PendingChange
from .staff import StaffProfile

__all__ = [
    "RESERVED_SLUGS", "Area", "Clinic", "Condition", "ContentQuerySet", "FaqEntry", "Image", "Location", "OpeningHours",
    "PendingChange", "Provider", "ProviderText", "ProviderTranslation", "PublishedQuerySet", "ReadingList",
    "RedFlagList", "Reference", "Reviewed", "ReviewedPage", "ReviewedQuerySet", "StaffProfile", "Topic", "Translatable",
    "TranslatableQuerySet", "VisitSheet", "Weekday", "add_months", "doi_validator", "format_signs", "parse_signs",
    "tel_uri", "validate_topic_slug",
]
