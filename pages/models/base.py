"""What every page patients read is made of: published or draft, reviewed by a clinician on a
cycle, and (for guide pages, answers and conditions) one row per language."""
import calendar
import contextvars
import datetime
import uuid
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from serving.cache import bump_content_version

doi_validator = RegexValidator(
    r"^10\.\d{4,9}/\S+$",
    _("Enter a DOI such as 10.2519/jospt.2017.7096 (without https://doi.org/)."),
)


def add_months(day, months):
    """The same day `months` later, or the month's last day when it is shorter (Jan 31 -> Feb 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def tel_uri(phone):
    """A phone number as written for people, as a tap-to-call link target."""
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


# --- The publishing gate's lock ------------------------------------------------------------
# Pages patients read (topics, answers, conditions and their translations) change only through
# the publishing gate, pages.signoff.gate, which decides whether a change goes live now or
# waits for a clinical editor. The lock lives here, below every area, so that a save from
# anywhere else (a new admin path, a script, a test that calls .save()) fails loudly instead
# of publishing. Migrations use historical models and fixtures save raw: neither reaches it.
_gate_holder = contextvars.ContextVar("pages_publishing_gate_holder", default=None)


class GateClosed(PermissionError):
    """A page patients read was written outside the publishing gate."""


@contextmanager
def gate_open(holder):
    """Let the block write pages patients read. Only pages.signoff.gate calls this, after it
    has decided the write may go live (`holder` says who: "approved", "load_content", ...)."""
    token = _gate_holder.set(holder)
    try:
        yield
    finally:
        _gate_holder.reset(token)


def check_gate_open(model):
    if _gate_holder.get() is None:
        raise GateClosed(
            f"{model._meta.label} is what patients read: it changes only through the publishing gate "
            "(pages.signoff.gate.submit / approve / remove / trusted_source), never by a direct save, "
            "update, delete or change of its relations.")


def check_relation_change_gated(sender, instance, action, reverse, model, **kwargs):
    """m2m_changed, connected for the relations of pages patients read (pages.signals): which
    references a page cites and which topics a condition links to are what patients read too,
    and `.add()`/`.set()`/`.clear()` save no row, so save()'s check never runs."""
    if action.startswith("pre_"):
        check_gate_open(model if reverse else type(instance))


class ContentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # update() sends no save signals, so it must clear the page cache itself.
        rows = super().update(**kwargs)
        bump_content_version()
        return rows


class PublishedQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Patients see published rows; staff also see drafts, to preview them."""
        return self if user.is_staff else self.published()


class TranslatableQuerySet(PublishedQuerySet):
    def in_language(self, language=None):
        """Rows written in `language` (default: the language of the current request)."""
        return self.filter(language=language or translation.get_language() or settings.LANGUAGE_CODE)

    def named(self, name):
        """The rows (one per language) of the page the code calls `name` (its content file's
        English slug), by its stable key: whatever its slug is now."""
        return self.filter(translation_key=stable_key(self.model, name))


class Translatable(models.Model):
    """A page that exists once per language: each translation is its own row (with its own
    history, drafts and review), sharing `translation_key` with its source, as Wagtail's
    TranslatableMixin models it. A translation also records `source_revision`, the revision
    of the English row it was made from, so the site can tell when the English has changed
    since (pages.translations.status)."""

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE, db_index=True
    )
    translation_key = models.UUIDField(
        _("translation key"), default=uuid.uuid4, editable=False,
        help_text=_("Shared by a page and its translations."),
    )

    # The fields a translator translates; a change to one of them in the source makes the
    # translation out of date.
    translatable_fields = ()
    url_name = ""

    class Meta:
        abstract = True

    def get_absolute_url(self):
        # Kept on the row for its slug and language: a list page asks each row for it three
        # times (its link, the 911 box check, structured data); reverse() was a fifth of /faq/.
        address = (self.language, self.slug)
        remembered = self.__dict__.get("_address")
        if remembered is None or remembered[0] != address:
            remembered = self._address = (address, _address_of(
                get_resolver(get_urlconf()), get_script_prefix(), self.url_name, self.language, self.slug))
        return remembered[1]


@lru_cache(maxsize=16384)
def _address_of(resolver, script_prefix, url_name, language, slug):
    """reverse() for a page's address, once per process for each page, language and slug: each
    row of a list page is a new object, and reversing its address was a tenth of /faq/. Keyed
    on the URL resolver and script prefix reverse() would use, so a changed URLconf (a test's
    override_settings, which makes a new resolver) or prefix is never answered from before."""
    if language == translation.get_language():
        return reverse(url_name, kwargs={"slug": slug})
    # A Spanish row lives under /es/ whatever language the current request is in.
    with translation.override(language):
        return reverse(url_name, kwargs={"slug": slug})


# Stable keys: a page the code names (the 911 answer, the questions the home page lists, the
# cost page) is found by its translation_key, never by its slug, so renaming it keeps every
# link, and another page given its old slug is never mistaken for it. load_content gives an
# English page from a file the key of its file's slug, uuid5(namespace, "<model>:<slug>"), and
# its translations share it; migration 0019 gave the rows already loaded the same keys.
STABLE_KEY_NAMESPACE = uuid.UUID("5f0c8a7e-3d2b-4c1a-9e6f-2a7b8c9d0e1f")


def stable_key(model, slug):
    """The translation_key of the page `model` loaded from the content file named `slug`."""
    return uuid.uuid5(STABLE_KEY_NAMESPACE, f"{model._meta.model_name}:{slug}")


def translation_constraints(model_name):
    return [
        models.UniqueConstraint(fields=["language", "slug"], name=f"unique_{model_name}_slug_per_language"),
        models.UniqueConstraint(fields=["translation_key", "language"], name=f"one_{model_name}_per_language"),
    ]


def source_revision_field(historical_model):
    return models.ForeignKey(
        historical_model, verbose_name=_("translated from revision"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
        help_text=_("The revision of the English page this translation was made from."),
    )


class ReviewedQuerySet(PublishedQuerySet):
    # Bulk writes skip save(): each checks the gate's lock itself.
    def update(self, **kwargs):
        check_gate_open(self.model)
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        check_gate_open(self.model)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        check_gate_open(self.model)
        return super().bulk_update(objs, *args, **kwargs)

    def delete(self):
        check_gate_open(self.model)
        return super().delete()

    def due_for_review(self, today):
        # Months differ in length (Feb 29 + 12 months is Feb 28), so the database only narrows
        # the rows, with a few days to spare, and next_review_due decides.
        latest = add_months(today, -settings.REVIEW_INTERVAL_MONTHS) + datetime.timedelta(days=3)
        return [page for page in self.filter(last_reviewed__lte=latest) if page.next_review_due <= today]


class Reviewed(models.Model):
    """Clinical text patients read: a clinician reviews it every REVIEW_INTERVAL_MONTHS."""

    last_reviewed = models.DateField(_("last reviewed"))
    reviewed_by = models.CharField(
        _("reviewed by"), max_length=200, help_text=_("The reviewer's role, e.g. Physical therapist, DPT.")
    )

    # Who reviewed a page that no clinician has reviewed yet (added by front desk, or there
    # before pages had review dates): it is dated so that its review is due at once.
    NOT_REVIEWED = "Not yet reviewed"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        check_gate_open(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Taking a page away is publishing too: patients lose it, and links to it answer 410.
        check_gate_open(type(self))
        return super().delete(*args, **kwargs)

    @property
    def next_review_due(self):
        return add_months(self.last_reviewed, settings.REVIEW_INTERVAL_MONTHS)

    @property
    def clinically_reviewed(self):
        """False until a clinician has reviewed the page (its date is then only a due date)."""
        return self.reviewed_by != self.NOT_REVIEWED

    def mark_not_reviewed(self, today):
        self.last_reviewed = add_months(today, -settings.REVIEW_INTERVAL_MONTHS)
        self.reviewed_by = self.NOT_REVIEWED


class ReviewedPage(Reviewed):
    """A page patients read: reviewed, and with or without the "Call 911" box."""

    red_flags = models.BooleanField(
        _("red flags"), default=False,
        help_text=_("Show the 'Call 911' box at the top: for pages about after-effects or warning signs."),
    )

    class Meta:
        abstract = True
