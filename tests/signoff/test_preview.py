"""Issue 22, "see it before patients do": a change waiting for a clinical editor, shown as
patients will see it (the patient page's own view and templates, with the waiting values set
on the row in memory), to staff who may change that kind of page, and to no one else."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pages.models import Condition, FaqEntry, PendingChange, RedFlagList, StaffProfile, Topic
from tests.helpers import change_url, logged_in, save_in_admin

pytestmark = pytest.mark.django_db

BANNER = "Waiting for approval: patients still see the live page"
BANNER_ES = "Esperando aprobación: los pacientes siguen viendo la página publicada"
NEW_PAGE_BANNER = "patients see nothing yet"
WAITING = "Waiting text written by the translator."


def preview_url(change):
    return reverse("admin:pages_pendingchange_preview", args=[change.pk])


@pytest.fixture
def translator(site_content, make_staff):
    return logged_in(make_staff("trans", group="Translator"))


@pytest.fixture
def desk(site_content, make_staff):
    return logged_in(make_staff("desk", group="Front desk"))


@pytest.fixture
def clinician(site_content, make_staff):
    return logged_in(make_staff("clin", group="Clinical editor"))


def waiting_change(client, obj, **changes):
    response = save_in_admin(client, obj, **changes)
    assert response.status_code == 302, response.content.decode()[:2000]
    return PendingChange.objects.get(status="pending", object_id=obj.pk)


# One page of each kind: (model, English slug, field changed, where patients read it).
KINDS = [
    (Topic, "after-care", "body", "/after-care/"),
    (FaqEntry, "does-it-hurt", "answer", "/faq/does-it-hurt/"),
    (Condition, "neck-pain", "text", "/conditions/neck-pain/"),
]


@pytest.mark.parametrize(("model", "slug", "field", "path"), KINDS)
def test_preview_shows_the_waiting_text_under_the_banner_and_patients_keep_the_live_text(
        client, translator, model, slug, field, path):
    obj = model.objects.get(language="en", slug=slug)
    live_text = getattr(obj, field)
    change = waiting_change(translator, obj, **{field: live_text + "\n\n" + WAITING})

    response = translator.get(preview_url(change))
    assert response.status_code == 200
    html = response.content.decode()
    assert BANNER in html and WAITING in html
    # The patient page's own template: its title and the site's header and footer.
    assert f"<h1>{getattr(obj, 'title', None) or getattr(obj, 'question', None) or obj.name}</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html

    # Nothing was written: patients, and the row, still have the live text.
    obj.refresh_from_db()
    assert getattr(obj, field) == live_text
    patient = client.get(path).content.decode()
    assert WAITING not in patient and BANNER not in patient


@pytest.mark.parametrize(("model", "slug", "field", "path"), KINDS)
def test_the_change_form_has_a_preview_button_and_view_on_site_opens_the_preview(
        translator, model, slug, field, path):
    obj = model.objects.get(language="en", slug=slug)
    change = waiting_change(translator, obj, **{field: getattr(obj, field) + " " + WAITING})
    html = translator.get(change_url(obj)).content.decode()
    url = preview_url(change)
    assert re.search(rf'<a href="{re.escape(url)}"[^>]*>Preview the waiting change</a>', html)
    assert re.search(rf'<a href="{re.escape(url)}" class="viewsitelink"', html), "View on site is the preview"


def test_a_page_with_nothing_waiting_has_no_preview_button_and_view_on_site_is_the_live_page(translator):
    obj = Topic.objects.get(language="en", slug="after-care")
    html = translator.get(change_url(obj)).content.decode()
    assert "Preview the waiting change" not in html
    assert f'href="{obj.get_absolute_url()}" class="viewsitelink"' in html


def test_a_new_page_waiting_says_patients_see_nothing_yet(client, desk):
    response = desk.post(reverse("admin:pages_faqentry_add"), {
        "question": "Can I drive home?", "slug": "can-i-drive-home", "answer": "Most people can drive home.",
        "category": "aftercare", "order": "5", "published": "on", "language": "en",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = FaqEntry.objects.get(slug="can-i-drive-home")
    change = PendingChange.objects.get(object_id=entry.pk, status="pending")
    html = desk.get(preview_url(change)).content.decode()
    assert NEW_PAGE_BANNER in html and "Most people can drive home." in html
    assert BANNER not in html
    assert client.get("/faq/can-i-drive-home/").status_code == 404


def test_red_flag_list_preview_is_the_911_answer_with_the_waiting_signs(client, translator):
    flags = RedFlagList.objects.get(language="en")
    new_sign = "a new sign only the waiting list has"
    change = waiting_change(translator, flags, emergency_signs=flags.emergency_signs + "\n" + new_sign)
    html = translator.get(change_url(flags)).content.decode()
    assert preview_url(change) in html and "Preview the waiting change" in html

    # Patients' pages have drawn the live box (kept per content version: site_tags.remembered);
    # the preview still draws the waiting one, and leaves it in no memo patients are served from.
    assert new_sign not in client.get("/after-care/").content.decode()
    page = translator.get(preview_url(change)).content.decode()
    assert BANNER in page
    box = page[page.index('<aside class="red-flags"'):]
    box = box[:box.index("</aside>")]
    assert "Call 911" in box and f"<li>{new_sign}</li>" in box
    answer = FaqEntry.objects.get(language="en", slug="when-to-call-911")
    assert f"<h1>{answer.question}</h1>" in page
    # Patients' 911 answer and boxes keep the live list.
    assert new_sign not in client.get(answer.get_absolute_url()).content.decode()
    assert new_sign not in client.get("/after-care/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, translator):
    obj = Topic.objects.get(language="en", slug="after-care")
    change = waiting_change(translator, obj, body=obj.body + " " + WAITING)
    response = client.get(preview_url(change))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert WAITING not in response.content.decode()


def test_staff_who_may_not_change_that_kind_are_refused(translator, desk, make_staff):
    # Front desk may change FAQ answers but not topic pages: guessing a topic change's id shows nothing.
    obj = Topic.objects.get(language="en", slug="after-care")
    change = waiting_change(translator, obj, body=obj.body + " " + WAITING)
    response = desk.get(preview_url(change))
    assert response.status_code == 403 and WAITING not in response.content.decode()
    assert "is not allowed to see or change this" in response.content.decode()  # the staff 403 page
    therapist = logged_in(make_staff("ther", group="Therapist"))  # reads the guide, changes nothing
    response = therapist.get(preview_url(change))
    assert response.status_code == 403 and WAITING not in response.content.decode()


def test_the_preview_only_answers_get_and_head(translator):
    obj = FaqEntry.objects.get(language="en", slug="does-it-hurt")
    change = waiting_change(translator, obj, answer=obj.answer + " " + WAITING)
    assert translator.head(preview_url(change)).status_code == 200
    response = translator.post(preview_url(change), {"anything": "1"})
    assert response.status_code == 405
    assert PendingChange.objects.get(pk=change.pk).status == "pending"


def test_a_change_no_longer_waiting_or_an_unknown_id_is_not_found(translator, clinician):
    obj = FaqEntry.objects.get(language="en", slug="does-it-hurt")
    change = waiting_change(translator, obj, answer=obj.answer + " " + WAITING)
    clinician.post(reverse("admin:pages_pendingchange_change", args=[change.pk]), {"_send_back": "1", "note": "No."})
    assert translator.get(preview_url(change)).status_code == 404
    assert translator.get(reverse("admin:pages_pendingchange_preview", args=[999999])).status_code == 404


def test_the_preview_is_never_stored_and_search_engines_are_told_not_to_index_it(client, translator):
    obj = FaqEntry.objects.get(language="en", slug="does-it-hurt")
    change = waiting_change(translator, obj, answer=obj.answer + " " + WAITING)
    response = translator.get(preview_url(change))
    cache_control = {word.strip() for word in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    # The live page stays cacheable and shows the live text, before and after.
    for _ in range(2):
        assert WAITING not in client.get("/faq/does-it-hurt/").content.decode()
    assert "preview" not in client.get("/sitemap.xml").content.decode()
    assert "noindex" not in client.get("/faq/does-it-hurt/").content.decode()


def test_waiting_text_goes_through_the_same_markdown_pipeline(translator):
    obj = FaqEntry.objects.get(language="en", slug="does-it-hurt")
    change = waiting_change(translator, obj, answer=(
        obj.answer + '\n\n<script>alert("x")</script> <b onmouseover="alert(1)">hover</b> '
        '[click](javascript:alert(1)) **strong words**'))
    html = translator.get(preview_url(change)).content.decode()
    assert "<strong>strong words</strong>" in html
    assert 'alert("x")' not in html and "onmouseover" not in html and "javascript:" not in html


def test_a_spanish_page_is_previewed_in_spanish(translator):
    obj = Topic.objects.get(language="es", slug="cuidados-despues")
    change = waiting_change(translator, obj, body=obj.body + "\n\nTexto nuevo que espera aprobación.")
    response = translator.get(preview_url(change))
    html = response.content.decode()
    assert '<html lang="es">' in html and response["Content-Language"] == "es"
    assert "Texto nuevo que espera aprobación." in html
    assert ">Preguntas<" in html and "Llame al 911" in html  # the site's own words, in Spanish
    # The banner is in the language the staff member reads the admin in (English here), marked so.
    assert f'lang="en">{BANNER}' in html


def test_the_banner_follows_the_staff_members_admin_language(translator):
    StaffProfile.objects.create(user=get_user_model().objects.get(username="trans"), language="es")
    obj = Topic.objects.get(language="en", slug="after-care")
    change = waiting_change(translator, obj, body=obj.body + "\n\n" + WAITING)
    html = translator.get(preview_url(change)).content.decode()
    assert '<html lang="en">' in html and WAITING in html
    assert f'lang="es">{BANNER_ES}' in html


@pytest.mark.parametrize("admin_language", ["en", "es"])
def test_the_review_screen_links_to_the_preview(translator, clinician, admin_language):
    if admin_language == "es":
        StaffProfile.objects.create(user=get_user_model().objects.get(username="clin"), language="es")
    obj = Topic.objects.get(language="es", slug="cuidados-despues")
    change = waiting_change(translator, obj, body=obj.body + " Texto nuevo.")
    html = clinician.get(reverse("admin:pages_pendingchange_change", args=[change.pk])).content.decode()
    label = {"en": "See it as patients will", "es": "Verla como la verán los pacientes"}[admin_language]
    assert re.search(rf'<a href="{re.escape(preview_url(change))}"[^>]*>{label}</a>', html)
    assert clinician.get(preview_url(change)).status_code == 200


def test_the_approval_queue_links_each_waiting_change_to_its_preview(translator, clinician):
    obj = Condition.objects.get(language="en", slug="neck-pain")
    change = waiting_change(translator, obj, text=obj.text + " " + WAITING)
    html = clinician.get(reverse("admin:pages_pendingchange_changelist") + "?status__exact=pending").content.decode()
    assert f'<a href="{preview_url(change)}">See it as patients will</a>' in html


def test_waiting_related_pages_are_shown_though_not_saved(client, translator):
    # Many-to-many values wait too: the preview lists the waiting related topics, patients the live ones.
    condition = Condition.objects.get(language="en", slug="neck-pain")
    live = set(condition.topics.values_list("pk", flat=True))
    extra = Topic.objects.published().filter(language="en").exclude(pk__in=live).first()
    change = waiting_change(translator, condition, topics=[str(pk) for pk in sorted(live | {extra.pk})])
    assert change.data == {"topics": sorted(live | {extra.pk})}
    link = f'<li><a href="{extra.get_absolute_url()}">{extra.title}</a></li>'

    def read_more(html):  # the condition's own "Read more" list, not the guide's menu
        return html[html.index('id="related-topics"'):html.index("</section>", html.index('id="related-topics"'))]

    assert link in read_more(translator.get(preview_url(change)).content.decode())
    assert set(condition.topics.values_list("pk", flat=True)) == live
    assert link not in read_more(client.get(condition.get_absolute_url()).content.decode())


def test_the_changes_list_offers_a_therapist_no_preview_link_they_cannot_open(translator, make_staff):
    # "See it as patients will" in the list opened a 403 for a therapist (a staff review).
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from pages.signoff import gate

    obj = FaqEntry.objects.get(language="en", slug="does-it-hurt")
    author = get_user_model().objects.get(username="trans")
    gate.schedule(author, obj, {"answer": obj.answer + " " + WAITING}, timezone.now() + datetime.timedelta(days=1))
    listing = "/admin/pages/pendingchange/"
    assert "See it as patients will" in translator.get(listing).content.decode()
    person = make_staff("ther", group="Therapist")
    person.user_permissions.add(Permission.objects.get(codename="view_pendingchange"))
    therapist = logged_in(person)
    page = therapist.get(listing)
    assert page.status_code == 200 and "See it as patients will" not in page.content.decode()
