"""Issue 24 on paper: a Print button where JavaScript runs (a sentence where it does not), and a
printed reading list with a red-flag page carries the whole "Call 911" box."""
import pytest

from pages.kit import reading_lists
from pages.models import FaqEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reading_list_path(*slugs):
    entries = [FaqEntry.objects.get(slug=slug) for slug in slugs]
    return reading_lists.reading_list_for([f"faq:{entry.pk}" for entry in entries]).get_absolute_url()


def test_the_after_care_sheet_and_a_reading_list_have_a_print_button(site, desktop):
    for path in ["/after-care/", reading_list_path("will-i-be-sore")]:
        desktop.get(site.url + path)
        desktop.execute_script("window.printed = 0; window.print = () => { window.printed += 1; };")
        buttons = desktop.find_elements("css selector", "main button.print-button")
        assert len(buttons) == 1, f"no Print button on {path}"
        assert buttons[0].text == "Print this page"
        buttons[0].click()
        assert desktop.execute_script("return window.printed") == 1
        assert "use your browser's Print" not in desktop.find_element("tag name", "main").text


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_a_printed_reading_list_with_the_911_answer_has_every_sign_of_the_box(site, desktop, prefix):
    answer = "/es/preguntas/cuando-llamar-al-911/" if prefix else "/faq/when-to-call-911/"
    desktop.get(site.url + answer)
    signs = desktop.execute_script(
        "return [...document.querySelectorAll('.red-flags .red-flag-signs li')].map(li => li.textContent.trim())")
    assert len(signs) >= 5
    desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    desktop.get(site.url + prefix + reading_list_path("when-to-call-911", "will-i-be-sore"))
    printed = " ".join(desktop.execute_script("return document.body.innerText").split())
    missing = [sign for sign in signs if " ".join(sign.split()) not in printed]
    assert not missing, f"the printed list lacks: {missing}"
    assert ("Llame al 911" if prefix else "Call 911") in printed
    assert "Print this page" not in printed and "Imprimir" not in printed


@pytest.mark.parametrize("path, phone_line", [
    ("/after-care/", "Clinic phone: 555-0100. If the clinic is closed"),
    ("/es/cuidados-despues/", "Teléfono de la clínica: 555-0100. Si la clínica está cerrada"),
])
def test_on_paper_the_clinics_phone_ends_its_sentence_in_the_911_box(site, desktop, path, phone_line):
    # The box runs on as one paragraph on paper: the phone ran into the next sentence
    # ("555-0100 If the clinic is closed").
    desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        desktop.get(site.url + path)
        printed = " ".join(desktop.find_element("css selector", ".red-flags").text.split())
    finally:
        desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert phone_line in printed
