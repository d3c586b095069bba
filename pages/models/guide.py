"""The guide itself: topic pages, FAQ answers, conditions, and the sources they cite."""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from ..text.markdown import validate_images_have_alt
from .base import (
    ContentQuerySet,
    ReviewedPage,
    ReviewedQuerySet,
    Translatable,
    TranslatableQuerySet,
    doi_validator,
    source_revision_field,
    translation_constraints,
)


class Reference(models.Model):
    """A published source that pages cite with `[@key]`."""

    key = models.SlugField(
        _("key"), unique=True, help_text=_("First author and year, e.g. gattie-2017.")
    )
    authors = models.CharField(_("authors"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(
        _("journal or publisher"), max_length=300
    )
    details = models.CharField(
        _("volume, issue and pages"), max_length=100, blank=True, help_text=_("e.g. 47(3):133-149")
    )
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[doi_validator])
    url = models.URLField(_("URL"), max_length=500, blank=True)
    note = models.TextField(
        _("what it found"), blank=True, help_text=_("For staff: a plain summary of the finding.")
    )

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self):
        return f"{self.authors} ({self.year}). {self.title}"

    @property
    def link(self):
        """Where a reader can find the source: the DOI resolver first, else the URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url


class TopicQuerySet(ReviewedQuerySet, TranslatableQuerySet):
    pass


class ConditionQuerySet(ReviewedQuerySet, TranslatableQuerySet):
    pass


# The pages the code names, by their content file's English slug: each is found by its stable
# key (pages.models.base.stable_key), whatever its slug is now.
URGENT_ANSWER = "when-to-call-911"  # the "Call 911" box, the home page and search link to it
# The questions patients ask most, first on the home page (issue 16).
HOME_QUESTIONS = ("does-it-hurt", "will-i-be-sore", "will-i-bruise", "what-are-the-risks", "how-many-visits",
                  "is-it-covered-by-insurance")
# What every condition page links to: does it hurt, is it safe, how many visits (issue 16).
CONDITION_QUESTIONS = ("does-it-hurt", "what-are-the-risks", "how-many-visits")
NAMED_ANSWERS = frozenset({URGENT_ANSWER, *HOME_QUESTIONS, *CONDITION_QUESTIONS})
# The clinic's page about cost: answers about cost listed there publish as cost answers do.
COST_TOPIC = "insurance-and-cost"

# First path segments the site itself uses; a topic at /<slug>/ must not hide them.
RESERVED_SLUGS = frozenset({
    "admin", "conditions", "faq", "feedback", "guide", "healthz", "locations", "markdownx", "media", "providers", "r",
    "references", "robots.txt", "search", "sitemap.xml", "staff", "static", "v",
    # The Spanish path words (pages/urls.py, translated in locale/es).
    "afecciones", "buscar", "guia", "preguntas", "terapeutas", "ubicaciones",
})


def validate_topic_slug(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("The site already uses the address /%(slug)s/. Choose another slug."),
            code="reserved_slug", params={"slug": slug},
        )


class Topic(Translatable, ReviewedPage):
    """One page of the guide, e.g. "What is dry needling?", at /<slug>/."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, validators=[validate_topic_slug])
    summary = models.TextField(
        _("summary"), help_text=_("One plain paragraph, shown at the top and in link previews.")
    )
    body = MarkdownxField(_("body"), validators=[validate_images_have_alt])
    menu_order = models.PositiveIntegerField(_("menu order"), default=100)
    published = models.BooleanField(_("published"), default=True)
    references = models.ManyToManyField(
        Reference, verbose_name=_("references"), blank=True, related_name="topics"
    )
    source_revision = source_revision_field("pages.HistoricalTopic")

    translatable_fields = ("title", "summary", "body")
    url_name = "pages:topic"

    history = HistoricalRecords(m2m_fields=[references])

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["menu_order", "title"]
        constraints = translation_constraints("topic")
        permissions = [
            ("review_topic", _("Can mark a topic page clinically reviewed")),
            # For every translatable page (topics, answers, conditions), as review_topic is.
            ("translate_topic", _("Can make a Spanish draft of a page, answer or condition")),
        ]
        verbose_name = _("topic page")
        verbose_name_plural = _("topic pages")

    def __str__(self):
        return self.title


class FaqQuerySet(ReviewedQuerySet, TranslatableQuerySet):
    def in_reading_order(self):
        """Grouped as the FAQ page shows them: categories in declaration order, then `order`."""
        rank = models.Case(*(models.When(category=value, then=index)
                             for index, value in enumerate(FaqEntry.Category.values)))
        return self.alias(category_rank=rank).order_by("category_rank", "order", "question")


class FaqEntry(Translatable, ReviewedPage):
    """One question and its answer, at /faq/<slug>/ and in the list at /faq/ (id="<slug>")."""

    class Category(models.TextChoices):
        # Declared in the order the FAQ page shows them.
        ABOUT = "about", _("About dry needling")
        SUITABILITY = "suitability", _("Is it right for me?")
        SESSION = "session", _("Your visit")
        SAFETY = "safety", _("Safety and side effects")
        AFTERCARE = "aftercare", _("After your visit")
        COST = "cost", _("Cost, insurance and referrals")

    question = models.CharField(_("question"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100)
    answer = MarkdownxField(_("answer"), validators=[validate_images_have_alt])
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    order = models.PositiveIntegerField(_("order"), default=100)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("read more in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq_entries",
    )
    published = models.BooleanField(_("published"), default=True)
    source_revision = source_revision_field("pages.HistoricalFaqEntry")

    history = HistoricalRecords()

    objects = FaqQuerySet.as_manager()

    translatable_fields = ("question", "answer")
    url_name = "pages:faq_entry"

    class Meta:
        ordering = ["category", "order", "question"]
        constraints = translation_constraints("faqentry")
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self):
        return self.question


class Condition(Translatable, ReviewedPage):
    """A condition the clinic treats, at /conditions/<slug>/."""

    class BodyRegion(models.TextChoices):
        # Declared top to bottom, the order the conditions page lists them.
        HEAD = "head", _("Head and jaw")
        NECK = "neck", _("Neck")
        SHOULDER = "shoulder", _("Shoulder")
        ARM = "arm", _("Arm, elbow and wrist")
        UPPER_BACK = "upper-back", _("Upper back")
        LOW_BACK = "low-back", _("Low back")
        HIP = "hip", _("Hip and buttock")
        LEG = "leg", _("Leg")
        FOOT = "foot", _("Foot")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    body_region = models.CharField(_("body region"), max_length=20, choices=BodyRegion.choices)
    summary = models.CharField(_("summary"), max_length=300)
    text = MarkdownxField(_("text"), validators=[validate_images_have_alt])
    topics = models.ManyToManyField(
        Topic, verbose_name=_("related topics"), blank=True, related_name="conditions"
    )
    published = models.BooleanField(_("published"), default=True)
    source_revision = source_revision_field("pages.HistoricalCondition")

    history = HistoricalRecords(m2m_fields=[topics])

    objects = ConditionQuerySet.as_manager()

    translatable_fields = ("name", "summary", "text")
    url_name = "pages:condition"

    class Meta:
        ordering = ["name"]
        constraints = translation_constraints("condition")
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")

    def __str__(self):
        return self.name
