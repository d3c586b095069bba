"""What every page patients read is made of: published or draft, reviewed by a clinician on a
cycle, and (for guide pages, answers and conditions) one row per language."""
import calendar
import datetime
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
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
        # A Spanish row lives under /es/ whatever language the current request is in.
        with translation.override(self.language):
            return reverse(self.url_name, kwargs={"slug": self.slug})


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
