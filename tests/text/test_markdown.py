from django.conf import settings

from pages.text.markdown import citation_label, cited_keys, render, render_markdown


def test_markdownx_preview_uses_the_site_pipeline():
    assert settings.MARKDOWNX_MARKDOWNIFY_FUNCTION == "pages.pictures.rendering.render_markdown"


def test_script_tags_are_removed_with_their_content():
    html = render_markdown("Hello <script>alert(1)</script> world")
    assert "<script" not in html
    assert "alert(1)" not in html


def test_event_handlers_are_removed():
    html = render_markdown('<img src="x.png" onerror="alert(1)" alt="x"> <a href="/" onclick="x()">a</a>')
    assert "onerror" not in html
    assert "onclick" not in html


def test_javascript_urls_are_removed_from_links_and_images():
    html = render_markdown("[click](javascript:alert(1)) ![x](javascript:alert(2))")
    assert "javascript:" not in html


def test_raw_iframes_are_removed():
    html = render_markdown('<iframe src="https://example.org"></iframe>')
    assert "iframe" not in html


def test_tables_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html


def test_footnotes_render_with_backlinks():
    html = render_markdown("Text[^1].\n\n[^1]: A note.")
    assert 'class="footnote"' in html
    assert "A note." in html


def test_headings_get_ids_and_are_listed_for_a_table_of_contents():
    rendered = render("## Does it hurt?\n\ntext\n\n### A detail")
    assert '<h2 id="does-it-hurt">' in rendered.html
    assert rendered.headings == ((2, "does-it-hurt", "Does it hurt?"), (3, "a-detail", "A detail"))


def test_a_level_one_heading_in_a_body_becomes_a_section_heading():
    html = render_markdown("# Title again")
    assert "<h1" not in html
    assert "<h2" in html


def test_external_links_get_rel_noopener_and_internal_links_do_not():
    html = render_markdown("[ext](https://example.org/) and [int](/faq/)")
    assert '<a href="https://example.org/" rel="noopener">ext</a>' in html
    assert '<a href="/faq/">int</a>' in html


def test_images_are_lazy_loaded():
    html = render_markdown("![A picture](/static/x.svg)")
    assert 'loading="lazy"' in html and 'alt="A picture"' in html


def test_citations_link_to_the_page_reference_list():
    html = render_markdown("Helps for a while [@gattie-2017].")
    assert '<a class="cite" href="#ref-gattie-2017">(Gattie 2017)</a>' in html


def test_cited_keys_are_listed_once_in_order_of_first_use():
    assert cited_keys("a [@b-2001] c [@a-2000] d [@b-2001]") == ["b-2001", "a-2000"]


def test_a_citation_key_with_a_letter_after_the_year_shows_as_author_and_year():
    assert citation_label("halle-2016a") == "Halle 2016a"
    assert "(Halle 2016a)" in render("Needling near the spine [@halle-2016a].").html
    assert "halle-2016a)" not in render("Needling near the spine [@halle-2016a].").html


def test_a_key_that_is_not_author_and_year_shows_as_written():
    assert citation_label("who-guideline") == "who-guideline"
    assert citation_label("smith-20x6") == "smith-20x6"
