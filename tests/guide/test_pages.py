import datetime
import re

import pytest
from django.urls import reverse

from pages.models import Condition, FaqEntry, Topic
from tests.helpers import as_loaded

pytestmark = pytest.mark.django_db


def h1_count(html):
    return len(re.findall(r"<h1[ >]", html))


def test_home_lists_the_published_topics(client, loaded):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/what-is-dry-needling/"' in response.content


def test_topic_page_has_one_h1_summary_review_line_and_references(client, loaded):
    html = client.get("/what-is-dry-needling/").content.decode()
    assert h1_count(html) == 1
    assert "A thin needle goes into a tight spot in a muscle." in html
    assert "Last reviewed Nov. 2, 2026 by Physical therapist, DPT." in html
    assert "Next review due Nov. 2, 2027." in html
    assert 'id="ref-gattie-2017"' in html
    assert 'href="https://doi.org/10.2519/jospt.2017.7096"' in html
    assert 'href="#ref-gattie-2017"' in html  # the in-text citation reaches the list


def test_long_topic_page_has_a_table_of_contents(client, loaded):
    html = client.get("/what-is-dry-needling/").content.decode()
    assert "On this page" in html
    assert 'href="#does-it-hurt"' in html and 'id="does-it-hurt"' in html


def test_page_html_declares_language_and_skip_link(client, loaded):
    html = client.get("/what-is-dry-needling/").content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main"' in html and 'id="main"' in html


def test_header_has_tap_to_call_and_footer_has_locations_and_hours(client, loaded):
    html = client.get("/").content.decode()
    assert 'href="tel:5550100"' in html
    assert "1 River Road" in html
    assert "Monday to Thursday" in html and "7:30 a.m." in html
    assert "Example site" in html  # example data is marked as such


def test_faq_page_groups_answers_and_gives_each_an_anchor(client, loaded):
    html = client.get("/faq/").content.decode()
    assert 'id="does-it-hurt"' in html
    assert "Your visit" in html
    assert 'href="/faq/does-it-hurt/"' in html


def test_single_faq_answer_has_its_own_page(client, loaded):
    response = client.get("/faq/does-it-hurt/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Does it hurt?</h1>" in html
    assert "small prick" in html


def test_conditions_list_groups_by_body_region_and_links_detail(client, loaded):
    html = client.get("/conditions/").content.decode()
    assert '<h2 id="neck">Neck</h2>' in html
    detail = client.get("/conditions/neck-pain/").content.decode()
    assert h1_count(detail) == 1
    assert 'href="/what-is-dry-needling/"' in detail


@pytest.mark.parametrize("url", ["/no-such-page/", "/faq/no-such-answer/", "/conditions/none/"])
def test_unknown_slug_gives_a_helpful_404(client, loaded, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can't find that page" in html
    assert 'href="/faq/"' in html and 'href="/"' in html


@pytest.mark.parametrize("model, url", [
    (Topic, "/what-is-dry-needling/"),
    (FaqEntry, "/faq/does-it-hurt/"),
    (Condition, "/conditions/neck-pain/"),
])
def test_unpublished_rows_are_hidden_from_patients(client, loaded, model, url):
    with as_loaded():
        model.objects.update(published=False)
    assert client.get(url).status_code == 404


def test_unpublished_topic_leaves_the_menu_and_home(client, loaded):
    with as_loaded():
        Topic.objects.update(published=False)
    assert b"/what-is-dry-needling/" not in client.get("/faq/").content


def test_unpublished_faq_answer_leaves_the_faq_page(client, loaded):
    with as_loaded():
        FaqEntry.objects.update(published=False)
    assert b"does-it-hurt" not in client.get("/faq/").content


def test_urls_are_short_and_stable():
    assert reverse("pages:topic", kwargs={"slug": "after-care"}) == "/after-care/"
    assert reverse("pages:faq_entry", kwargs={"slug": "does-it-hurt"}) == "/faq/does-it-hurt/"
    assert reverse("pages:condition", kwargs={"slug": "neck-pain"}) == "/conditions/neck-pain/"


def test_staff_markdown_cannot_inject_script_into_a_page(client, loaded):
    with as_loaded():
        Topic.objects.update(body='Hi <script>alert(1)</script> <img src=x onerror="alert(2)">')
    html = client.get("/what-is-dry-needling/").content.decode()
    assert "alert(" not in html


def test_every_page_of_the_real_guide_renders(client, site_content):
    urls = ["/", "/faq/", "/conditions/"]
    urls += [t.get_absolute_url() for t in Topic.objects.published()]
    urls += [f.get_absolute_url() for f in FaqEntry.objects.published()]
    urls += [c.get_absolute_url() for c in Condition.objects.published()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert h1_count(response.content.decode()) == 1, url


def test_home_cards_show_only_the_first_sentence_of_each_summary(client, loaded):
    with as_loaded():
        Topic.objects.update(summary="First sentence here. Second sentence is long and only on the page.")
    html = client.get("/").content.decode()
    assert "First sentence here." in html and "Second sentence is long" not in html
    assert "Second sentence is long" in client.get("/what-is-dry-needling/").content.decode()


def add_topics(count):

    with as_loaded():
        Topic.objects.bulk_create([
            Topic(title=f"Extra page {n}", slug=f"extra-{n}", summary="S.", body="B.", menu_order=100 + n,
                  last_reviewed=datetime.date(2026, 1, 1), reviewed_by="PT")
            for n in range(count)
        ])


def test_a_large_guide_menu_and_home_link_to_the_full_list_instead_of_every_page(client, loaded, settings):
    settings.MENU_TOPICS = 3
    add_topics(5)
    html = client.get("/faq/").content.decode()
    menu = html.split('id="guide-menu"')[1].split("</nav>")[0]
    assert menu.count('href="/extra-') == 2  # 3 pages in the menu: the first topic and 2 extras
    assert 'href="/guide/">All pages of the guide' in menu
    home = client.get("/").content.decode()
    assert home.split('class="cards"')[1].split("</ul>")[0].count('href="/extra-') == 2
    assert 'href="/guide/">See all pages of the guide' in home


def test_home_lists_the_guide_s_first_pages_and_links_the_rest(client, site_content):
    # Issue 24: every page listed made the home page 3.7 screens long on a phone.
    home = client.get("/").content.decode()
    cards = re.findall(r'<li class="card">\s*<h3><a href="([^"]+)"', home)
    first = [topic.get_absolute_url() for topic in Topic.objects.published().filter(language="en")]
    assert len(first) == 10 and cards == first[:7]
    assert "/after-care/" in cards
    assert 'href="/guide/">See all pages of the guide' in home


def test_guide_index_lists_every_page_in_pages_of_list_page_size(client, loaded, settings):
    settings.LIST_PAGE_SIZE = 4
    add_topics(5)  # 6 topics in all: pages of 4 and 2
    first = client.get("/guide/").content.decode()
    assert first.count('<li class="card">') == 4
    assert "Page 1 of 2" in first and 'href="?page=2" rel="next"' in first
    second = client.get("/guide/?page=2").content.decode()
    assert second.count('<li class="card">') == 2
    assert 'href="?page=1" rel="prev"' in second
    assert re.search(r'<link rel="canonical" href="http://[^/]+/guide/\?page=2">', second)
    assert "(page 2)" in second.split("</title>")[0]


@pytest.mark.parametrize("page", ["0", "abc", "999", "-1", "2" * 40])
def test_a_bad_page_number_gives_a_real_page_not_an_error(client, loaded, settings, page):
    settings.LIST_PAGE_SIZE = 1
    add_topics(2)
    response = client.get(f"/guide/?page={page}")
    assert response.status_code == 200
    assert response.content.count(b'<li class="card">') == 1


REVIEWED = {"last_reviewed": datetime.date(2026, 1, 1), "reviewed_by": "PT"}


def test_many_faq_answers_are_split_into_pages_in_category_order(client, loaded, settings):
    settings.LIST_PAGE_SIZE = 2
    with as_loaded():
        FaqEntry.objects.bulk_create([
            FaqEntry(question="What does it cost?", slug="cost-q", answer="A.", category="cost", order=1, **REVIEWED),
            FaqEntry(question="Is it for me?", slug="suit-q", answer="A.", category="suitability", order=1, **REVIEWED),
            FaqEntry(question="What is it?", slug="about-q", answer="A.", category="about", order=1, **REVIEWED),
        ])
    first = client.get("/faq/").content.decode()
    second = client.get("/faq/?page=2").content.decode()
    # Categories keep the order the page declares (about, suitability, session, ...), not A-Z.
    assert re.findall(r'<article class="faq" id="([\w-]+)"', first) == ["about-q", "suit-q"]
    assert re.findall(r'<article class="faq" id="([\w-]+)"', second) == ["does-it-hurt", "cost-q"]
    assert "Page 2 of 2" in second
    assert re.search(r'"FAQPage","url":"http://[^/]+/faq/\?page=2"', second)  # the data describes this page


def test_the_faq_list_asks_the_database_the_same_number_of_times_for_5_answers_as_for_53(
        client, site_content, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(page_size, mark):
        settings.LIST_PAGE_SIZE = page_size
        with CaptureQueriesContext(connection) as seen:
            html = client.get("/faq/", {"r": mark}).content.decode()  # a new address: not the page cache's
        return html.count('<article class="faq"'), len(seen)

    queries(60, "warm")  # the site's fragments (header, footer), remembered once
    five, at_five = queries(5, "five")
    all_of_them, at_all = queries(60, "all")
    assert (five, all_of_them) == (5, 53)
    assert at_all == at_five, "a query for each answer"


def test_the_real_faq_fits_on_one_page_with_no_page_links(client, site_content):
    html = client.get("/faq/").content.decode()
    english = FaqEntry.objects.published().filter(language="en")
    assert html.count('<article class="faq"') == english.count() == 53  # 48 + the five of issue 23
    assert 'class="pagination"' not in html
