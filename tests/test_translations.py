"""The Spanish edition: translations as rows, /es/ addresses, the language switch."""
import re

import pytest
from django.db import IntegrityError

from pages.models import Condition, FaqEntry, Topic

pytestmark = pytest.mark.django_db


def translate(row, **values):
    """A Spanish row for English `row`, made from its latest revision."""
    model = type(row)
    fields = {f.name: getattr(row, f.name) for f in model._meta.concrete_fields
              if f.name not in ("id", "language", "source_revision")}
    fields.update(values, language="es", source_revision=row.history.first())
    copy = model.objects.create(**fields)
    return copy


@pytest.fixture
def spanish(loaded):
    topic = Topic.objects.get(slug="what-is-dry-needling")
    es_topic = translate(topic, slug="que-es-la-puncion-seca", title="¿Qué es la punción seca?",
                         summary="Una aguja fina entra en un punto tenso del músculo.",
                         body="## ¿Qué es?\n\nPuede aliviar el dolor por un tiempo corto [@gattie-2017].")
    es_topic.references.set(topic.references.all())
    faq = FaqEntry.objects.get(slug="does-it-hurt")
    translate(faq, slug="duele", question="¿Duele?", answer="La mayoría siente un pinchazo.", topic=es_topic)
    return es_topic


def test_existing_rows_are_english_with_a_key_each(loaded):
    rows = list(Topic.objects.all()) + list(FaqEntry.objects.all()) + list(Condition.objects.all())
    assert {row.language for row in rows} == {"en"}
    assert len({row.translation_key for row in rows}) == len(rows)


def test_slug_is_unique_per_language_not_across_languages(loaded):
    topic = Topic.objects.get(slug="what-is-dry-needling")
    translate(topic, slug="what-is-dry-needling")  # the same slug in Spanish is allowed
    with pytest.raises(IntegrityError):
        translate(topic, slug="otra")  # a second Spanish version of the same page is not


def test_english_addresses_are_unchanged_and_english(client, spanish):
    for url in ["/", "/guide/", "/faq/", "/faq/does-it-hurt/", "/conditions/", "/conditions/neck-pain/",
                "/what-is-dry-needling/", "/search/?q=needle", "/providers/", "/locations/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode(), url


def test_spanish_page_is_under_es_with_its_spanish_slug(client, spanish):
    html = client.get("/es/que-es-la-puncion-seca/").content.decode()
    assert '<html lang="es">' in html
    assert "¿Qué es la punción seca?" in html
    assert "La mayoría siente un pinchazo." not in html or "/es/faq/duele/" in html


def test_lists_show_the_rows_of_the_page_language(client, spanish):
    english = client.get("/").content.decode()
    assert "¿Qué es la punción seca?" not in english
    spanish_home = client.get("/es/").content.decode()
    assert 'href="/es/que-es-la-puncion-seca/"' in spanish_home
    assert 'href="/what-is-dry-needling/"' not in spanish_home.split('id="guide-heading"')[1].split("</section>")[0]
    assert "/es/faq/duele/" in client.get("/es/faq/").content.decode()


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def test_hreflang_links_both_ways_and_back(client, spanish):
    english = client.get("/what-is-dry-needling/").content.decode()
    links = alternates(english)
    assert links["es"] == "http://127.0.0.1:8000/es/que-es-la-puncion-seca/"
    assert links["en"] == links["x-default"] == "http://127.0.0.1:8000/what-is-dry-needling/"
    spanish_page = client.get(links["es"].removeprefix("http://127.0.0.1:8000")).content.decode()
    assert alternates(spanish_page) == links
    assert '<link rel="canonical" href="http://127.0.0.1:8000/es/que-es-la-puncion-seca/">' in spanish_page
    assert '<meta property="og:locale" content="es_US">' in spanish_page
    assert '"inLanguage":"es"' in spanish_page


def test_language_switch_goes_to_the_same_page_in_the_other_language(client, spanish):
    english = client.get("/faq/does-it-hurt/").content.decode()
    assert '<a href="/es/faq/duele/" hreflang="es" lang="es">Español</a>' in english
    spanish_page = client.get("/es/faq/duele/").content.decode()
    assert '<a href="/faq/does-it-hurt/" hreflang="en" lang="en">English</a>' in spanish_page
    assert '<a href="/es/faq/" hreflang="es" lang="es">Español</a>' in client.get("/faq/").content.decode()


def test_spanish_address_of_an_untranslated_page_shows_the_english_under_a_notice(client, spanish):
    response = client.get("/es/conditions/neck-pain/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Neck pain" in html
    assert "translation-notice" in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/conditions/neck-pain/">' in html
    assert "es" not in alternates(html)  # no Spanish version to announce
    english = client.get("/conditions/neck-pain/").content.decode()
    assert 'href="/es/conditions/neck-pain/"' in english  # the switch says it is not translated yet


def test_english_slug_under_es_leads_to_the_spanish_version(client, spanish):
    response = client.get("/es/what-is-dry-needling/")
    assert response.status_code == 301
    assert response["Location"] == "/es/que-es-la-puncion-seca/"


def test_unknown_spanish_address_is_404(client, spanish):
    assert client.get("/es/no-such-page/").status_code == 404


def test_spanish_browser_is_offered_spanish_on_home_not_redirected(client, spanish):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert 'href="/es/"' in html and "language-offer" in html
    assert "Accept-Language" in response["Vary"]
    assert "language-offer" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_page_cache_keeps_languages_apart(client, spanish):
    assert '<html lang="es">' in client.get("/es/faq/").content.decode()
    assert '<html lang="en">' in client.get("/faq/").content.decode()
    assert '<html lang="es">' in client.get("/es/faq/").content.decode()
    # The same address asked by an English and a Spanish browser: one offers Spanish.
    assert "language-offer" in client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "language-offer" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_sitemap_lists_both_languages_with_alternates(client, spanish):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://127.0.0.1:8000/es/que-es-la-puncion-seca/</loc>" in xml
    assert ('<xhtml:link rel="alternate" hreflang="es" href="http://127.0.0.1:8000/es/que-es-la-puncion-seca/"/>'
            in xml)
    assert '<xhtml:link rel="alternate" hreflang="en" href="http://127.0.0.1:8000/what-is-dry-needling/"/>' in xml


def test_search_finds_pages_in_the_page_language(client, spanish):
    spanish_results = client.get("/es/search/", {"q": "pinchazo"}).content.decode()
    assert 'href="/es/faq/duele/"' in spanish_results
    assert "/es/faq/duele/" not in client.get("/search/", {"q": "pinchazo"}).content.decode()
    assert "/es/" not in client.get("/search/", {"q": "needle"}).content.decode().split("<main")[1].split("</main>")[0]
