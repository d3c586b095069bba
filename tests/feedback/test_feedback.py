"""Issue 24: "Was this page helpful?" on every patient page, the searches that found nothing and
those whose results nobody opened, counted without identifying anyone and shown to staff."""
import datetime
import html as html_module
import re
import uuid

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from pages.feedback import recording
from pages.models import FaqEntry, FeedbackComment, PageVote, SearchCount, SearchMiss
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

SITE = "https://clinic.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["clinic.example", "testserver"]


@pytest.fixture(autouse=True)
def no_waiting_counts():
    # Search counts wait in the process until flush_counts(): none from another test.
    recording.forget_counts()
    yield
    recording.forget_counts()


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
    for model in (PageVote, FeedbackComment, SearchMiss, SearchCount):
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
    # The Therapist group came later (docs/staff.md says every role; a staff review found it left out).
    for role in ["Front desk", "Clinical editor", "Translator", "Therapist"]:
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
    recording.flush_counts()
    counts = {miss.query: miss.count for miss in SearchMiss.objects.all()}
    assert counts == {"xyzzy plugh": 2, "xyzzy": 2}
    assert set(SearchMiss.objects.values_list("language", flat=True)) == {"en"}


def test_a_search_with_results_is_not_counted_and_stays_cached(client, site_content, django_assert_num_queries):
    client.get("/search/", {"q": "bruise"})
    with django_assert_num_queries(0):
        client.get("/search/", {"q": "bruise"})
    client.get("/search/")  # no words: nothing to count
    recording.flush_counts()
    assert not SearchMiss.objects.exists()


def test_spanish_searches_are_counted_as_spanish(client, site_content):
    client.get("/es/buscar/", {"q": "xyzzy"})
    recording.flush_counts()
    assert SearchMiss.objects.get().language == "es"


def test_staff_see_misses_by_count_with_a_draft_answer_link(client, staff_client, site_content):
    for words in ["xyzzy", "plugh", "plugh"]:
        client.get("/search/", {"q": words})
    recording.flush_counts()
    SearchMiss.objects.create(query="old words", language="en", day=recording.today() - datetime.timedelta(days=120),
                              count=9)
    html = staff_client.get("/admin/pages/searchmiss/").content.decode()
    assert html.index("<td>plugh</td>") < html.index("<td>xyzzy</td>")
    assert "old words" not in html
    assert 'href="/admin/pages/faqentry/add/?question=plugh&amp;language=en"' in html
    form = staff_client.get("/admin/pages/faqentry/add/?question=plugh&language=en").content.decode()
    assert 'value="plugh"' in form
    assert FaqEntry.objects.filter(question="plugh").count() == 0


def test_a_search_that_finds_nothing_waits_for_no_database_write(client, site_content):
    # Issue 24's "cupping" cost 41 ms p50 at 6,000 rows: the miss's UPDATE and its commit, on
    # every such search. Counts are now written together, at most once a minute.
    client.get("/search/", {"q": "xyzzy"})  # the index is built
    with CaptureQueriesContext(connection) as queries:
        assert "We could not find" in client.get("/search/", {"q": "xyzzy"}).content.decode()
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert not SearchMiss.objects.exists()
    recording.flush_counts()
    assert SearchMiss.objects.get().count == 2


def test_counts_are_written_once_a_minute_in_one_go(client, site_content, monkeypatch):
    client.get("/search/", {"q": "xyzzy"})
    assert not SearchMiss.objects.exists()
    monkeypatch.setattr(recording, "FLUSH_SECONDS", 0)  # a minute has passed
    client.get("/search/", {"q": "plugh"})
    assert {miss.query: miss.count for miss in SearchMiss.objects.all()} == {"xyzzy": 1, "plugh": 1}


def results_with_pings(page):
    """[(href, ping address)] of the result links of a search page."""
    return [(href, html_module.unescape(ping))
            for href, ping in re.findall(r'<h3><a href="([^"]+)" ping="([^"]+)">', page)]


def ping(client, ping_url, to, sender="/search/?q=bruise", headers=None, **extra):
    """What a browser sends when a result link with `ping` is followed."""
    return client.post(ping_url, data="PING", content_type="text/ping",
                       headers={"Ping-To": to, "Ping-From": SITE + sender, **(headers or {})}, **extra)


def test_searches_with_results_are_counted_even_from_the_page_cache(client, site_content,
                                                                     django_assert_num_queries):
    assert "pages match" in client.get("/search/", {"q": "Bruise"}).content.decode()
    with django_assert_num_queries(0):  # still served from the page cache, whole
        client.get("/search/", {"q": "Bruise"})
    client.get("/search/", {"q": "bruise", "page": "2"})  # the same search, its next page
    client.get("/es/buscar/", {"q": "moretones"})
    recording.flush_counts()
    counts = {(row.query, row.language): (row.searches, row.clicks) for row in SearchCount.objects.all()}
    assert counts == {("bruise", "en"): (2, 0), ("moretones", "es"): (1, 0)}
    assert not SearchMiss.objects.exists()


def test_result_links_keep_the_page_address_and_ping_with_the_words_and_key(client, site_content):
    page = client.get("/search/", {"q": "Will I  BRUISE"}).content.decode()
    links = results_with_pings(page)
    assert links, page
    bruise = FaqEntry.objects.get(language="en", slug="will-i-bruise")
    assert ("/faq/will-i-bruise/",
            f"{SITE}/feedback/search-click/?q=will+i+bruise&lang=en&to={bruise.translation_key}") in links
    assert "<script" not in page.split("<main", 1)[1]


def test_an_opened_result_is_counted_answering_204_with_no_cookie(client, site_content):
    href, ping_url = results_with_pings(client.get("/search/", {"q": "bruise"}).content.decode())[0]
    response = ping(client, ping_url, SITE + href)
    assert response.status_code == 204 and not response.cookies and response.content == b""
    # The Spanish box's results are counted as Spanish.
    href_es, ping_es = results_with_pings(client.get("/es/buscar/", {"q": "moretones"}).content.decode())[0]
    assert ping(client, ping_es, "http://testserver" + href_es, sender="/es/buscar/?q=moretones").status_code == 204
    recording.flush_counts()
    counts = {(row.query, row.language): (row.searches, row.clicks) for row in SearchCount.objects.all()}
    assert counts == {("bruise", "en"): (1, 1), ("moretones", "es"): (1, 1)}


@pytest.mark.parametrize("change", ["other host", "other page", "query in target", "no key", "bad language",
                                    "other sender"])
def test_a_ping_that_is_not_a_result_link_of_the_site_is_refused(client, site_content, change):
    href, ping_url = results_with_pings(client.get("/search/", {"q": "bruise"}).content.decode())[0]
    to, headers = SITE + href, {}
    if change == "other host":
        to = "https://evil.example" + href
    elif change == "other page":
        to = SITE + "/after-care/"  # a page of the site, but not the result with this key
    elif change == "query in target":
        to = SITE + href + "?utm=1"
    elif change == "no key":
        ping_url = ping_url.split("&to=")[0]
    elif change == "bad language":
        ping_url = ping_url.replace("lang=en", "lang=xx")
    else:
        headers = {"Ping-From": "https://evil.example/"}
    assert ping(client, ping_url, to, headers=headers).status_code == 400
    recording.flush_counts()
    assert SearchCount.objects.get().clicks == 0


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_the_ping_address_takes_only_post(client, site_content, method):
    assert getattr(client, method)(f"/feedback/search-click/?q=bruise&lang=en&to={uuid.uuid4()}").status_code == 405


def test_pings_are_limited_per_client_address(client, site_content, monkeypatch):
    monkeypatch.setattr(recording, "COUNTED_PER_WINDOW", 3)
    href, ping_url = results_with_pings(client.get("/search/", {"q": "bruise"}).content.decode())[0]
    statuses = [ping(client, ping_url, SITE + href).status_code for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]
    assert ping(client, ping_url, SITE + href).has_header("Retry-After")
    assert ping(client, ping_url, SITE + href, REMOTE_ADDR="192.0.2.7").status_code == 204  # another address
    recording.flush_counts()
    assert SearchCount.objects.get().clicks == 1  # 4 counted pings, but never more clicks than searches


def test_one_address_cannot_flood_the_search_counts(client, site_content, monkeypatch):
    monkeypatch.setattr(recording, "COUNTED_PER_WINDOW", 3)
    for _ in range(5):
        assert client.get("/search/", {"q": "bruise"}).status_code == 200  # always served
    recording.flush_counts()
    assert SearchCount.objects.get().searches == 3


def test_nothing_identifying_is_kept_for_a_search_or_a_click(client, site_content):
    href, ping_url = results_with_pings(client.get("/search/", {"q": "bruise"}, REMOTE_ADDR="203.0.113.9")
                                        .content.decode())[0]
    ping(client, ping_url, SITE + href, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Patient-Phone/1.0")
    recording.flush_counts()
    row = SearchCount.objects.values().get()
    assert set(row) == {"id", "query", "language", "day", "searches", "clicks"}
    assert (row["query"], row["searches"], row["clicks"]) == ("bruise", 1, 1)
    from django.core.cache import cache
    stored = repr(getattr(cache, "_cache", {})) + repr(dict(recording._pending))
    assert "203.0.113.9" not in stored and "Patient-Phone" not in stored


def test_a_query_with_an_opened_result_leaves_the_no_click_list(client, staff_client, site_content):
    for words in ["bruise", "needle", "needle"]:
        client.get("/search/", {"q": words})
    recording.flush_counts()
    report = staff_client.get("/admin/pages/searchmiss/").content.decode()
    no_click = report.split('id="no-click"', 1)[1]
    assert no_click.index("<td>needle</td>") < no_click.index("<td>bruise</td>")  # most searched first
    assert 'href="/admin/pages/faqentry/add/?question=needle&amp;language=en"' in no_click
    assert "at least" in no_click and "Firefox" in no_click
    href, ping_url = results_with_pings(client.get("/search/", {"q": "bruise"}).content.decode())[0]
    assert ping(client, ping_url, SITE + href).status_code == 204
    recording.flush_counts()
    no_click = staff_client.get("/admin/pages/searchmiss/").content.decode().split('id="no-click"', 1)[1]
    assert "<td>needle</td>" in no_click and "<td>bruise</td>" not in no_click


def test_the_report_includes_counts_still_waiting_in_the_process(client, staff_client, site_content):
    client.get("/search/", {"q": "xyzzy"})
    client.get("/search/", {"q": "needle"})
    report = staff_client.get("/admin/pages/searchmiss/").content.decode()
    assert "<td>xyzzy</td>" in report.split('id="no-click"')[0]
    assert "<td>needle</td>" in report.split('id="no-click"')[1]


def test_a_forged_ping_stores_no_words_nobody_searched_for_and_no_more_clicks_than_searches(client, site_content):
    # A security review: a ping with q=<a name, a birth date, a phone number> stored those words.
    href, ping_url = results_with_pings(client.get("/search/", {"q": "bruise"}).content.decode())[0]
    forged = ping_url.replace("q=bruise", "q=jane+doe+dob+1980+01+02+555+0142")
    assert forged != ping_url
    ping(client, forged, SITE + href)
    for _ in range(3):
        ping(client, ping_url, SITE + href)
    recording.flush_counts()
    rows = {row.query: (row.searches, row.clicks) for row in SearchCount.objects.all()}
    assert rows == {"bruise": (1, 1)}
