"""The publishing gate, walked path by path (issue 21): every admin URL, action and form of the
pages patients read, as each role, with a clinical change. Anonymous patients keep seeing the
old text (on the page, in lists, in search, in the sitemap, on a printed sheet, in Spanish)
until a clinical editor approves; no response is a 5xx. A new admin path fails this module
until it has an entry in PATHS or ACTIONS."""
import datetime

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from pages.kit import reading_lists
from pages.models import Condition, FaqEntry, PendingChange, Topic
from pages.translations.status import latest_revision
from tests.helpers import as_loaded, change_form_data, logged_in, write

pytestmark = pytest.mark.django_db

# What an attacker (or a mistake) would make patients read: the review's worst finding.
MARKER = "no need to call anyone"
ATTACK_QUESTION = "Chest pain after needling: is it normal?"
ATTACK_ANSWER = f"Chest pain after needling is normal: {MARKER}."
ROLES = ["front desk", "translator", "clinical editor", "anonymous"]
GROUPS = {"front desk": "Front desk", "translator": "Translator", "clinical editor": "Clinical editor"}
MODELS = {"topic": Topic, "faqentry": FaqEntry, "condition": Condition}


@pytest.fixture
def walk_content(tmp_path):
    root = tmp_path / "content"
    review = "last_reviewed: 2026-11-02\n        reviewed_by: Physical therapist, DPT"
    write(root, "references/gattie-2017.md", """
        ---
        authors: Gattie E
        year: 2017
        title: Dry needling
        publisher: J Orthop Sports Phys Ther
        ---
        Found something.
        """)
    write(root, "topics/after-care.md", f"""
        ---
        title: After your visit
        summary: What to do after dry needling.
        menu_order: 10
        red_flags: true
        {review}
        references: []
        ---
        ## What should I do after?

        Drink water and keep moving gently.
        """)
    write(root, "topics/insurance-and-cost.md", f"""
        ---
        title: Insurance and cost
        summary: What a visit costs.
        menu_order: 20
        {review}
        references: []
        ---
        ## Will my plan pay?

        Ask your plan.
        """)
    write(root, "faq/when-to-call-911.md", f"""
        ---
        question: When should I call 911?
        category: safety
        order: 10
        topic: after-care
        red_flags: true
        {review}
        ---
        Call 911 for chest pain or shortness of breath.
        """)
    write(root, "faq/does-it-hurt.md", f"""
        ---
        question: Does it hurt?
        category: session
        order: 20
        topic: after-care
        {review}
        ---
        Most people feel a small prick and a deep ache.
        """)
    write(root, "faq/how-much-does-it-cost.md", f"""
        ---
        question: How much does it cost?
        category: cost
        order: 10
        topic: insurance-and-cost
        {review}
        ---
        Ask the front desk for today's price.
        """)
    write(root, "conditions/neck-pain.md", f"""
        ---
        name: Neck pain
        body_region: neck
        summary: Pain and stiffness in the neck.
        topics: [after-care]
        {review}
        ---
        Tight neck muscles can cause pain.
        """)
    write(root, "clinic.md", """
        ---
        name: Test Clinic
        phone: "555-0100"
        email: hello@example.org
        locations:
          - name: Riverside
            street_address: 1 River Road
            city: Exampleton
            region: EX
            postal_code: "00001"
        ---
        Example.
        """)
    return root


@pytest.fixture
def site(walk_content, make_staff):
    """The small guide loaded, a Spanish after-care page out of date with the English, a
    clinical answer with an older version that said the marker, a deleted page that did, and
    a printed reading list of the after-care page and the 911 answer."""
    from pages.content import load_content

    load_content(walk_content)
    english = Topic.objects.get(slug="after-care")
    with as_loaded():
        old_revision = latest_revision(english)
        english.body += "\n\nRest if you feel tired."
        english.save()
        Topic.objects.create(
            language="es", translation_key=english.translation_key, slug="cuidados-despues",
            title="Después de su visita", summary="Qué hacer.", body="Beba agua.", menu_order=10,
            red_flags=True, last_reviewed=datetime.date(2026, 11, 2), reviewed_by="Fisioterapeuta",
            source_revision=old_revision)
        hurt = FaqEntry.objects.get(slug="does-it-hurt")
        hurt.answer = ATTACK_ANSWER
        hurt.save()
        hurt.answer = "Most people feel a small prick and a deep ache."
        hurt.save()
        gone = FaqEntry.objects.create(
            question="An old answer", slug="an-old-answer", answer=ATTACK_ANSWER, category="safety", order=90,
            last_reviewed=datetime.date(2026, 11, 2), reviewed_by="Physical therapist, DPT")
        gone.delete()
    sheet = reading_lists.reading_list_for([f"topic:{english.pk}",
                                            f"faq:{FaqEntry.objects.get(slug='when-to-call-911').pk}"])
    users = {role: make_staff(role.replace(" ", "-"), group=group) for role, group in GROUPS.items()}
    return {"sheet": sheet.get_absolute_url(), "users": users}


def public_pages(site):
    pages = ["/", "/after-care/", "/insurance-and-cost/", "/faq/", "/faq/when-to-call-911/", "/faq/does-it-hurt/",
             "/faq/how-much-does-it-cost/", "/faq/chest-pain-after-needling-is-it-normal/", "/conditions/neck-pain/",
             "/search/?q=chest+pain", "/search/?q=normal", "/sitemap.xml", site["sheet"], "/es/cuidados-despues/",
             "/an-attack/", "/faq/an-old-answer/", "/conditions/an-attack/"]
    return pages


def patients_see(client, site):
    seen = {}
    for path in public_pages(site):
        response = client.get(path, follow=True)
        assert response.status_code < 500, path
        seen[path] = response.content.decode() if response.status_code == 200 else ""
    return seen


def assert_no_marker(client, site):
    seen = patients_see(client, site)
    leaked = [path for path, html in seen.items() if MARKER in html or ATTACK_QUESTION in html]
    assert not leaked, f"patients read the unapproved text on {leaked}"
    # The "Call 911" box still leads to the real 911 answer.
    assert 'href="/faq/when-to-call-911/"' in seen["/after-care/"]
    # The Spanish page still says its English changed (marking it updated waits too).
    assert "/es/cuidados-despues/" in seen and "cambi" in seen["/es/cuidados-despues/"].lower()


# --- One entry per admin path: each makes its clinical change and returns the responses -------

def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def row_of(model):
    return {Topic: lambda: Topic.objects.get(slug="after-care"),
            FaqEntry: lambda: FaqEntry.objects.get(slug="does-it-hurt"),
            Condition: lambda: Condition.objects.get(slug="neck-pain")}[model]()


def text_field(model):
    return {Topic: "body", FaqEntry: "answer", Condition: "text"}[model]


def post_form(browser, address, changes):
    response = browser.get(address)
    if response.status_code != 200:
        return [response]
    data = {**change_form_data(browser, address), **changes}
    return [response, browser.post(address, data)]


def add_page(browser, model):
    address = url(f"pages_{model._meta.model_name}_add")
    response = browser.get(address)
    if response.status_code != 200:
        return [response, browser.post(address, {})]
    review = {"last_reviewed": "2026-12-01", "reviewed_by": "Physical therapist, DPT"}
    fields = {
        Topic: {"title": ATTACK_QUESTION, "slug": "an-attack", "summary": MARKER, "body": ATTACK_ANSWER,
                "menu_order": "5", "language": "en"},
        # The review's attack: filed under Cost, attached to the after-care page.
        FaqEntry: {"question": ATTACK_QUESTION, "slug": "chest-pain-after-needling-is-it-normal",
                   "answer": ATTACK_ANSWER, "category": "cost", "order": "1",
                   "topic": str(Topic.objects.get(slug="after-care").pk), "language": "en"},
        Condition: {"name": ATTACK_QUESTION, "slug": "an-attack", "body_region": "neck", "summary": MARKER,
                    "text": ATTACK_ANSWER, "language": "en"},
    }[model]
    return [response, browser.post(address, {**fields, **review, "published": "on", "red_flags": ""})]


def change_page(browser, model):
    row = row_of(model)
    responses = post_form(browser, url(f"pages_{model._meta.model_name}_change", row.pk),
                          {text_field(model): ATTACK_ANSWER})
    if model is FaqEntry:
        # A cost answer moved onto the after-care page with the attack's text, and one given
        # the 911 answer's address once that moved.
        cost = FaqEntry.objects.get(slug="how-much-does-it-cost")
        responses += post_form(browser, url("pages_faqentry_change", cost.pk), {
            "answer": ATTACK_ANSWER, "topic": str(Topic.objects.get(slug="after-care").pk)})
    return responses


def reorder_in_list(browser, model):
    address = url(f"pages_{model._meta.model_name}_changelist")
    response = browser.get(address)
    admin_class = admin.site._registry[model]
    if response.status_code != 200 or not admin_class.list_editable:
        return [response]
    field = admin_class.list_editable[0]
    rows = list(model.objects.filter(language="en").order_by("pk"))
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)), "_save": "Save"}
    for index, row in enumerate(rows):
        data[f"form-{index}-id"] = str(row.pk)
        data[f"form-{index}-{field}"] = str(1000 - index)
    return [response, browser.post(address, data)]


def revert_in_history(browser, model):
    row = row_of(model)
    version = row.history.filter(**{text_field(model): ATTACK_ANSWER}).first() or row.history.last()
    address = url(f"pages_{model._meta.model_name}_simple_history", row.pk, version.history_id)
    return post_form(browser, address, {})


def read_history(browser, model):
    return [browser.get(url(f"pages_{model._meta.model_name}_history", row_of(model).pk))]


def delete_page(browser, model):
    address = url(f"pages_{model._meta.model_name}_delete", row_of(model).pk)
    return [browser.get(address), browser.post(address, {"post": "yes"})]


def restore_deleted(browser, model):
    address = url(f"pages_{model._meta.model_name}_deleted")
    response = browser.get(address)
    records = model.history.filter(history_type="-")
    posts = [browser.post(address, {"history_id": str(record.history_id)}) for record in records]
    return [response, *posts]


def mark_translation_updated(browser, model):
    row = model.objects.filter(language="es").first()
    if row is None:
        return [browser.get(url(f"pages_{model._meta.model_name}_changelist"))]
    address = url(f"pages_{model._meta.model_name}_english_changes", row.pk)
    return [browser.get(address), browser.post(address, {})]


def run_action(action):
    def run(browser, model):
        rows = model.objects.all()
        data = {"action": action, "_selected_action": [str(row.pk) for row in rows], "post": "yes"}
        return [browser.post(url(f"pages_{model._meta.model_name}_changelist"), data)]
    return run


PATHS = {
    "add": add_page,
    "change": change_page,
    "changelist": reorder_in_list,
    "simple_history": revert_in_history,
    "history": read_history,
    "delete": delete_page,
    "deleted": restore_deleted,
    "english_changes": mark_translation_updated,
}
ACTIONS = {
    "mark_reviewed": run_action("mark_reviewed"),
    "mark_translation_updated": run_action("mark_translation_updated"),
    "make_spanish_drafts": run_action("make_spanish_drafts"),
    "delete_selected": run_action("delete_selected"),
}


def test_every_admin_path_and_action_of_the_pages_patients_read_is_walked_here(rf, django_user_model):
    for name, model in MODELS.items():
        model_admin = admin.site._registry[model]
        names = {pattern.name.removeprefix(f"pages_{name}_") for pattern in model_admin.get_urls() if pattern.name}
        assert names == set(PATHS), f"{model.__name__}: a new admin path needs an entry in PATHS: {names ^ set(PATHS)}"
        request = rf.get("/")
        request.user = django_user_model(is_superuser=True, is_staff=True, is_active=True)
        assert set(model_admin.get_actions(request)) == set(ACTIONS), (
            f"{model.__name__}: a new admin action needs an entry in ACTIONS")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", list(MODELS.values()), ids=list(MODELS))
@pytest.mark.parametrize("path", [*PATHS, *ACTIONS])
def test_a_clinical_change_by_any_path_waits_for_a_clinical_editor(client, site, role, model, path):
    browser = logged_in(site["users"][role]) if role in site["users"] else client.__class__()
    walk = PATHS.get(path) or ACTIONS[path]
    responses = walk(browser, model)
    assert all(response.status_code < 500 for response in responses), [r.status_code for r in responses]
    if role == "clinical editor":
        return  # their change is live: that is what a clinical editor is for
    assert_no_marker(client, site)
    waiting = list(PendingChange.objects.filter(status="pending"))
    if path not in ("add", "change") or not waiting:
        return
    # Then a clinical editor approves: now patients read it.
    clinician = logged_in(site["users"]["clinical editor"])
    for change in waiting:
        assert clinician.post(url("pages_pendingchange_change", change.pk), {"note": ""}).status_code == 302
    assert not PendingChange.objects.filter(status="pending").exists()
    assert any(MARKER in html for html in patients_see(client, site).values())


def test_the_queue_refuses_every_decision_from_someone_who_may_not_approve(client, site):
    desk = logged_in(site["users"]["front desk"])
    save = post_form(desk, url("pages_faqentry_change", FaqEntry.objects.get(slug="does-it-hurt").pk),
                     {"answer": ATTACK_ANSWER})
    assert save[-1].status_code == 302
    change = PendingChange.objects.get(status="pending")
    for role in ("front desk", "translator"):
        browser = logged_in(site["users"][role])
        for name, args in [("pages_pendingchange_change", [change.pk]), ("pages_pendingchange_delete", [change.pk]),
                           ("pages_pendingchange_history", [change.pk]), ("pages_pendingchange_add", []),
                           ("pages_recent_changes", []), ("pages_pendingchange_changelist", [])]:
            response = browser.post(url(name, *args), {"note": ""})
            assert response.status_code < 500, name
    assert_no_marker(client, site)
    assert PendingChange.objects.get(pk=change.pk).status == "pending"


def test_a_direct_save_of_a_page_patients_read_fails_loudly(site):
    from pages.models import GateClosed

    entry = FaqEntry.objects.get(slug="does-it-hurt")
    entry.answer = ATTACK_ANSWER
    with pytest.raises(GateClosed):
        entry.save()
    with pytest.raises(GateClosed):
        FaqEntry.objects.filter(pk=entry.pk).update(answer=ATTACK_ANSWER)
    with pytest.raises(GateClosed):
        FaqEntry.objects.bulk_create([FaqEntry(question="x", slug="x", answer="x", category="cost",
                                               last_reviewed=datetime.date(2026, 1, 1), reviewed_by="x")])


def test_a_direct_delete_or_change_of_a_pages_relations_fails_loudly(site):
    from pages.models import GateClosed, Reference

    entry = FaqEntry.objects.get(slug="does-it-hurt")
    condition = Condition.objects.get(slug="neck-pain")
    topic = Topic.objects.get(slug="after-care", language="en")
    for delete in (entry.delete, FaqEntry.objects.filter(pk=entry.pk).delete):
        with pytest.raises(GateClosed):
            delete()
    # Which topics a condition links to, and which references a page cites, are what patients read too.
    for change in (lambda: condition.topics.clear(), lambda: condition.topics.set([]),
                   lambda: topic.conditions.remove(condition),
                   lambda: topic.references.add(Reference.objects.first())):
        with pytest.raises(GateClosed), transaction.atomic():
            change()
    assert FaqEntry.objects.filter(pk=entry.pk).exists()
    assert list(condition.topics.all()) == [topic]


def test_only_a_clinical_editor_deletes_a_page_patients_read_whatever_a_group_was_given(client, site):
    from django.contrib.auth.models import Permission

    front_desk = site["users"]["front desk"]
    front_desk.user_permissions.add(Permission.objects.get(codename="delete_faqentry"))
    entry = FaqEntry.objects.get(slug="how-much-does-it-cost")
    browser = logged_in(front_desk)
    delete_url = reverse("admin:pages_faqentry_delete", args=[entry.pk])
    assert browser.get(delete_url).status_code == 403
    assert browser.post(delete_url, {"post": "yes"}).status_code == 403
    listing = reverse("admin:pages_faqentry_changelist")
    browser.post(listing, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert FaqEntry.objects.filter(pk=entry.pk).exists()
    assert client.get("/faq/how-much-does-it-cost/").status_code == 200

    editor = logged_in(site["users"]["clinical editor"])
    assert editor.post(delete_url, {"post": "yes"}).status_code == 302
    assert not FaqEntry.objects.filter(pk=entry.pk).exists()
    assert client.get("/faq/how-much-does-it-cost/").status_code == 410


def test_front_desk_cannot_publish_a_new_answer_by_saving_it_as_a_draft_first(client, site):
    # A security review: add a cost answer unpublished (a draft goes in at once), then tick
    # Published: it went live with no clinical editor, saying "do not call 911".
    desk = logged_in(site["users"]["front desk"])
    add = reverse("admin:pages_faqentry_add")
    form = {**change_form_data(desk, add), "question": "Chest pain after needling: what to do?",
            "slug": "chest-pain-what-to-do", "category": "cost", "order": "5", "answer": "Drive to our clinic.",
            "language": "en"}
    form.pop("published", None)
    assert desk.post(add, form).status_code == 302
    entry = FaqEntry.objects.get(slug="chest-pain-what-to-do")
    assert not entry.published
    save = reverse("admin:pages_faqentry_change", args=[entry.pk])
    assert desk.post(save, {**change_form_data(desk, save), "published": "on"}).status_code == 302
    assert not FaqEntry.objects.get(pk=entry.pk).published
    assert PendingChange.objects.filter(object_id=entry.pk, status="pending").exists()
    assert client.get("/faq/chest-pain-what-to-do/").status_code == 404


@pytest.mark.parametrize("answer", [
    "Ask the front desk for today's price. If you get chest pain after needling, do not call 911: call us.",
    "Pregunte el precio. Si le falta el aire, no llame al 911.",
    "Ask for the price. Trouble brething? Call us, not the ER.",
    # A security review: what patients read once the Markdown is rendered, not what was typed.
    "Ask for the price. &#67;hest pain after needling is normal; do not call &#57;&#49;&#49;.",
    "Ask for the price. Ch<!-- -->est pain after needling is normal; skip the E<!-- -->R.",
    "Ask for the price. Ch<span>est</span> pain is normal.",
    "Ask for the price. Ch**es**t pain is normal: no need for the emer*gen*cy room.",
    "Ask for the price. [Call our billing office](tel:9-1-1).",
    "Ask for the price. [Call us here](tel:9%31%31).",
    # 911 and the emergency room written other ways, and plain words for the signs.
    "Ask for the price. Call 9 1 1.",
    "Ask for the price. Call 9-1-1.",
    "Ask for the price. Dial nine one one.",
    "Ask for the price. Go to the E.R. or the ED.",
    "Ask for the price. Go to the walk-in clinic on Main Street.",
    "Ask for the price. If you can hardly get air after needling, that is normal.",
    "Ask for the price. If you feel pressure in your ribs, wait a day.",
    "Ask for the price. If you feel faint or dizzy or bleed a lot, just lie down at home.",
    "Ask for the price. C h e s t pain after needling is normal.",
    "Ask for the price. If shortofbreath, wait.",
    "Pregunte el precio. Llame al nueve uno uno si quiere.",
    "Pregunte el precio. Si le cuesta tomar aire, llame al 9-1-1 o vaya a la guardia.",
    "Pregunte el precio. Si le aprieta el tórax, espere a mañana.",
    "Pregunte el precio. Llame a la Cruz Roja (065).",
])
def test_a_cost_answer_that_speaks_of_warning_signs_or_urgent_care_waits(client, site, answer):
    desk = logged_in(site["users"]["front desk"])
    entry = FaqEntry.objects.get(slug="how-much-does-it-cost")
    url = reverse("admin:pages_faqentry_change", args=[entry.pk])
    assert desk.post(url, {**change_form_data(desk, url), "answer": answer}).status_code == 302
    assert FaqEntry.objects.get(pk=entry.pk).answer == "Ask the front desk for today's price."
    assert answer not in client.get("/faq/how-much-does-it-cost/").content.decode()
    assert PendingChange.objects.filter(object_id=entry.pk, status="pending").exists()


def test_a_plain_cost_answer_still_goes_live_at_once(client, site):
    desk = logged_in(site["users"]["front desk"])
    entry = FaqEntry.objects.get(slug="how-much-does-it-cost")
    url = reverse("admin:pages_faqentry_change", args=[entry.pk])
    desk.post(url, {**change_form_data(desk, url), "answer": "A visit costs the same as a usual therapy visit."})
    assert "the same as a usual therapy visit" in client.get("/faq/how-much-does-it-cost/").content.decode()
