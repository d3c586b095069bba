"""The "Was this page helpful?" form's endpoint, POST /feedback/, and the search results' ping,
POST /feedback/search-click/."""
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from serving import rate_limit

from . import recording


def answer(request, message, status=200, page=None):
    return render(request, "pages/feedback_thanks.html", {"message": message, "back": page}, status=status)


# csrf_exempt, on purpose: the form is on every patient page, and those pages are served whole
# from the page cache to everyone (serving.middleware.PageCacheMiddleware). A CSRF token would
# need a cookie for each visitor, and a response that sets a cookie is never cached, so every
# page would be rendered for every visit. This endpoint does without a token because all it
# can do is add 1 to an anonymous count or store a short comment, and it guards itself:
# the Origin (or Referer) must be this site, the body is at most MAX_BODY bytes, and one client
# address may post at most FEEDBACK_PER_HOUR times an hour. It sets no cookie.
@csrf_exempt
@require_POST
def page_feedback(request):
    # One address for both languages: the answer is in the language of the page it came from.
    translation.activate(translation.get_language_from_path(str(request.POST.get("page", ""))) or
                         settings.LANGUAGE_CODE)
    if not recording.allowed_origin(request):
        return answer(request, _("This form can only be sent from a page of this guide. Nothing was saved."), 403)
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = recording.MAX_BODY + 1
    if size > recording.MAX_BODY:
        return answer(request, _("The comment is too long: at most 300 characters. Nothing was saved."), 413)
    if not recording.within_rate_limit(request):
        return answer(request, _("Thank you. We have had many answers from your connection in the last hour, "
                                 "so this one was not saved. Please try again later."), 429)
    page = recording.patient_page(request.POST.get("page"))
    helpful = request.POST.get("helpful")
    comment = request.POST.get("comment", "")
    if page is None:
        return answer(request, _("The page address (field “page”) is not a page of this guide. "
                                 "Nothing was saved."), 400)
    if helpful not in ("yes", "no"):
        return answer(request, _("Choose Yes or No (field “helpful”). Nothing was saved."), 400, page)
    if len(comment) > recording.FeedbackComment.MAX_LENGTH:
        return answer(request, _("The comment is too long: at most 300 characters. Nothing was saved."), 400, page)
    recording.record_vote(page, helpful == "yes", comment)
    return answer(request, _("Thank you. Your answer helps us improve this guide."), 200, page)


# csrf_exempt for the reasons above (the search page is cached whole, for everyone). What the
# ping can do is add 1 to an anonymous count, and only for a link the search page shows: the
# browser's Ping-To header must be a page of this site whose translation key is `to`. Browsers
# send a ping when a result link is followed (<a ping>, no JavaScript), as a POST with the body
# "PING"; Firefox sends none by default, so the counts of opened results are "at least".
@csrf_exempt
@require_POST
def search_click(request):
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = recording.MAX_BODY + 1
    if size > recording.MAX_BODY:
        return HttpResponse(status=413)
    seconds = recording.wait_before_counting(request, "search-click")
    if seconds:
        return rate_limit.too_many_requests(seconds)
    language = request.GET.get("lang", "")
    try:
        key = uuid.UUID(request.GET.get("to", ""))
    except ValueError:
        return HttpResponse(status=400)
    if language not in dict(settings.LANGUAGES) or not recording.clicked_page(request, key):
        return HttpResponse(status=400)
    recording.record_click(request.GET.get("q", ""), language)
    return HttpResponse(status=204)
