"""Staff-written text reaches <head> (title, meta content, JSON-LD) as text, never as markup.

Security finding 1 (issue 11): an FAQ answer `0;url=...x.html" http-equiv="refresh` became a
meta refresh on the cached page every visitor gets. Here every staff-editable field that can
reach <head> holds quotes, <, > and &, and the PARSED <head> of every page type must have
exactly the expected tags, with the text round-tripping.
"""
import json
from html.parser import HTMLParser

import pytest

from pages.models import Clinic, Condition, FaqEntry, Location, Topic
from tests.helpers import as_loaded

# Markdown leaves this alone (no emphasis, links or HTML), so a field's plain text is itself.
NASTY = 'It is called "dry." 0;url=http://127.0.0.1:8799/x.html" http-equiv="refresh \' a < b > c & d &amp;'

BOOKING = 'https://example.org/book?a="</script><b>&x=1'

# For fields too short for NASTY (phone, ZIP code: 20-40 characters, which PostgreSQL enforces).
SHORT_NASTY = '"\'<b>&x&amp;'


class Head(HTMLParser):
    """The <title>, the <meta> tags (each as its full attribute dict) and JSON-LD of a page's <head>."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.title, self.metas, self.json_ld, self.links = "", [], [], []
        self._in, self._done = None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        if tag == "meta":
            self.metas.append(dict(attrs))
        elif tag == "link":
            self.links.append(dict(attrs))
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._in = "json"
            self.json_ld.append("")
        elif tag == "body":
            self._done = True

    def handle_endtag(self, tag):
        if tag == "head":
            self._done = True
        self._in = None

    def handle_data(self, data):
        if self._done or self._in is None:
            return
        if self._in == "title":
            self.title += data
        else:
            self.json_ld[-1] += data

    def meta(self, key):
        found = [m for m in self.metas if m.get("name") == key or m.get("property") == key]
        assert len(found) == 1, f"{key}: {found}"
        return found[0]["content"]


@pytest.fixture
def nasty_content(loaded):
    """The small test site with NASTY in every staff-editable field that can reach <head>."""
    with as_loaded():
        Topic.objects.update(title=NASTY, summary=NASTY, reviewed_by=NASTY)
        FaqEntry.objects.update(question=NASTY, answer=NASTY)
        Condition.objects.update(name=NASTY, summary=NASTY, text=NASTY)
    Clinic.objects.update(name=NASTY, phone=SHORT_NASTY, email=NASTY, about=NASTY, booking_url=BOOKING)
    Location.objects.update(name=NASTY, street_address=NASTY, city=NASTY, region=NASTY, postal_code=SHORT_NASTY,
                            phone=SHORT_NASTY)
    return loaded


def paths():
    topic = Topic.objects.get().slug
    faq = FaqEntry.objects.get().slug
    condition = Condition.objects.get().slug
    return {
        "home": ("/", None, None),
        "guide": ("/guide/", None, None),
        "topic": (f"/{topic}/", NASTY, NASTY),
        "faq list": ("/faq/", None, None),
        # The answer is Markdown: its `&amp;` is an entity a reader sees as "&".
        "faq entry": (f"/faq/{faq}/", NASTY, NASTY.replace("&amp;", "&")),
        "condition list": ("/conditions/", None, None),
        "condition": (f"/conditions/{condition}/", NASTY, NASTY),
        "providers": ("/providers/", None, None),
        "locations": ("/locations/", None, None),
        "search": ("/search/?q=" + NASTY.replace("&", "%26"), None, None),
        "not found": ("/no-such-page/", None, None),
    }


EXPECTED_METAS = {"charset", "viewport", "description", "og:title", "og:description", "og:url", "og:type",
                  "og:site_name", "robots", "og:locale", "og:locale:alternate"}


@pytest.mark.parametrize("page", [
    "home", "guide", "topic", "faq list", "faq entry", "condition list", "condition", "providers",
    "locations", "search", "not found",
])
def test_staff_text_in_head_stays_text_on_every_page_type(client, nasty_content, page):
    path, title, description = paths()[page]
    response = client.get(path)
    assert response.status_code == (404 if page == "not found" else 200)
    head = Head(response.content.decode())

    for meta in head.metas:
        assert "http-equiv" not in meta, meta
        # Each tag has its key and its content, nothing smuggled in beside them.
        keys = set(meta) - {"content"}
        assert len(keys) == 1 and (keys & {"charset"} or meta.get("name") or meta.get("property")), meta
        assert (meta.get("name") or meta.get("property") or "charset") in EXPECTED_METAS, meta
    assert head.meta("og:site_name") == NASTY
    assert head.title.endswith(" | " + NASTY)
    page_title = head.title.removesuffix(" | " + NASTY)
    assert head.meta("og:title") == page_title
    assert head.meta("og:description") == head.meta("description")
    if title is not None:
        assert page_title == title
        assert head.meta("description") == description
    if page == "search":
        assert NASTY in page_title
    for block in head.json_ld:
        json.loads(block)  # still one whole JSON document (its values: test_json_ld_carries_...)


def test_faq_entry_description_is_the_answer_as_plain_text(client, loaded):
    with as_loaded():
        FaqEntry.objects.update(answer='It is called *"dry."* Ask [your therapist](/faq/) & rest.')
    head = Head(client.get(f"/faq/{FaqEntry.objects.get().slug}/").content.decode())
    assert head.meta("description") == 'It is called "dry." Ask your therapist & rest.'


def test_json_ld_carries_the_staff_text_whole(client, nasty_content):
    topic = Topic.objects.get()
    data = json.loads(Head(client.get(f"/{topic.slug}/").content.decode()).json_ld[0])
    assert data["name"] == data["description"] == data["reviewedBy"]["jobTitle"] == NASTY
    data = json.loads(Head(client.get("/").content.decode()).json_ld[0])
    assert data["name"] == data["address"][0]["streetAddress"] == NASTY
    assert data["telephone"] == data["department"][0]["telephone"] == SHORT_NASTY
    assert data["potentialAction"]["target"] == BOOKING
    data = json.loads(Head(client.get("/faq/").content.decode()).json_ld[0])
    assert data["mainEntity"][0]["name"] == NASTY
    assert data["mainEntity"][0]["acceptedAnswer"]["text"] == NASTY.replace("&amp;", "&")  # Markdown


def test_capture_keeps_text_not_markup_even_from_a_value_marked_safe():
    from django.template import Context, Template
    from django.utils.safestring import mark_safe

    template = Template('{% load site_tags %}{% capture as x %}<b>{{ v }}</b>{% endcapture %}<meta content="{{ x }}">')
    html = template.render(Context({"v": mark_safe('0;url=/x" http-equiv="refresh & &amp;')}))
    assert html == '<meta content="0;url=/x&quot; http-equiv=&quot;refresh &amp; &amp;">'
