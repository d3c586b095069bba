"""Issue 24: "Was this page helpful?" on every patient page, and the searches that found nothing,
counted without identifying anyone and shown to staff."""
import datetime

import pytest
from django.db import models

from pages.feedback import recording
from pages.models import FaqEntry, FeedbackComment, PageVote, SearchMiss
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

SITE = "https://clinic.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["clinic.example", "testserver"]


def send(client, page="/after-care/", helpful="yes", comment="", origin=SITE, **extra):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post("/feedback/", {"page": page, "helpful": helpful, "comment": comment}, **headers, **extra)


def test_every_patient_page_asks_with_a_plain_form_and_no_token(client, site_content):
    for path in ["/", "/after-care/", "/faq/will-i-bruise/", "/es/preguntas/", "/search/?q=bruise"]:
        html = client.get(path).content.decode()
        form = html.split('<form class="page-feedback"', 1)[1].split("</form>", 1)[0]
        assert 'method="post"' in form and 'action="/feedback/"' in form
        assert f'name="page" value="{path.split("?")[0]}"' in form
        assert 'name="helpful" value="yes"' in form and 'name="helpful" value="no"' in form
        assert 'maxlength="300"' in form and "csrfmiddlewaretoken" not in form
    assert "Please do not type your name or any health details" in client.get("/").content.decode()


def test_a_page_with_the_form_sets_no_cookie_and_stays_cached(client, site_content, django_assert_num_queries):
    first = client.get("/after-care/")
    assert not first.cookies
    with django_assert_num_queries(0):
        again = client.get("/after-care/")
    assert again.content == first.content and not again.cookies


def test_an_answer_is_counted_with_its_comment_and_sets_no_cookie(client, site_content):
    response = send(client, helpful="no", comment="  how long   to wait before a bath  ")
    assert response.status_code == 200 and not response.cookies
    assert "Thank you" in response.content.decode()
    send(client, helpful="yes")
    send(client, helpful="yes")
    vote = PageVote.objects.get(path="/after-care/", day=recording.today())
    assert (vote.yes, vote.no) == (2, 1)
    comment = FeedbackComment.objects.get()
    assert (comment.path, comment.helpful, comment.text) == ("/after-care/", False, "how long to wait before a bath")


def test_nothing_kept_can_identify_a_patient():
    for model in (PageVote, FeedbackComment, SearchMiss):
        names = {field.name for field in model._meta.get_fields()}
        assert not names & {"ip", "address", "client", "user", "user_agent", "session", "created", "time"}, model
        assert not any(isinstance(field, (models.GenericIPAddressField, models.DateTimeField, models.ForeignKey))
                       for field in model._meta.get_fields()), model


@pytest.mark.parametrize("origin, referer", [("https://evil.example", None), (None, None),
                                             (None, "https://evil.example/after-care/")])
def test_a_post_from_another_site_is_refused_and_saves_nothing(client, site_content, origin, referer):
    extra = {"HTTP_REFERER": referer} if referer else {}
    response = send(client, origin=origin, **extra)
    assert response.status_code == 403
    assert not PageVote.objects.exists()


def test_a_browser_that_sends_only_a_referer_from_the_site_is_counted(client, site_content):
    assert send(client, origin=None, HTTP_REFERER=SITE + "/after-care/").status_code == 200
    assert PageVote.objects.get().yes == 1


def test_one_address_is_limited_so_a_script_cannot_flood_it(client, site_content, settings):
    settings.FEEDBACK_PER_HOUR = 3
    assert [send(client).status_code for _ in range(5)] == [200, 200, 200, 429, 429]
    assert PageVote.objects.get().yes == 3
    # Another client address is counted.
    assert send(client, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert PageVote.objects.get().yes == 4


@pytest.mark.parametrize("fields, status, message", [
    ({"comment": "x" * 301}, 400, "at most 300 characters"),
    ({"page": "/no-such-page/"}, 400, "field “page”"),
    ({"page": "https://evil.example/"}, 400, "field “page”"),
    ({"page": "/staff/links/"}, 400, "field “page”"),
    ({"helpful": "maybe"}, 400, "field “helpful”"),
])
def test_bad_input_says_which_field_and_saves_nothing(client, site_content, fields, status, message):
    response = send(client, **fields)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not PageVote.objects.exists() and not FeedbackComment.objects.exists()


def test_a_body_too_big_is_refused_before_it_is_read(client, site_content):
    response = send(client, comment="y" * 3000)
    assert response.status_code == 413
    assert not PageVote.objects.exists()


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"])
def test_only_post_is_accepted(client, site_content, method):
    response = client.generic(method, "/feedback/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert not PageVote.objects.exists()


def test_the_answer_is_in_the_language_of_the_page(client, site_content):
    html = send(client, page="/es/cuidados-despues/").content.decode()
    assert '<html lang="es">' in html and "Gracias" in html
    assert 'href="/es/cuidados-despues/"' in html


def test_staff_see_yes_and_no_per_page_over_30_and_90_days_with_comments(client, staff_client, site_content):
    send(client, helpful="no", comment="where to park")
    send(client, helpful="yes")
    PageVote.objects.create(path="/after-care/", day=recording.today() - datetime.timedelta(days=60), yes=5, no=7)
    PageVote.objects.create(path="/after-care/", day=recording.today() - datetime.timedelta(days=200), yes=50, no=70)
    html = staff_client.get("/admin/pages/pagevote/").content.decode()
    row = html.split('<a href="/after-care/">/after-care/</a>', 1)[1].split("</tr>", 1)[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:5]] == ["1", "1", "6", "8"]
    assert "where to park" in row


def test_every_staff_role_can_read_the_reports_but_not_change_them(client, site_content, make_staff):
    for role in ["Front desk", "Clinical editor", "Translator"]:
        staff = logged_in(make_staff(role.lower().replace(" ", "-"), role))
        assert staff.get("/admin/pages/pagevote/").status_code == 200
        assert staff.get("/admin/pages/searchmiss/").status_code == 200
        assert staff.get("/admin/pages/pagevote/add/").status_code == 403


def test_a_comment_is_shown_to_staff_as_text(client, staff_client, site_content):
    send(client, helpful="no", comment="<script>alert(1)</script>")
    html = staff_client.get("/admin/pages/pagevote/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_searches_that_find_nothing_are_counted_every_time_normalised(client, site_content):
    for words in ["Xyzzy  Plugh", " xyzzy plugh ", "xyzzy"]:
        page = client.get("/search/", {"q": words}).content.decode()
        assert "No pages match" in page or "We could not find" in page
    client.get("/search/", {"q": "xyzzy"})  # the same address again: not served from the cache
    counts = {miss.query: miss.count for miss in SearchMiss.objects.all()}
    assert counts == {"xyzzy plugh": 2, "xyzzy": 2}
    assert set(SearchMiss.objects.values_list("language", flat=True)) == {"en"}


def test_a_search_with_results_is_not_counted_and_stays_cached(client, site_content, django_assert_num_queries):
    client.get("/search/", {"q": "bruise"})
    with django_assert_num_queries(0):
        client.get("/search/", {"q": "bruise"})
    client.get("/search/")  # no words: nothing to count
    assert not SearchMiss.objects.exists()


def test_spanish_searches_are_counted_as_spanish(client, site_content):
    client.get("/es/buscar/", {"q": "xyzzy"})
    assert SearchMiss.objects.get().language == "es"


def test_staff_see_misses_by_count_with_a_draft_answer_link(client, staff_client, site_content):
    for words in ["xyzzy", "plugh", "plugh"]:
        client.get("/search/", {"q": words})
    SearchMiss.objects.create(query="old words", language="en", day=recording.today() - datetime.timedelta(days=120),
                              count=9)
    html = staff_client.get("/admin/pages/searchmiss/").content.decode()
    assert html.index("<td>plugh</td>") < html.index("<td>xyzzy</td>")
    assert "old words" not in html
    assert 'href="/admin/pages/faqentry/add/?question=plugh&amp;language=en"' in html
    form = staff_client.get("/admin/pages/faqentry/add/?question=plugh&language=en").content.decode()
    assert 'value="plugh"' in form
    assert FaqEntry.objects.filter(question="plugh").count() == 0
