"""The "Call 911" box, the 911 answer and the search snippet show the one red-flag list in full."""
import html as html_module
import re

import pytest

from pages.models import RedFlagList, parse_signs
from tests.helpers import as_loaded

pytestmark = pytest.mark.django_db


def box_of(page):
    match = re.search(r'<aside class="red-flags".*?</aside>', page, re.S)
    assert match, "no red-flag box"
    return html_module.unescape(match.group(0))


def listed(language):
    row = RedFlagList.objects.get(language=language)
    return row, [sign for sign, _areas in parse_signs(row.emergency_signs) + parse_signs(row.clinic_signs)]


@pytest.mark.parametrize("url, language", [
    ("/after-care/", "en"), ("/conditions/neck-pain/", "en"), ("/faq/collapsed-lung/", "en"),
    ("/es/cuidados-despues/", "es"), ("/es/preguntas/pulmon-colapsado/", "es"),
])
def test_the_box_on_a_red_flag_page_shows_the_whole_list_of_its_language(client, site_content, url, language):
    row, signs = listed(language)
    box = box_of(client.get(url).content.decode())
    assert len(signs) == 13
    for text in [row.emergency_heading, *signs, row.emergency_action, row.when_signs_start, row.clinic_heading,
                 row.clinic_closed, row.emergency_department]:
        assert text in box, (url, text)
    assert 'href="tel:911"' in box
    assert 'href="tel:' in box.split('class="red-flags-clinic"', 1)[1]  # the clinic's phone, tap to call


def test_changing_the_list_changes_the_box_at_once(client, site_content):
    before = box_of(client.get("/after-care/").content.decode())
    assert "numbness that spreads" in before
    row = RedFlagList.objects.get(language="en")
    row.emergency_signs = row.emergency_signs.replace("numbness that spreads", "numbness that keeps spreading")
    with as_loaded():
        row.save()
    after = box_of(client.get("/after-care/").content.decode())
    assert "numbness that keeps spreading" in after and "numbness that spreads" not in after


def test_a_spanish_page_shows_the_english_list_when_there_is_no_spanish_one(client, site_content):
    with as_loaded():
        RedFlagList.objects.filter(language="es").update(published=False)
    box = box_of(client.get("/es/cuidados-despues/").content.decode())
    assert "chest pain, or pain when you breathe in" in box


@pytest.mark.parametrize("url, article, language", [
    ("/faq/when-to-call-911/", '<article class="faq-single"', "en"),
    ("/es/preguntas/cuando-llamar-al-911/", '<article class="faq-single"', "es"),
    ("/faq/", '<article class="faq" id="when-to-call-911"', "en"),
    ("/es/preguntas/", '<article class="faq" id="cuando-llamar-al-911"', "es"),
])
def test_the_911_answer_shows_every_sign_from_the_list_not_a_copy(client, site_content, url, article, language):
    _row, signs = listed(language)
    answer = html_module.unescape(client.get(url).content.decode().split(article, 1)[1].split("</article>", 1)[0])
    box = box_of(answer)
    outside = answer.replace(box, "")
    for sign in signs:
        assert f"<li>{sign}</li>" in box, (url, sign)
        assert f"<li>{sign}</li>" not in outside, (url, sign)  # no second copy in the answer's text


@pytest.mark.parametrize("query, language", [("chest pain", "en"), ("dolor de pecho", "es")])
def test_the_search_snippet_of_the_911_answer_is_the_whole_list(client, site_content, query, language):
    _row, signs = listed(language)
    prefix = "/es/buscar/" if language == "es" else "/search/"
    page = client.get(prefix, {"q": query}).content.decode()
    first = html_module.unescape(re.sub(r"</?mark>", "", page.split('<ol class="search-results">', 1)[1]
                                        .split("</li>", 1)[0]))
    for sign in signs:
        assert sign in first, sign
