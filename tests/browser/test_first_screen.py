"""Issue 24 on a 390x844 phone, at 100% and 200% text, in English and Spanish: the 911 call
button (or the home page's 911 line), Español / English and a usable search box on the first screen."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEIGHT = 844
SIZES = ["100%", "200%"]
# Pages with the "Call 911" box: their first tel:911 link is the call button.
FLAGGED = ["/after-care/", "/faq/when-to-call-911/", "/es/cuidados-despues/", "/es/preguntas/cuando-llamar-al-911/"]
HOMES = {"/": "/faq/when-to-call-911/", "/es/": "/es/preguntas/cuando-llamar-al-911/"}

FIRST_VISIBLE = """
document.documentElement.style.fontSize = arguments[1];
const el = [...document.querySelectorAll(arguments[0])].find(e => e.getClientRects().length);
if (!el) return null;
const r = el.getBoundingClientRect();
return {top: r.top, bottom: r.bottom, width: r.width, height: r.height, text: el.textContent.trim()};
"""


def first_visible(driver, selector, size):
    return driver.execute_script(FIRST_VISIBLE, selector, size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", FLAGGED)
def test_the_911_call_button_is_on_the_first_screen(site, phone, path, size):
    phone.get(site.url + path)
    button = first_visible(phone, 'a[href="tel:911"]', size)
    assert button, f"no tel:911 link on {path}"
    assert 0 <= button["top"] < HEIGHT, f"at {size} text the 911 call button on {path} starts at {button['top']} px"
    assert button["height"] >= 44 and button["width"] >= 44, button
    # The box itself (with every sign) is still on the page, under the title.
    assert phone.execute_script("return document.querySelectorAll('main .red-flags .red-flag-signs li').length") >= 5


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", list(HOMES))
def test_the_home_page_911_line_is_on_the_first_screen(site, phone, path, size):
    phone.get(site.url + path)
    line = first_visible(phone, f'.home-urgent a[href="{HOMES[path]}"]', size)
    assert line and 0 <= line["top"] < HEIGHT, f"at {size} text the home 911 line on {path} is at {line}"


@pytest.mark.parametrize("size", SIZES)
def test_the_other_language_is_on_the_first_screen_of_every_page(site, phone, size):
    hidden = []
    for path in site.pages + [site.not_found]:
        phone.get(site.url + path)
        link = first_visible(phone, ".language-switch a[hreflang]", size)
        if not link or not 0 <= link["top"] < HEIGHT or link["height"] < 44:
            hidden.append(f"{path}: {link}")
    assert not hidden, f"at {size} text Español / English is not on the first screen of:\n" + "\n".join(hidden)


@pytest.mark.parametrize("path", ["/", "/es/", "/after-care/"])
def test_the_search_box_shows_at_least_15_characters_at_200_percent(site, phone, path):
    phone.get(site.url + path)
    phone.execute_script("document.documentElement.style.fontSize = '200%'")
    box = phone.find_element("id", "site-search-q")
    box.send_keys("jaw pain after needling")
    # Characters visible: the text box's width over the width of the typed text, times its length.
    shown = phone.execute_script("""
        const input = arguments[0], style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = style.font;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return Math.floor(room / (context.measureText(input.value).width / input.value.length));""", box)
    assert shown >= 15, f"at 200% text the search box on {path} shows {shown} characters"
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390


@pytest.fixture
def holiday_notice(site):
    """A front-desk notice showing on every page, in both languages (a patient review found
    that at 200% text it pushed the home page's 911 line off the first screen)."""
    import datetime

    from django.utils import timezone

    from pages.models import Notice, NoticeTranslation

    now = timezone.now()
    notice = Notice.objects.create(
        text="Closed December 24 to 26 for the holidays. We open again on December 27 at 7:30 in the morning.",
        shows_from=now - datetime.timedelta(hours=1), shows_until=now + datetime.timedelta(days=1), showing=True)
    NoticeTranslation.objects.create(
        notice=notice, language="es",
        text="Cerrado del 24 al 26 de diciembre por las fiestas. Abrimos de nuevo el 27 de diciembre a las 7:30.")
    return notice


@pytest.mark.parametrize("size", SIZES)
def test_with_a_clinic_notice_the_911_line_and_button_stay_on_the_first_screen(site, phone, holiday_notice, size):
    for path, target in HOMES.items():
        phone.get(site.url + path)
        assert "Closed December 24" in phone.page_source or "Cerrado del 24" in phone.page_source
        line = first_visible(phone, f'.home-urgent a[href="{target}"]', size)
        assert line and 0 <= line["top"] < HEIGHT, f"at {size} text with a notice the home 911 line is at {line}"
    for path in FLAGGED:
        phone.get(site.url + path)
        button = first_visible(phone, 'a[href="tel:911"]', size)
        notice = first_visible(phone, ".clinic-notice", size)
        assert 0 <= button["top"] < HEIGHT, f"at {size} text with a notice the call button on {path} is at {button}"
        # Below the button, not beside it ("Closed ... Call 911" must not read as one message).
        assert notice["top"] >= button["bottom"], (path, button, notice)


@pytest.mark.parametrize("size", SIZES)
def test_a_visit_sheet_starts_with_the_call_button_and_links_to_its_other_language(site, phone, holiday_notice, size):
    from pages.kit import visit_sheets

    sheet = visit_sheets.visit_sheet_for(areas=["neck", "low-back"], electric=True, languages="both")
    phone.get(site.url + sheet.get_absolute_url())
    button = first_visible(phone, 'a[href="tel:911"]', size)
    assert button and 0 <= button["top"] < HEIGHT, f"at {size} text the visit sheet's call button is at {button}"
    switch = first_visible(phone, '.language-switch a[hreflang="es"]', size)
    assert switch and 0 <= switch["top"] < HEIGHT and switch["text"] == "Español", switch
    assert phone.find_element("css selector", '.language-switch a[hreflang="es"]').get_attribute("href").endswith(
        "#sheet-heading-es")
    # No English box after the Spanish part.
    assert not phone.find_elements("css selector", ".contact-box")
