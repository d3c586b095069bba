import pytest
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command

from pages.content import ContentErrors, load_content
from pages.models import Clinic, Condition, FaqEntry, OpeningHours, Provider, Reference, Topic
from tests.helpers import REAL_CONTENT, write

pytestmark = pytest.mark.django_db


def row_counts():
    return [m.objects.count() for m in (Reference, Topic, FaqEntry, Condition, Clinic, OpeningHours)]


def load_errors(directory):
    with pytest.raises(ContentErrors) as info:
        load_content(directory)
    return str(info.value)


def test_load_creates_every_kind_of_row(content_dir):
    report = load_content(content_dir)
    assert row_counts() == [1, 1, 1, 1, 1, 2]
    topic = Topic.objects.get(slug="what-is-dry-needling")
    assert list(topic.references.values_list("key", flat=True)) == ["gattie-2017"]
    assert FaqEntry.objects.get().topic == topic
    assert list(Condition.objects.get().topics.all()) == [topic]
    assert Clinic.objects.get().locations.get().hours.count() == 2
    assert Provider.objects.get().locations.get().slug == "riverside"
    assert len(report.created) == 6 and not report.updated


def test_second_load_changes_nothing_and_says_so(content_dir, capsys):
    call_command("load_content", path=str(content_dir))
    call_command("load_content", path=str(content_dir))
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert "0 created, 0 updated, 6 unchanged: nothing to change" in last_line


def test_an_edited_file_updates_only_its_row(content_dir):
    load_content(content_dir)
    path = content_dir / "faq/does-it-hurt.md"
    path.write_text(path.read_text().replace("small prick", "tiny prick"))
    report = load_content(content_dir)
    assert report.updated == ["faq/does-it-hurt"]
    assert "tiny prick" in FaqEntry.objects.get().answer


def test_changed_reference_list_is_an_update(content_dir):
    load_content(content_dir)
    write(content_dir, "references/brady-2014.md", """
        ---
        authors: Brady S
        year: 2014
        title: Adverse events
        publisher: J Man Manip Ther
        ---
        """)
    path = content_dir / "topics/what-is-dry-needling.md"
    path.write_text(path.read_text().replace("[gattie-2017]", "[gattie-2017, brady-2014]", 1))
    report = load_content(content_dir)
    assert "topics/what-is-dry-needling" in report.updated
    assert Topic.objects.get().references.count() == 2
    # Written in bulk, the change still gets its own revision, holding the new links.
    revision = Topic.objects.get().history.first()
    assert (revision.history_type, revision.history_change_reason) == ("~", "load_content")
    assert sorted(link.reference.key for link in revision.references.all()) == ["brady-2014", "gattie-2017"]


def test_changed_opening_hours_are_an_update(content_dir):
    load_content(content_dir)
    path = content_dir / "clinic.md"
    path.write_text(path.read_text().replace('closes: "13:00"', 'closes: "14:00"'))
    report = load_content(content_dir)
    assert report.updated == ["clinic"]
    assert OpeningHours.objects.filter(closes="14:00").exists()


def test_malformed_front_matter_names_file_and_line(content_dir):
    write(content_dir, "faq/broken.md", """
        ---
        question: Is it safe?
        category: [safety
        order: 10
        ---
        Yes.
        """)
    message = load_errors(content_dir)
    assert "faq/broken.md:4: malformed front matter: did not find expected ',' or ']'" in message
    assert "(the value that starts on line 3)" in message


def test_missing_required_field_is_named(content_dir):
    write(content_dir, "faq/no-order.md", """
        ---
        question: Is it safe?
        category: safety
        ---
        Yes.
        """)
    assert "faq/no-order.md:1: missing required field 'order'" in load_errors(content_dir)


def test_unknown_field_is_named_with_its_line(content_dir):
    write(content_dir, "faq/typo.md", """
        ---
        question: Is it safe?
        category: safety
        order: 10
        publshed: false
        ---
        Yes.
        """)
    assert "faq/typo.md:5: unknown field 'publshed'" in load_errors(content_dir)


def test_duplicate_slug_is_refused(content_dir):
    write(content_dir, "faq/hurt-again.md", """
        ---
        question: Does it hurt a lot?
        slug: does-it-hurt
        category: session
        order: 20
        last_reviewed: 2026-11-02
        reviewed_by: PT
        ---
        A little.
        """)
    message = load_errors(content_dir)
    assert "hurt-again.md:3: duplicate slug 'does-it-hurt'" in message
    assert "does-it-hurt.md already uses it" in message


def test_unknown_reference_is_refused(content_dir):
    path = content_dir / "topics/what-is-dry-needling.md"
    path.write_text(path.read_text().replace("references: [gattie-2017]", "references: [gattie-2017, nobody-1999]"))
    assert "what-is-dry-needling.md:7: unknown reference 'nobody-1999'" in load_errors(content_dir)


def test_citation_of_an_unlisted_reference_is_refused(content_dir):
    path = content_dir / "topics/what-is-dry-needling.md"
    path.write_text(path.read_text().replace("[@gattie-2017]", "[@gattie-2017] [@nobody-1999]"))
    message = load_errors(content_dir)
    assert "cites [@nobody-1999] but 'nobody-1999' is not listed" in message
    assert "unknown reference [@nobody-1999] in the text" in message


def test_a_file_that_is_not_utf8_is_refused_with_its_line(content_dir):
    path = content_dir / "faq/latin1.md"
    path.write_bytes("---\nquestion: Caf\u00e9?\ncategory: about\norder: 1\n"
                     "last_reviewed: 2026-11-02\nreviewed_by: PT\n---\nYes.\n".encode("latin-1"))
    assert "faq/latin1.md:2: file is not UTF-8" in load_errors(content_dir)


def test_a_file_over_one_megabyte_is_refused(content_dir):
    write(content_dir, "faq/huge.md", "---\nquestion: Big?\ncategory: about\norder: 1\n"
                     "last_reviewed: 2026-11-02\nreviewed_by: PT\n---\n" + "word " * 220_000)
    assert "faq/huge.md: file is 1,100,0" in load_errors(content_dir)


def test_invalid_choice_is_named(content_dir):
    path = content_dir / "conditions/neck-pain.md"
    path.write_text(path.read_text().replace("body_region: neck", "body_region: elbowish"))
    message = load_errors(content_dir)
    assert "neck-pain.md:3: 'body_region':" in message and "elbowish" in message


def test_badly_formed_doi_is_refused(content_dir):
    path = content_dir / "references/gattie-2017.md"
    path.write_text(path.read_text().replace("doi: 10.2519/jospt.2017.7096", "doi: jospt.2017"))
    assert "gattie-2017.md:7: 'doi': Enter a DOI" in load_errors(content_dir)


def test_a_topic_cannot_take_a_slug_the_site_uses(content_dir):
    write(content_dir, "topics/faq.md", (content_dir / "topics/what-is-dry-needling.md").read_text())
    assert "topics/faq.md: 'faq' is used by the site itself" in load_errors(content_dir)


def test_unquoted_opening_time_gets_a_clear_message(content_dir):
    path = content_dir / "clinic.md"
    path.write_text(path.read_text().replace('opens: "08:00"', "opens: 8:00"))
    message = load_errors(content_dir)
    assert "clinic.md:15: location 1, hours line 2: 'opens' must be a time in quotes" in message


def test_any_error_writes_nothing_even_to_valid_files(content_dir):
    load_content(content_dir)
    good = content_dir / "faq/does-it-hurt.md"
    good.write_text(good.read_text().replace("small prick", "tiny prick"))
    write(content_dir, "conditions/bad.md", "---\nname: Bad\n---\nText.\n")
    with pytest.raises(ContentErrors):
        load_content(content_dir)
    assert "small prick" in FaqEntry.objects.get().answer
    assert not Condition.objects.filter(slug="bad").exists()


def test_every_problem_is_reported_at_once(content_dir):
    write(content_dir, "faq/a.md", "---\nquestion: A?\n---\nA.\n")
    write(content_dir, "faq/b.md", "---\nquestion: B?\ncategory: about\norder: 1\n"
                     "last_reviewed: 2026-11-02\nreviewed_by: PT\ncolour: red\n---\nB.\n")
    message = load_errors(content_dir)
    assert "faq/a.md" in message and "faq/b.md" in message


def test_command_reports_problems_and_exits_with_an_error(content_dir):
    write(content_dir, "faq/a.md", "---\nquestion: A?\n---\nA.\n")
    with pytest.raises(CommandError, match=r"1 problem\(s\) in .*nothing was loaded:\n.*faq/a.md:1"):
        call_command("load_content", path=str(content_dir))
    assert row_counts() == [0, 0, 0, 0, 0, 0]


def test_the_real_content_folder_loads_cleanly_and_twice_changes_nothing():
    first = load_content(REAL_CONTENT)
    assert first.created and not first.updated
    second = load_content(REAL_CONTENT)
    assert not second.changed


def test_provider_at_an_unknown_location_is_refused(content_dir):
    path = content_dir / "providers/alex-example.md"
    path.write_text(path.read_text().replace("[riverside]", "[nowhere]"))
    assert "alex-example.md:6: unknown location 'nowhere' in 'locations'" in load_errors(content_dir)


def test_first_revision_of_a_loaded_row_keeps_its_links(content_dir):
    # New rows are written in bulk; their first revision must still hold the links, so
    # restoring it in the admin brings them back.
    load_content(content_dir)
    revision = Topic.objects.get().history.get()
    assert revision.history_change_reason == "load_content"
    assert [link.reference.key for link in revision.references.all()] == ["gattie-2017"]
    condition_revision = Condition.objects.get().history.get()
    assert [link.topic.slug for link in condition_revision.topics.all()] == ["what-is-dry-needling"]


def redirect_the_faq_answer_away():
    Redirect.objects.create(site=Site.objects.get_current(), old_path="/faq/does-it-hurt/", new_path="/faq/")


def load_the_faq_answer_as_a_draft(content_dir):
    path = content_dir / "faq/does-it-hurt.md"
    path.write_text(path.read_text().replace("order: 10\n", "order: 10\npublished: false\n", 1))
    load_content(content_dir)
    assert not FaqEntry.objects.get().published
    return path


def test_a_loaded_page_replaces_an_old_redirect_at_its_address(content_dir):
    redirect_the_faq_answer_away()
    load_content(content_dir)
    assert not Redirect.objects.filter(old_path="/faq/does-it-hurt/").exists()


def test_a_draft_published_by_a_load_replaces_an_old_redirect_at_its_address(content_dir):
    path = load_the_faq_answer_as_a_draft(content_dir)
    redirect_the_faq_answer_away()
    path.write_text(path.read_text().replace("published: false\n", "published: true\n"))
    assert load_content(content_dir).updated == ["faq/does-it-hurt"]
    assert FaqEntry.objects.get().published
    assert not Redirect.objects.filter(old_path="/faq/does-it-hurt/").exists()


def test_a_line_deleted_from_a_file_gives_the_field_its_default(content_dir):
    faq = load_the_faq_answer_as_a_draft(content_dir)
    faq.write_text(faq.read_text().replace("published: false\n", ""))
    reference = content_dir / "references/gattie-2017.md"
    reference.write_text(reference.read_text().replace("doi: 10.2519/jospt.2017.7096\n", ""))
    report = load_content(content_dir)
    assert sorted(report.updated) == ["faq/does-it-hurt", "references/gattie-2017"]
    assert FaqEntry.objects.get().published  # "optional, default true" (content/README.md)
    assert Reference.objects.get().doi == ""


# --- A load with nothing to change validates only what can change (issue 20) ----------------

def test_an_unchanged_file_is_not_validated_again_but_its_pictures_are(content_dir, monkeypatch):
    from pages.content import reading

    path = content_dir / "topics/what-is-dry-needling.md"
    path.write_text(path.read_text() + "\n![A diagram of the neck muscles](/media/images/neck.png)\n")
    monkeypatch.setattr("pages.text.markdown.picture_exists", lambda src: True)
    load_content(content_dir)
    full_cleans = []
    original = reading.validate_model

    def counting(source, model, fields, values, exclude=None, stored=False):
        full_cleans.append((model.__name__, stored))
        return original(source, model, fields, values, exclude=exclude, stored=stored)

    monkeypatch.setattr(reading, "validate_model", counting)
    assert not load_content(content_dir).changed
    assert full_cleans and all(stored for _model, stored in full_cleans if _model != "Clinic")
    # The picture was deleted since: the same file is refused, naming it, and nothing changes.
    monkeypatch.setattr("pages.text.markdown.picture_exists", lambda src: False)
    with pytest.raises(ContentErrors) as info:
        load_content(content_dir)
    assert "what-is-dry-needling.md" in str(info.value) and "/media/images/neck.png" in str(info.value)


def test_a_changed_file_is_still_validated_in_full(loaded):
    path = loaded / "topics/what-is-dry-needling.md"
    path.write_text(path.read_text().replace("title:", "title: " + "x" * 300 + " #", 1))
    with pytest.raises(ContentErrors) as info:
        load_content(loaded)
    assert "'title'" in str(info.value)


class Undo(Exception):
    pass


def test_the_tests_copy_of_the_real_content_is_dated_no_later_than_now():
    """The `site_content` fixture copies the run's first load back in, its history moved on to
    now. A revision dated after now would be "newer" than a change a test makes next (the
    translator's "mark updated" then found nothing to mark: a flaky browser test)."""
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from tests.conftest import _real_content

    try:
        with transaction.atomic():
            _real_content.load()  # the run's first load (or a copy of it), then undone
            raise Undo
    except Undo:
        pass
    _real_content.load()  # a copy, certainly
    now = timezone.now()
    for model in (Topic, FaqEntry, Condition, Reference):
        newest = model.history.aggregate(newest=Max("history_date"))["newest"]
        assert newest <= now, f"{model.__name__}: a copied revision is dated {newest - now} after now"
