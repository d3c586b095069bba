"""The Spanish edition: translations as rows, /es/ addresses, the language switch."""
import io
import re

import frontmatter
import pytest
from django.db import IntegrityError

from pages.content import ContentErrors, export_content, load_content, read_content
from pages.content.checking import stale_translations
from pages.models import Condition, FaqEntry, PendingChange, Topic
from pages.translations.status import fingerprint, staleness
from tests.helpers import as_loaded, write

pytestmark = pytest.mark.django_db


def translate(row, **values):
    """A Spanish row for English `row`, made from its latest revision."""
    model = type(row)
    fields = {f.name: getattr(row, f.name) for f in model._meta.concrete_fields
              if f.name not in ("id", "language", "source_revision")}
    fields.update(values, language="es", source_revision=row.history.first())
    with as_loaded():
        copy = model.objects.create(**fields)
    return copy


@pytest.fixture
def spanish(loaded):
    topic = Topic.objects.get(slug="what-is-dry-needling")
    es_topic = translate(topic, slug="que-es-la-puncion-seca", title="¿Qué es la punción seca?",
                         summary="Una aguja fina entra en un punto tenso del músculo.",
                         body="## ¿Qué es?\n\nPuede aliviar el dolor por un tiempo corto [@gattie-2017].")
    with as_loaded():
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
    assert "La mayoría siente un pinchazo." not in html or "/es/preguntas/duele/" in html


def test_lists_show_the_rows_of_the_page_language(client, spanish):
    english = client.get("/").content.decode()
    assert "¿Qué es la punción seca?" not in english
    spanish_home = client.get("/es/").content.decode()
    assert 'href="/es/que-es-la-puncion-seca/"' in spanish_home
    assert 'href="/what-is-dry-needling/"' not in spanish_home.split('id="guide-heading"')[1].split("</section>")[0]
    assert "/es/preguntas/duele/" in client.get("/es/preguntas/").content.decode()


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
    assert '<a href="/es/preguntas/duele/" hreflang="es">Español</a>' in english
    spanish_page = client.get("/es/preguntas/duele/").content.decode()
    assert '<a href="/faq/does-it-hurt/" hreflang="en">English</a>' in spanish_page
    assert '<a href="/es/preguntas/" hreflang="es">Español</a>' in client.get("/faq/").content.decode()


def test_spanish_address_of_an_untranslated_page_shows_the_english_under_a_notice(client, spanish):
    response = client.get("/es/afecciones/neck-pain/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Neck pain" in html
    assert "translation-notice" in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/conditions/neck-pain/">' in html
    assert "es" not in alternates(html)  # no Spanish version to announce
    english = client.get("/conditions/neck-pain/").content.decode()
    # The switch says, in Spanish, that the page is not translated yet.
    assert ('<li lang="es"><a href="/es/afecciones/neck-pain/" hreflang="es">Español</a> '
            '<span class="small">(esta página aún no está traducida)</span></li>') in english


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
    assert '<html lang="es">' in client.get("/es/preguntas/").content.decode()
    assert '<html lang="en">' in client.get("/faq/").content.decode()
    assert '<html lang="es">' in client.get("/es/preguntas/").content.decode()
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
    spanish_results = client.get("/es/buscar/", {"q": "pinchazo"}).content.decode()
    assert 'href="/es/preguntas/duele/"' in spanish_results
    assert "/es/preguntas/duele/" not in client.get("/search/", {"q": "pinchazo"}).content.decode()
    assert "/es/" not in client.get("/search/", {"q": "needle"}).content.decode().split("<main")[1].split("</main>")[0]


# --- Content files: content/es/<kind>/<slug>.md ----------------------------------------------

def english_hash(model, slug):
    return fingerprint(model, model.objects.get(language="en", slug=slug))


def write_spanish(root, source_hash):
    write(root, "es/topics/que-es-la-puncion-seca.md", f"""
        ---
        translation_of: what-is-dry-needling
        source_hash: {source_hash}
        title: ¿Qué es la punción seca?
        summary: Una aguja fina entra en un punto tenso del músculo.
        menu_order: 10
        last_reviewed: 2026-11-02
        reviewed_by: Fisioterapeuta, DPT
        references: [gattie-2017]
        ---
        ## ¿Qué es?

        Puede aliviar el dolor por un tiempo corto [@gattie-2017].
        """)
    write(root, "es/faq/duele.md", f"""
        ---
        translation_of: does-it-hurt
        source_hash: {source_hash}
        question: ¿Duele?
        category: session
        order: 10
        topic: que-es-la-puncion-seca
        last_reviewed: 2026-11-02
        reviewed_by: Fisioterapeuta, DPT
        ---
        La mayoría siente un pinchazo.
        """)


@pytest.fixture
def spanish_files(content_dir):
    load_content(content_dir)  # the English first, to know its fingerprints
    topic_hash = english_hash(Topic, "what-is-dry-needling")
    faq_hash = english_hash(FaqEntry, "does-it-hurt")
    write_spanish(content_dir, "HASH")
    for path, value in (("es/topics/que-es-la-puncion-seca.md", topic_hash), ("es/faq/duele.md", faq_hash)):
        file = content_dir / path
        file.write_text(file.read_text().replace("HASH", value))
    return content_dir


def test_load_content_reads_translations_linked_to_their_english_rows(spanish_files):
    report = load_content(spanish_files)
    assert sorted(report.created) == ["es/faq/duele", "es/topics/que-es-la-puncion-seca"]
    topic = Topic.objects.get(language="es", slug="que-es-la-puncion-seca")
    english = Topic.objects.get(language="en", slug="what-is-dry-needling")
    assert topic.translation_key == english.translation_key
    assert topic.source_revision == english.history.first()
    assert list(topic.references.values_list("key", flat=True)) == ["gattie-2017"]
    assert FaqEntry.objects.get(language="es", slug="duele").topic == topic
    assert staleness(topic) is None
    assert load_content(spanish_files).summary().endswith("nothing to change")


def test_translation_naming_an_unknown_english_file_is_refused_with_file_and_line(spanish_files):
    path = spanish_files / "es/faq/duele.md"
    path.write_text(path.read_text().replace("translation_of: does-it-hurt", "translation_of: does-it-sting"))
    with pytest.raises(ContentErrors) as raised:
        load_content(spanish_files)
    assert str(raised.value) == f"{path}:2: unknown English FAQ entry 'does-it-sting' in 'translation_of'"
    assert not FaqEntry.objects.filter(language="es").exists()


def test_translation_links_to_topics_in_its_own_language(spanish_files):
    path = spanish_files / "es/faq/duele.md"
    path.write_text(path.read_text().replace("topic: que-es-la-puncion-seca", "topic: what-is-dry-needling"))
    with pytest.raises(ContentErrors, match=r"duele.md:7: unknown topic 'what-is-dry-needling' in 'topic'"):
        load_content(spanish_files)


def test_two_translations_of_one_english_file_are_refused(spanish_files):
    write(spanish_files, "es/faq/duele-mucho.md", (spanish_files / "es/faq/duele.md").read_text())
    with pytest.raises(ContentErrors, match="duele.md:2: 'does-it-hurt' is already translated by duele-mucho.md"):
        load_content(spanish_files)


def test_check_content_reports_a_translation_whose_english_changed(spanish_files):
    from django.core.management import call_command

    english = spanish_files / "faq/does-it-hurt.md"
    english.write_text(english.read_text().replace("a deep ache", "a deep ache or a twitch"))
    stale = stale_translations(read_content(spanish_files)[0])
    new_hash = fingerprint(FaqEntry, {
        "question": "Does it hurt?", "answer": "Most people feel a small prick and a deep ache or a twitch."})
    assert [str(error) for error in stale] == [
        f"{spanish_files}/es/faq/duele.md:3: out of date since the English changed (does-it-hurt.md); update the "
        f"translation, then set source_hash: {new_hash}"
    ]
    out = io.StringIO()
    call_command("check_content", path=str(spanish_files), stdout=out)
    assert "es/faq/duele.md:3: out of date since the English changed" in out.getvalue()


def test_export_writes_translations_back_with_their_source(spanish_files, tmp_path):
    load_content(spanish_files)
    export_content(tmp_path / "out")
    exported = frontmatter.loads((tmp_path / "out/es/faq/duele.md").read_text())
    assert exported["translation_of"] == "does-it-hurt"
    assert exported["source_hash"] == english_hash(FaqEntry, "does-it-hurt")
    assert exported["topic"] == "que-es-la-puncion-seca"
    assert exported["question"] == "¿Duele?"
    assert not (tmp_path / "out/faq/duele.md").exists()
    assert load_content(tmp_path / "out").summary().endswith("nothing to change")


# --- Out of date: the English changed after the translation was made ------------------------

def edit_english(client_or_none=None):
    english = FaqEntry.objects.get(language="en", slug="does-it-hurt")
    english.answer = "Most people feel a small prick. Call us if the spot is red, hot or swelling."
    with as_loaded():
        english.save()
    return english


def test_editing_the_english_marks_the_translation_out_of_date_on_the_public_page(client, spanish):
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    assert staleness(spanish_answer) is None
    assert "translation-notice" not in client.get("/es/preguntas/duele/").content.decode()
    edit_english()
    html = client.get("/es/preguntas/duele/").content.decode()
    assert "translation-notice" in html
    assert 'href="/faq/does-it-hurt/"' in html.split("translation-notice")[1].split("</p>")[0]


def test_admin_home_lists_spanish_pages_to_update_with_the_english_diff(staff_client, spanish):
    assert "Spanish page" not in staff_client.get("/admin/").content.decode()
    edit_english()
    home = staff_client.get("/admin/").content.decode()
    assert "Spanish page to update (1)" in home
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    diff_url = f"/admin/pages/faqentry/{spanish_answer.pk}/english-changes/"
    assert f'href="{diff_url}"' in home
    diff = staff_client.get(diff_url).content.decode()
    assert "<del>prick and a deep ache.</del>" in diff
    assert "<ins>prick. Call us if the spot is red, hot or swelling.</ins>" in diff


def test_marking_the_translation_updated_clears_it_everywhere(client, staff_client, spanish):
    edit_english()
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    response = staff_client.post(f"/admin/pages/faqentry/{spanish_answer.pk}/english-changes/")
    assert response.status_code == 302
    assert staleness(FaqEntry.objects.get(pk=spanish_answer.pk)) is None
    assert "Spanish page" not in staff_client.get("/admin/").content.decode()
    assert "translation-notice" not in client.get("/es/preguntas/duele/").content.decode()


def test_mark_translation_updated_admin_action(staff_client, spanish):
    edit_english()
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    staff_client.post("/admin/pages/faqentry/", {
        "action": "mark_translation_updated", "_selected_action": [spanish_answer.pk]})
    assert staleness(FaqEntry.objects.get(pk=spanish_answer.pk)) is None


def test_front_desk_cannot_mark_a_translation_updated_without_change_permission(client, spanish, make_staff):
    edit_english()
    viewer = make_staff("viewer")
    from django.contrib.auth.models import Permission
    viewer.user_permissions.add(Permission.objects.get(codename="view_faqentry"))
    client.force_login(viewer)
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    url = f"/admin/pages/faqentry/{spanish_answer.pk}/english-changes/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403
    assert staleness(FaqEntry.objects.get(pk=spanish_answer.pk)) is not None


# --- The real content: every translated page reachable both ways ---------------------------

def test_every_spanish_page_and_its_english_page_link_to_each_other(client, site_content):
    translated = [row for model in (Topic, FaqEntry, Condition) for row in model.objects.filter(language="es")]
    assert len(translated) >= 7
    for spanish_row in translated:
        english_row = type(spanish_row).objects.get(language="en", translation_key=spanish_row.translation_key)
        english_html = client.get(english_row.get_absolute_url()).content.decode()
        assert '<html lang="en">' in english_html
        spanish_url = alternates(english_html)["es"]
        assert spanish_url.endswith(spanish_row.get_absolute_url())
        spanish_html = client.get(spanish_url.removeprefix("http://127.0.0.1:8000")).content.decode()
        assert '<html lang="es">' in spanish_html
        assert alternates(spanish_html)["en"].endswith(english_row.get_absolute_url())


def test_check_content_stamp_sets_the_english_fingerprint(spanish_files):
    from django.core.management import call_command

    english = spanish_files / "faq/does-it-hurt.md"
    english.write_text(english.read_text().replace("a deep ache", "a deep ache or a twitch"))
    assert stale_translations(read_content(spanish_files)[0])
    call_command("check_content", path=str(spanish_files), stamp=[str(spanish_files / "es/faq/duele.md")],
                 stdout=io.StringIO())
    assert stale_translations(read_content(spanish_files)[0]) == []


def test_admin_action_makes_an_unpublished_spanish_draft_from_the_english(staff_client, spanish):
    english = Topic.objects.get(slug="what-is-dry-needling", language="en")
    condition = Condition.objects.get(slug="neck-pain")
    staff_client.post("/admin/pages/condition/", {
        "action": "make_spanish_drafts", "_selected_action": [condition.pk]})
    draft = Condition.objects.get(language="es", translation_key=condition.translation_key)
    assert (draft.slug, draft.name, draft.published) == ("neck-pain", "Neck pain", False)
    assert draft.source_revision == condition.history.order_by("-history_date").first()
    assert staleness(draft) is None
    # A page that has a Spanish version already gets no second one.
    staff_client.post("/admin/pages/topic/", {"action": "make_spanish_drafts", "_selected_action": [english.pk]})
    assert Topic.objects.filter(language="es", translation_key=english.translation_key).count() == 1


def test_an_up_to_date_spanish_page_costs_no_more_queries_than_the_english(
        client, spanish, django_assert_max_num_queries, django_assert_num_queries):
    client.get("/es/")  # header and footer data cached
    with django_assert_max_num_queries(3):
        assert client.get("/es/que-es-la-puncion-seca/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/es/que-es-la-puncion-seca/").status_code == 200


def test_english_browser_on_the_spanish_home_is_not_offered_anything_odd(client, spanish):
    html = client.get("/es/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "language-offer" not in html
    assert '<a href="/" hreflang="en">English</a>' in html


def test_spanish_404_page_is_in_spanish_and_switches_to_the_english_home(client, spanish):
    response = client.get("/es/no-hay-tal-pagina/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert '<a href="/" hreflang="en">English</a>' in html


# --- Search in Spanish: without accents, patients' words --------------------------------------

def spanish_results(client, query):
    html = client.get("/es/buscar/", {"q": query}).content.decode()
    return re.findall(r'<h3><a href="(/es/[^"]+)"[^>]*>', html.split('id="main"')[1].split("</main>")[0])


@pytest.mark.parametrize("query", ["mandibula", "mandíbula", "MANDIBULA", "dolor de mandibula"])
def test_spanish_search_works_with_or_without_accents(client, site_content, query):
    assert spanish_results(client, query)[0] == "/es/afecciones/dolor-de-mandibula-atm/"


def test_spanish_search_finds_neck_pain_and_bruises(client, site_content):
    assert spanish_results(client, "dolor de cuello")[0] == "/es/afecciones/dolor-de-cuello/"
    assert "/es/cuidados-despues/" in spanish_results(client, "moreton")
    html = client.get("/es/buscar/", {"q": "moreton"}).content.decode()
    assert "<mark>moretón</mark>" in html  # highlighted as written


def test_accent_folding_keeps_english_search_as_it_was(client, site_content):
    html = client.get("/search/", {"q": "jaw"}).content.decode()
    assert 'href="/conditions/jaw-pain-tmj/"' in html


def test_untranslated_page_marks_its_english_text_as_english(client, spanish):
    html = client.get("/es/afecciones/neck-pain/").content.decode()
    notice, content = html.split('<div lang="en">', 1)
    assert "translation-notice" in notice and "<h1>Neck pain</h1>" in content
    assert "Ir al contenido principal" in notice  # the page's own chrome stays Spanish


def test_out_of_date_list_costs_two_queries_per_kind_and_one_per_stale_translation(
        spanish, django_assert_num_queries):
    from pages.translations.status import out_of_date

    edit_english()
    with django_assert_num_queries(3):
        assert [stale.translation.slug for stale in out_of_date(FaqEntry)] == ["duele"]
    with django_assert_num_queries(2):
        assert out_of_date(Topic) == []


def test_opening_an_out_of_date_translation_in_the_admin_says_so_with_a_link_to_the_changes(staff_client, spanish):
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    url = f"/admin/pages/faqentry/{spanish_answer.pk}/change/"
    assert "See what changed" not in staff_client.get(url).content.decode()
    edit_english()
    html = staff_client.get(url).content.decode()
    assert f'<a href="/admin/pages/faqentry/{spanish_answer.pk}/english-changes/">See what changed</a>' in html


def english_public_addresses():
    """Every address a patient reads in English: the fixed pages and every published row."""
    fixed = ["/", "/guide/", "/faq/", "/conditions/", "/providers/", "/locations/", "/search/?q=needle"]
    rows = [row.get_absolute_url() for model in (Topic, FaqEntry, Condition)
            for row in model.objects.published().filter(language="en")]
    return fixed + rows


def test_every_english_public_page_has_a_spanish_page_through_hreflang_and_back(client, site_content):
    addresses = english_public_addresses()
    assert len(addresses) > 70
    for address in addresses:
        english_html = client.get(address).content.decode()
        assert '<html lang="en">' in english_html, address
        spanish_url = alternates(english_html).get("es")
        assert spanish_url, f"{address} has no Spanish alternate"
        response = client.get(spanish_url.removeprefix("http://127.0.0.1:8000"))
        assert response.status_code == 200, spanish_url
        spanish_html = response.content.decode()
        assert '<html lang="es">' in spanish_html, spanish_url
        assert "translation-notice" not in spanish_html, f"{spanish_url} is the English under a notice"
        back = alternates(spanish_html)["en"].removeprefix("http://127.0.0.1:8000")
        assert back == address.split("?")[0] or back == address, (spanish_url, back)


# --- Spanish path words: /es/preguntas/, /es/afecciones/, ... ---------------------------------

SPANISH_PATHS = {
    "pages:guide": "/es/guia/", "pages:faq": "/es/preguntas/", "pages:conditions": "/es/afecciones/",
    "pages:search": "/es/buscar/", "pages:providers": "/es/terapeutas/", "pages:locations": "/es/ubicaciones/",
}


def test_spanish_addresses_use_spanish_path_words_and_english_ones_stay():
    from django.urls import reverse
    from django.utils import translation

    with translation.override("es"):
        assert {name: reverse(name) for name in SPANISH_PATHS} == SPANISH_PATHS
        assert reverse("pages:faq_entry", kwargs={"slug": "duele"}) == "/es/preguntas/duele/"
        assert reverse("pages:condition", kwargs={"slug": "dolor-de-cuello"}) == "/es/afecciones/dolor-de-cuello/"
        # Staff pages, reading lists and the files robots read keep their words.
        assert reverse("pages:link_builder") == "/es/staff/links/"
        assert reverse("pages:reading_list", kwargs={"code": "abc"}) == "/es/r/abc/"
    assert reverse("pages:faq_entry", kwargs={"slug": "does-it-hurt"}) == "/faq/does-it-hurt/"
    assert reverse("pages:search") == "/search/"


def test_spanish_pages_answer_at_their_spanish_path_words(client, spanish):
    for path in [*SPANISH_PATHS.values(), "/es/preguntas/duele/", "/es/afecciones/neck-pain/"]:
        response = client.get(path, {"q": "aguja"} if path == "/es/buscar/" else {})
        assert response.status_code == 200, path
        assert '<html lang="es">' in response.content.decode(), path
    assert client.get("/preguntas/").status_code == 404  # English keeps its own words


@pytest.mark.parametrize("old, new", [
    ("/es/guide/", "/es/guia/"),
    ("/es/faq/", "/es/preguntas/"),
    ("/es/faq/duele/", "/es/preguntas/duele/"),
    ("/es/conditions/", "/es/afecciones/"),
    ("/es/conditions/neck-pain/", "/es/afecciones/neck-pain/"),
    ("/es/search/?q=cuello", "/es/buscar/?q=cuello"),
    ("/es/providers/", "/es/terapeutas/"),
    ("/es/locations/?utm_source=email", "/es/ubicaciones/?utm_source=email"),
    ("/es/faq/?page=2", "/es/preguntas/?page=2"),
])
def test_old_spanish_addresses_with_english_path_words_redirect_permanently(client, spanish, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_language_switch_hreflang_and_sitemap_use_spanish_path_words(client, spanish):
    english = client.get("/faq/does-it-hurt/").content.decode()
    assert '<a href="/es/preguntas/duele/" hreflang="es">Español</a>' in english
    assert alternates(english)["es"] == "http://127.0.0.1:8000/es/preguntas/duele/"
    assert '<a href="/es/afecciones/" hreflang="es">Español</a>' in client.get("/conditions/").content.decode()
    assert '<a href="/es/buscar/" hreflang="es">Español</a>' in client.get("/search/").content.decode()
    spanish_list = client.get("/es/preguntas/").content.decode()
    assert '<a href="/faq/" hreflang="en">English</a>' in spanish_list
    assert alternates(spanish_list)["es"] == "http://127.0.0.1:8000/es/preguntas/"
    spanish_answer = client.get("/es/preguntas/duele/").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/es/preguntas/duele/">' in spanish_answer
    assert '"url":"http://127.0.0.1:8000/es/preguntas/duele/"' in spanish_answer
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://127.0.0.1:8000/es/preguntas/duele/</loc>" in xml
    assert "<loc>http://127.0.0.1:8000/es/ubicaciones/</loc>" in xml
    assert "/es/faq/" not in xml and "/es/conditions/" not in xml


def test_spanish_path_words_cannot_be_topic_slugs():
    from django.core.exceptions import ValidationError

    from pages.models import validate_topic_slug

    for word in ["guia", "preguntas", "afecciones", "buscar", "terapeutas", "ubicaciones"]:
        with pytest.raises(ValidationError):
            validate_topic_slug(word)


def test_check_content_names_a_spanish_link_with_english_path_words(spanish_files):
    from pages.content import gates as quality

    path = spanish_files / "es/faq/duele.md"
    path.write_text(path.read_text().replace("un pinchazo.", "un pinchazo. Vea [la lista](/es/faq/)."))
    problems = quality.check_links(read_content(spanish_files)[0])
    assert [p for p in problems if "duele.md" in p] == [
        f"{path}:11: link '/es/faq/' uses the English path words: write '/es/preguntas/'"]


# --- Links to the urgent answer: straight to the Spanish row when there is one ---------------

@pytest.fixture
def urgent_answer(loaded):
    """The urgent answer in English (the small test tree has none), and a red-flag page."""
    from pages.models import URGENT_ANSWER, stable_key
    from pages.models import FaqEntry as Faq

    with as_loaded():  # as load_content makes it from faq/when-to-call-911.md: with its stable key
        english = Faq.objects.create(slug="when-to-call-911", question="When should I call 911?",
                                     answer="Call 911 or go to the emergency department.", category="safety", order=1,
                                     last_reviewed="2026-11-02", reviewed_by="Physical therapist, DPT",
                                     translation_key=stable_key(Faq, URGENT_ANSWER))
        Topic.objects.filter(slug="what-is-dry-needling").update(red_flags=True)
    return english


def urgent_links(html):
    return re.findall(r'href="([^"]*(?:when-to-call-911|cuando-llamar-al-911)[^"]*)"', html)


def test_spanish_pages_link_straight_to_the_spanish_urgent_answer(client, spanish, urgent_answer):
    translate(urgent_answer, slug="cuando-llamar-al-911", question="¿Cuándo llamar al 911?",
              answer="Llame al 911 o vaya a la sala de emergencias.")
    with as_loaded():
        Topic.objects.filter(language="es").update(red_flags=True)
    home = client.get("/es/").content.decode()
    assert urgent_links(home) == ["/es/preguntas/cuando-llamar-al-911/"]
    page = client.get("/es/que-es-la-puncion-seca/").content.decode()  # its red-flag box
    assert urgent_links(page) == ["/es/preguntas/cuando-llamar-al-911/"]
    assert client.get("/es/preguntas/cuando-llamar-al-911/").status_code == 200  # no redirect hop
    # English pages are as they were.
    assert urgent_links(client.get("/").content.decode()) == ["/faq/when-to-call-911/"]
    assert urgent_links(client.get("/what-is-dry-needling/").content.decode()) == ["/faq/when-to-call-911/"]


def test_without_a_published_spanish_urgent_answer_the_link_is_the_english_slug_under_es(
        client, spanish, urgent_answer):
    with as_loaded():
        Topic.objects.filter(language="es").update(red_flags=True)
    assert urgent_links(client.get("/es/").content.decode()) == ["/es/preguntas/when-to-call-911/"]
    draft = translate(urgent_answer, slug="cuando-llamar-al-911", question="¿Cuándo llamar al 911?", published=False)
    assert urgent_links(client.get("/es/que-es-la-puncion-seca/").content.decode()) == [
        "/es/preguntas/when-to-call-911/"]
    assert draft.pk  # an unpublished draft is not linked
    response = client.get("/es/preguntas/when-to-call-911/")
    assert response.status_code == 200 and "translation-notice" in response.content.decode()


def test_answer_url_helper_costs_no_query_once_cached(spanish, urgent_answer, django_assert_num_queries):
    from django.utils import translation

    from pages.translations.status import answer_url

    with translation.override("es"):
        assert answer_url("when-to-call-911") == "/es/preguntas/when-to-call-911/"
        with django_assert_num_queries(0):
            assert answer_url("when-to-call-911") == "/es/preguntas/when-to-call-911/"
    with translation.override("en"):
        # Found by its stable key in English too (a renamed answer keeps its links): once cached.
        assert answer_url("when-to-call-911") == "/faq/when-to-call-911/"
        with django_assert_num_queries(0):
            assert answer_url("when-to-call-911") == "/faq/when-to-call-911/"


# --- Spanish search: Spanish stems, patients' words and red flags ------------------------------

def spanish_answer(english_slug, slug, question, answer):
    """The Spanish answer at `slug`: the translator's file once it is in content/es, else a
    row made here with a few of its words."""
    english = FaqEntry.objects.get(language="en", slug=english_slug)
    existing = FaqEntry.objects.filter(language="es", translation_key=english.translation_key).first()
    if existing is not None:
        assert existing.slug == slug and existing.published
        return existing
    return translate(english, slug=slug, question=question, answer=answer, topic=None)


@pytest.fixture
def spanish_answers(site_content):
    spanish_answer("will-i-bruise", "me-saldra-un-moreton", "¿Me saldrá un moretón?",
                   "Puede ser. Un moretón pequeño casi siempre se quita solo.")
    spanish_answer("is-it-covered-by-insurance", "la-cubre-el-seguro", "¿La punción seca la cubre el seguro?",
                   "Depende de su plan de seguro. Pregunte a su plan por los códigos 20560 y 20561.")
    return site_content


@pytest.mark.parametrize("query", ["moreton", "moretón", "moretones", "MORETÓN", "morado", "cardenal"])
def test_spanish_search_finds_the_bruise_answer(client, spanish_answers, query):
    assert spanish_results(client, query)[0] == "/es/preguntas/me-saldra-un-moreton/"


@pytest.mark.parametrize("query, first", [
    ("quijada", "/es/afecciones/dolor-de-mandibula-atm/"),
    ("me duele la quijada", "/es/afecciones/dolor-de-mandibula-atm/"),
    ("aseguranza", "/es/preguntas/la-cubre-el-seguro/"),
    ("cuánto cuesta", "/es/preguntas/la-cubre-el-seguro/"),  # or, once translated, the cost pages
    ("cuellos", "/es/afecciones/dolor-de-cuello/"),  # the Spanish stem finds "cuello"
])
def test_spanish_search_reaches_the_guides_words_from_patients_words(client, spanish_answers, query, first):
    # The Spanish guide page on insurance and cost, and the answer on cost, once their files are in.
    insurance_pages = {first, "/es/seguro-y-costo/", "/es/preguntas/cuanto-cuesta/"}
    assert spanish_results(client, query)[0] in (insurance_pages if "seguro" in first else {first})


@pytest.mark.parametrize("query", ["dolor de pecho", "falta de aire", "no puedo respirar", "me ahogo",
                                   "pulmón", "entumecido entre las piernas"])
def test_spanish_red_flag_words_put_the_spanish_urgent_answer_first(client, spanish_answers, query):
    spanish_answer("when-to-call-911", "cuando-llamar-al-911", "¿Cuándo debo llamar al 911?",
                   "Llame al 911 o vaya a la sala de emergencias.")
    html = client.get("/es/buscar/", {"q": query}).content.decode()
    assert spanish_results(client, query)[0] == "/es/preguntas/cuando-llamar-al-911/"
    assert "urgent-line" in html


@pytest.mark.parametrize("query", ["tengo fiebre", "calentura", "hinchazón", "tiene pus"])
def test_spanish_clinic_signs_put_the_spanish_answer_on_calling_the_clinic_first(client, spanish_answers, query):
    # Fever is not a 911 sign: the answer that speaks about it says where to go (issue 24).
    spanish_answer("when-to-call-the-clinic", "cuando-llamar-a-la-clinica", "¿Cuándo debo llamar a la clínica?",
                   "Llame a la clínica si tiene fiebre.")
    html = client.get("/es/buscar/", {"q": query}).content.decode()
    assert spanish_results(client, query)[0] == "/es/preguntas/cuando-llamar-a-la-clinica/"
    assert "clinic-line" in html and "urgent-line" not in html.split('<ol class="search-results">', 1)[1]


def test_without_a_spanish_urgent_answer_the_english_one_comes_first(client, spanish_answers):
    english = FaqEntry.objects.get(language="en", slug="when-to-call-911")
    with as_loaded():
        FaqEntry.objects.filter(language="es", translation_key=english.translation_key).update(published=False)
    assert spanish_results(client, "dolor de pecho")[0] == "/es/preguntas/when-to-call-911/"
    # Not found by its English words in a Spanish search: only put first for a red flag.
    assert "/es/preguntas/when-to-call-911/" not in spanish_results(client, "emergency")
    assert "urgent-line" not in client.get("/es/buscar/", {"q": "dolor de cuello"}).content.decode()


def test_red_flag_words_in_the_english_box_put_the_urgent_answer_in_their_language_first(client, spanish_answers):
    # A patient who types Spanish into the English box still gets the 911 answer (issue 24).
    # The answer in the patient's language comes first.
    for query, first in (("chest pain", "/faq/when-to-call-911/"), ("pecho", "/es/preguntas/cuando-llamar-al-911/")):
        html = client.get("/search/", {"q": query}).content.decode()
        assert re.findall(r'<h3><a href="([^"]+)"[^>]*>', html)[0] == first
        assert "urgent-line" in html


# --- The Translator staff group ---------------------------------------------------------------

def test_translator_group_may_view_and_change_pages_but_not_add_delete_or_approve(db):
    from django.contrib.auth.models import Group

    granted = set(Group.objects.get(name="Translator").permissions.values_list("codename", flat=True))
    assert {"view_topic", "change_topic", "view_faqentry", "change_faqentry", "view_condition",
            "change_condition", "view_reference"} <= granted
    assert not granted & {"add_topic", "delete_topic", "delete_faqentry", "delete_condition", "approve_pendingchange",
                          "review_topic", "change_clinic", "change_reference"}


def test_translator_changes_to_clinical_text_wait_for_a_clinical_editor(spanish, make_staff):
    from pages.models import PendingChange
    from tests.helpers import logged_in, save_in_admin

    translator = logged_in(make_staff("traductora", group="Translator"))
    response = save_in_admin(translator, spanish, body="## ¿Qué es?\n\nUn texto nuevo [@gattie-2017].")
    assert response.status_code == 302
    spanish.refresh_from_db()
    assert "Un texto nuevo" not in spanish.body  # patients still see the approved text
    assert "Un texto nuevo" in PendingChange.objects.get().data["body"]


def test_translator_can_mark_a_translation_updated(spanish, make_staff):
    from tests.helpers import logged_in

    edit_english()
    translator = logged_in(make_staff("traductora", group="Translator"))
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    url = f"/admin/pages/faqentry/{spanish_answer.pk}/english-changes/"
    assert translator.get(url).status_code == 200
    assert translator.post(url).status_code == 302
    # Marking hides the public "the English changed" notice: like any change, it waits for a
    # clinical editor (issue 21), then goes live with their approval.
    assert staleness(FaqEntry.objects.get(pk=spanish_answer.pk)) is not None
    change = PendingChange.objects.get(status="pending")
    assert set(change.data) == {"source_revision"}
    clinician = logged_in(make_staff("clin", group="Clinical editor"))
    assert clinician.post(f"/admin/pages/pendingchange/{change.pk}/change/", {"note": ""}).status_code == 302
    assert staleness(FaqEntry.objects.get(pk=spanish_answer.pk)) is None


def test_once_marked_updated_the_translators_form_no_longer_asks_them_to_update_it(spanish, make_staff):
    # The mark waits for a clinical editor: until then the form says the text is waiting, not
    # "the English changed ... update this text, then mark the translation updated" again.
    from tests.helpers import logged_in

    edit_english()
    translator = logged_in(make_staff("traductora", group="Translator"))
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    form = f"/admin/pages/faqentry/{spanish_answer.pk}/change/"
    assert "then mark the translation updated" in translator.get(form).content.decode()
    translator.post(f"/admin/pages/faqentry/{spanish_answer.pk}/english-changes/")
    html = translator.get(form).content.decode()
    assert "then mark the translation updated" not in html
    assert "You are editing the text that is waiting for a clinical editor." in html


@pytest.mark.parametrize("path", ["/faq/", "/what-is-dry-needling/", "/conditions/", "/search/?q=bruise"])
def test_a_spanish_browser_is_offered_spanish_on_any_page_it_lands_on(client, spanish, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9")
    html = response.content.decode()
    assert '<html lang="en">' in html and "language-offer" in html
    assert "Accept-Language" in response["Vary"]
    assert "language-offer" not in client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_offer_leads_to_the_same_page_in_spanish(client, spanish):
    html = client.get("/what-is-dry-needling/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    offer = html[html.index("language-offer"):]
    assert 'href="/es/que-es-la-puncion-seca/"' in offer[:400]


def test_cached_pages_keep_the_offer_to_spanish_browsers_only(client, spanish, django_assert_num_queries):
    for _round in range(2):  # the second round is served from the page cache
        assert "language-offer" in client.get("/faq/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "language-offer" not in client.get("/faq/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with django_assert_num_queries(0):
        assert "language-offer" in client.get("/faq/", HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_the_english_changed_warning_gives_the_clinics_date_not_utcs(staff_client, spanish):
    # Edited at 9:31 p.m. in the clinic (Chicago) on Dec. 4: already Dec. 5 in UTC.
    import datetime
    from zoneinfo import ZoneInfo

    english = edit_english()
    evening = datetime.datetime(2026, 12, 4, 21, 31, tzinfo=ZoneInfo("America/Chicago"))
    english.history.filter(history_id=english.history.latest().history_id).update(history_date=evening)
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    html = staff_client.get(f"/admin/pages/faqentry/{spanish_answer.pk}/change/").content.decode()
    assert "The English changed on Dec. 4, 2026" in html


def test_what_changed_in_the_english_links_to_editing_the_translation(staff_client, spanish):
    # It offered the English page and "Mark translation updated", but not the way to the
    # Spanish text: an invitation to mark it without translating (a staff review).
    edit_english()
    spanish_answer = FaqEntry.objects.get(language="es", slug="duele")
    page = staff_client.get(f"/admin/pages/faqentry/{spanish_answer.pk}/english-changes/").content.decode()
    edit = f'href="/admin/pages/faqentry/{spanish_answer.pk}/change/">Edit this translation</a>'
    assert edit in page and page.index(edit) < page.index("Mark translation updated")
