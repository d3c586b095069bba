"""The staff's reports of what patients told the guide: per page, Yes and No counts and comments
over the last 30 and 90 days; the searches that found nothing, and those that showed results
nobody opened, most asked first, each with a "Draft an answer" link to a new FAQ answer (which
then waits for sign-off like any new answer)."""
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Q, Sum
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from serving.access import ReadOnlyAdminMixin

from ..models import FeedbackComment, PageVote, SearchCount, SearchMiss
from .recording import flush_counts, since

PERIODS = (30, 90)


class ReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A read-only report in place of the change list: counts are made by patients, not edited."""


class PageVoteAdmin(ReportAdmin):
    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        sums = {}
        for days in PERIODS:
            recent = Q(day__gte=since(days))
            sums[f"yes_{days}"] = Sum("yes", filter=recent, default=0)
            sums[f"no_{days}"] = Sum("no", filter=recent, default=0)
        rows = list(PageVote.objects.filter(day__gte=since(max(PERIODS))).values("path").annotate(**sums)
                    .order_by("-no_30", "-no_90", "path"))
        comments = {}
        for comment in FeedbackComment.objects.filter(day__gte=since(max(PERIODS))):
            comments.setdefault(comment.path, []).append(comment)
        for row in rows:
            row["comments"] = comments.pop(row["path"], [])
        return TemplateResponse(request, "admin/pages/feedback_report.html", {
            **self.admin_site.each_context(request),
            "title": _("Was this page helpful? What patients answered"),
            "opts": self.model._meta,
            "rows": rows,
        })


class SearchMissAdmin(ReportAdmin):
    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        days = 30 if request.GET.get("days") == "30" else 90
        flush_counts()  # this process's waiting counts (other processes write theirs within a minute)
        rows = list(SearchMiss.objects.filter(day__gte=since(days)).values("query", "language")
                    .annotate(total=Sum("count")).order_by("-total", "query"))
        # Searches that showed results and none was opened (as far as pings tell: "at least").
        no_click = list(SearchCount.objects.filter(day__gte=since(days)).values("query", "language")
                        .annotate(total=Sum("searches"), clicks=Sum("clicks"))
                        .filter(total__gt=0, clicks=0).order_by("-total", "query"))
        add = reverse("admin:pages_faqentry_add")
        for row in rows + no_click:
            # The admin's add form takes initial values from the query string.
            row["draft_url"] = f"{add}?{urlencode({'question': row['query'], 'language': row['language']})}"
        return TemplateResponse(request, "admin/pages/search_misses.html", {
            **self.admin_site.each_context(request),
            "title": _("Searches that found nothing"),
            "opts": self.model._meta,
            "rows": rows,
            "no_click": no_click,
            "days": days,
        })
