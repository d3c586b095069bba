"""What the patient guide is made of.

Topic pages, FAQ entries and conditions are written in Markdown and rendered through
`pages.markdown`; references are the published sources they cite; the clinic and its
locations are the details printed in every page's header and footer.
"""
import calendar
import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from .cache import bump_content_version
from .markdown import validate_images_have_alt

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
    since (pages.translation)."""

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


class ReviewedQuerySet(PublishedQuerySet):
    def due_for_review(self, today):
        # Months differ in length (Feb 29 + 12 months is Feb 28), so the database only narrows
        # the rows, with a few days to spare, and next_review_due decides.
        latest = add_months(today, -settings.REVIEW_INTERVAL_MONTHS) + datetime.timedelta(days=3)
        return [page for page in self.filter(last_reviewed__lte=latest) if page.next_review_due <= today]


class ReviewedPage(models.Model):
    """A page patients read: a clinician reviews it every REVIEW_INTERVAL_MONTHS."""

    red_flags = models.BooleanField(
        _("red flags"), default=False,
        help_text=_("Show the 'Call 911' box at the top: for pages about after-effects or warning signs."),
    )

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


class TopicQuerySet(ReviewedQuerySet, TranslatableQuerySet):
    pass


class ConditionQuerySet(ReviewedQuerySet, TranslatableQuerySet):
    pass


# First path segments the site itself uses; a topic at /<slug>/ must not hide them.
RESERVED_SLUGS = frozenset({
    "admin", "conditions", "faq", "guide", "healthz", "locations", "markdownx", "media", "providers", "r",
    "references", "robots.txt", "search", "sitemap.xml", "staff", "static",
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
        permissions = [("review_topic", _("Can mark a topic page clinically reviewed"))]
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


class Clinic(models.Model):
    """The clinic that runs the site. The site shows the first (and normally only) row."""

    name = models.CharField(_("name"), max_length=200)
    example_data = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Tick while the details are made up: every page then says so."),
    )
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("email"))
    booking_url = models.URLField(_("booking link"), blank=True)
    about = MarkdownxField(_("about the clinic"), blank=True, validators=[validate_images_have_alt])

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clinic details")
        verbose_name_plural = _("clinic details")

    def __str__(self):
        return self.name

    @property
    def phone_uri(self):
        return tel_uri(self.phone)


class Location(models.Model):
    clinic = models.ForeignKey(
        Clinic, verbose_name=_("clinic"), on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("state"), max_length=100)
    postal_code = models.CharField(_("ZIP code"), max_length=20)
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("Leave empty to use the clinic's phone.")
    )
    order = models.PositiveIntegerField(_("order"), default=100)

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "slug"], name="unique_location_slug"),
        ]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self):
        return self.name

    @property
    def phone_number(self):
        return self.phone or self.clinic.phone

    @property
    def phone_uri(self):
        return tel_uri(self.phone_number)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """Opening hours for a run of days, e.g. Monday to Thursday, 7:30 to 18:00."""

    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.CASCADE, related_name="hours"
    )
    first_day = models.PositiveSmallIntegerField(_("from"), choices=Weekday.choices)
    last_day = models.PositiveSmallIntegerField(_("to"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_day", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return f"{self.get_first_day_display()}-{self.get_last_day_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        errors = {}
        if self.last_day is not None and self.first_day is not None and self.last_day < self.first_day:
            errors["last_day"] = _("The last day must not come before the first day.")
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            errors["closes"] = _("Closing time must be after opening time.")
        if errors:
            raise ValidationError(errors)


class Provider(models.Model):
    """A clinician who does dry needling, on the providers page."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    credentials = models.CharField(_("credentials"), max_length=100, help_text=_("e.g. PT, DPT"))
    role = models.CharField(_("role"), max_length=200, help_text=_("e.g. Physical therapist"))
    training = models.TextField(
        _("dry needling training"), help_text=_("Courses, hours and years of dry needling practice.")
    )
    bio = MarkdownxField(_("about"), blank=True, validators=[validate_images_have_alt])
    locations = models.ManyToManyField(Location, verbose_name=_("works at"), blank=True, related_name="providers")
    order = models.PositiveIntegerField(_("order"), default=100)
    published = models.BooleanField(_("published"), default=True)

    history = HistoricalRecords(m2m_fields=[locations])

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self):
        return f"{self.name}, {self.credentials}"

    def text_for(self, language):
        """The role, training and introduction to show in `language`: its translation if
        there is one (read from prefetched `translations`), else the English row's own."""
        for text in self.translations.all():
            if text.language == language:
                return text
        return ProviderText(self.role, self.training, self.bio, settings.LANGUAGE_CODE)


@dataclass(frozen=True)
class ProviderText:
    role: str
    training: str
    bio: str
    language: str


class ProviderTranslation(models.Model):
    """A provider's own words in another language: role, training and introduction. The facts
    (name, credentials, where they work) stay on the one Provider row, so a change to them
    can never be missing from one language."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(
        _("language"), max_length=10,
        choices=[(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE],
    )
    role = models.CharField(_("role"), max_length=200)
    training = models.TextField(_("dry needling training"))
    bio = MarkdownxField(_("about"), blank=True, validators=[validate_images_have_alt])

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "language"], name="one_provider_text_per_language"),
        ]
        verbose_name = _("provider text in another language")
        verbose_name_plural = _("provider texts in other languages")

    def __str__(self):
        return f"{self.provider.name} ({self.get_language_display()})"


class Image(models.Model):
    """A picture staff uploaded: a referral-pattern diagram, a clinic photo."""

    title = models.CharField(_("title"), max_length=200)
    file = models.ImageField(_("file"), upload_to="images/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "Describe what the picture shows for people who cannot see it. Required before the "
            "picture is used on a page."
        ),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title

    def markdown(self):
        """What to paste into a page: the picture with its alt text."""
        return f"![{self.alt_text}]({self.file.url})"


class ReadingList(models.Model):
    """Pages a therapist sends a patient as one short link, /r/<code>/.

    It holds page references only (by primary key, so a renamed page follows and a deleted
    one drops out) and nothing about the patient. `selection` is a hash of the sorted
    references: the same selection always finds the same list, and so the same code.
    """

    code = models.CharField(_("code"), max_length=12, unique=True, editable=False)
    selection = models.CharField(_("selection key"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topic pages"), blank=True, related_name="+")
    faq_entries = models.ManyToManyField(FaqEntry, verbose_name=_("FAQ entries"), blank=True, related_name="+")
    conditions = models.ManyToManyField(Condition, verbose_name=_("conditions"), blank=True, related_name="+")

    class Meta:
        ordering = ["-created"]
        verbose_name = _("reading list")
        verbose_name_plural = _("reading lists")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("pages:reading_list", kwargs={"code": self.code})


# Clinical sign-off keeps its model with its rules (pages/signoff.py).
from .signoff import PendingChange  # noqa: E402,F401
from .staff import StaffProfile  # noqa: E402,F401
