"""What patients tell the clinic about the guide (issue 24): "Was this page helpful?", the
searches that found nothing and the searches whose results nobody opened. Counts per page or
query per day, and short comments: nothing that identifies a patient (no address, no time of
day, no cookie, no account).
"""
from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

# Sent by the search view (pages.guide.views.search) each time it renders a search:
# kwargs query (the cleaned words) and results (what it found). pages.feedback counts the
# searches with no results; the receiver is connected in pages/signals.py.
search_made = Signal()


class PageVote(models.Model):
    """Yes and No answers to "Was this page helpful?" for one page on one day."""

    path = models.CharField(_("page"), max_length=200)
    day = models.DateField(_("day"))
    yes = models.PositiveIntegerField(_("yes"), default=0)
    no = models.PositiveIntegerField(_("no"), default=0)

    class Meta:
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        constraints = [models.UniqueConstraint(fields=["path", "day"], name="one_page_vote_a_day")]

    def __str__(self):
        return f"{self.path} {self.day}"


class FeedbackComment(models.Model):
    """What a patient typed under "What were you looking for?", with the page, day and answer only."""

    MAX_LENGTH = 300

    path = models.CharField(_("page"), max_length=200)
    day = models.DateField(_("day"))
    helpful = models.BooleanField(_("helpful"))
    text = models.CharField(_("comment"), max_length=MAX_LENGTH)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("feedback comment")
        verbose_name_plural = _("feedback comments")

    def __str__(self):
        return self.text


class SearchMiss(models.Model):
    """How many searches for one query (normalised: lower case, single spaces) found nothing, on one day."""

    query = models.CharField(_("search words"), max_length=100)
    language = models.CharField(_("language"), max_length=8)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        verbose_name = _("search with no results")
        verbose_name_plural = _("searches with no results")
        constraints = [models.UniqueConstraint(fields=["query", "language", "day"], name="one_search_miss_a_day")]

    def __str__(self):
        return self.query


class SearchCount(models.Model):
    """How many searches for one query (normalised, as SearchMiss) showed results on one day, and
    how many of those results were opened (the results' links send a ping, pages.feedback.views).
    Clicks are at least this many: Firefox and some other browsers do not send pings."""

    query = models.CharField(_("search words"), max_length=100)
    language = models.CharField(_("language"), max_length=8)
    day = models.DateField(_("day"))
    searches = models.PositiveIntegerField(_("searches"), default=0)
    clicks = models.PositiveIntegerField(_("results opened"), default=0)

    class Meta:
        verbose_name = _("search with results")
        verbose_name_plural = _("searches with results")
        constraints = [models.UniqueConstraint(fields=["query", "language", "day"], name="one_search_count_a_day")]

    def __str__(self):
        return self.query
