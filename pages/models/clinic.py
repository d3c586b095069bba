"""The clinic that runs the site: its details, locations, opening hours and providers."""
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from ..text.markdown import validate_images_have_alt
from ..text.red_flags import unusual_letters, urgent_care_terms
from .base import ContentQuerySet, PublishedQuerySet, tel_uri


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

    def clean(self):
        errors = errors_of_plain_facts(self, ("name",))
        try:
            validate_phone(self.phone)
        except ValidationError as error:
            errors["phone"] = error.messages
        if errors:
            raise ValidationError(errors)

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

    def clean(self):
        errors = errors_of_plain_facts(self, ("name",))
        # Streets are named after hospitals ("200 Hospital Drive"): there the word is a place.
        errors.update(errors_of_plain_facts(self, ("street_address", "city", "region", "postal_code"),
                                            allowed={"hospital"}))
        if self.phone:
            try:
                validate_phone(self.phone)
            except ValidationError as error:
                errors["phone"] = error.messages
        if errors:
            raise ValidationError(errors)

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


# --- Notices: "Closed Dec 24-26" ------------------------------------------------------------
NOTICE_MAX_LENGTH = 200


def check_plain_fact(text, allowed=()):
    """Front-desk text patients read without a clinical editor's sign-off (a notice, the
    clinic's name and details, a location): one line of facts, in Latin letters, naming no
    warning sign and no place or number for urgent care (English or Spanish, typos, look-alike
    digits and hidden characters too). What to do about a sign is the "Call 911" box's job; a
    line that speaks of it could contradict the box on every page. Returns the problems."""
    problems = []
    if "\n" in text or "\r" in text:
        problems.append(_("Write it on one line."))
    letters = unusual_letters(text)
    if letters:
        problems.append(_("It has letters that are not Latin (%(letters)s): retype them.")
                        % {"letters": " ".join(letters)})
    terms = [term for term in urgent_care_terms(text) if term not in allowed]
    if terms:
        problems.append(_("It cannot mention warning signs or urgent care (%(words)s): what to do about them is in "
                          "the red-flag list, which every “Call 911” box shows, and changes only with a clinical "
                          "editor. Write opening hours, closures, addresses and prices here.")
                        % {"words": ", ".join(terms)})
    return problems


def validate_notice_text(text):
    """A notice is front-desk text shown on every page without sign-off (check_plain_fact)."""
    problems = check_plain_fact(text)
    if problems:
        raise ValidationError(problems, code="notice_red_flag")


def validate_phone(value):
    """A phone number patients tap to call: digits and the usual separators, 7 to 15 digits,
    never a number that starts with 911 (tapping "call the clinic" must never dial 911)."""
    digits = re.sub(r"\D", "", value)
    if re.search(r"[^0-9 +().\-]", value) or not 7 <= len(digits) <= 15:
        raise ValidationError(_("Write only the phone number, e.g. (555) 010-0100 or +1 555 010 0100."),
                              code="phone")
    if digits.startswith(("911", "1911")):
        raise ValidationError(_("A clinic number cannot start with 911."), code="phone_911")


def errors_of_plain_facts(obj, names, allowed=()):
    """{field: problems} for the plain-text fields of a clinic row (Model.clean)."""
    errors = {}
    for name in names:
        problems = check_plain_fact(getattr(obj, name) or "", allowed)
        if problems:
            errors[name] = problems
    return errors


class NoticeQuerySet(ContentQuerySet):
    def showing(self):
        return self.filter(showing=True)


class Notice(models.Model):
    """A short plain line every patient page shows between two times ("Closed Dec 24-26; for an
    emergency call 911"). Written by front desk, not clinical: it goes live without sign-off,
    so it is plain text, one line, at most NOTICE_MAX_LENGTH characters, and names no warning
    sign (validate_notice_text).

    The times are facts, kept once on this row; the words are per language (English here,
    others in NoticeTranslation, as Provider and ProviderTranslation): a closure can never be
    announced in one language and not the other. `showing` is what patient pages show: set
    when the notice is saved, and at its times by `publish_scheduled` (pages.signoff.scheduled),
    so a notice that starts or ends changes the content version and every cached page with it."""

    text = models.CharField(
        _("notice"), max_length=NOTICE_MAX_LENGTH, validators=[validate_notice_text],
        help_text=_("One plain line, in English, e.g. Closed December 24 to 26. Open again December 27 at 7:30."),
    )
    shows_from = models.DateTimeField(_("shows from"), help_text=_("In the clinic's time zone."))
    shows_until = models.DateTimeField(_("shows until"), help_text=_("In the clinic's time zone."))
    showing = models.BooleanField(
        _("showing now"), default=False, editable=False,
        help_text=_("Whether patient pages show it now (set at its times by publish_scheduled)."),
    )

    objects = NoticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["shows_from"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        # Saved inside its times: shown at once, not at the next run of publish_scheduled.
        self.showing = self.due_to_show(timezone.now())
        super().save(*args, **kwargs)

    def clean(self):
        if self.shows_from and self.shows_until and self.shows_until <= self.shows_from:
            raise ValidationError({"shows_until": _("The notice must end after it starts.")})

    def due_to_show(self, now):
        return self.shows_from <= now < self.shows_until

    def text_for(self, language):
        """(text, its language) for a page in `language`: its translation (from prefetched
        `translations`), else the English, which the page marks as English."""
        for translation in self.translations.all():
            if translation.language == language and translation.text:
                return translation.text, language
        return self.text, settings.LANGUAGE_CODE


class NoticeTranslation(models.Model):
    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(
        _("language"), max_length=10,
        choices=[(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE],
    )
    text = models.CharField(
        _("notice"), max_length=NOTICE_MAX_LENGTH, validators=[validate_notice_text],
        help_text=_("The same line in this language. Left out, patients reading it see the English."),
    )

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "language"], name="one_notice_text_per_language"),
        ]
        verbose_name = _("notice in another language")
        verbose_name_plural = _("notice in other languages")

    def __str__(self):
        return f"{self.notice} ({self.get_language_display()})"
