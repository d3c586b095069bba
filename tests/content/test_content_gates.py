"""The content gates: each runs on the real content/ (and must pass) and on a bad example
(and must catch it, naming the file and the sentence)."""
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from pages.content import gates as quality
from pages.content import read_content
from tests.helpers import REAL_CONTENT, RED_FLAGS_FILE, write

pytestmark = pytest.mark.django_db

SEEDS_DIR = Path(settings.SEEDS_DIR)
needs_seeds = pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"seed pages not found at {SEEDS_DIR}")


@pytest.fixture(scope="module")
def real_records(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        records, _clinic = read_content(REAL_CONTENT)
    return records


def faq_file(question, body):
    return (f"---\nquestion: {question}\ncategory: about\norder: 1\n"
            f"last_reviewed: 2026-11-02\nreviewed_by: PT\n---\n{body}\n")


def records_of(directory):
    return read_content(directory)[0]


def assert_no_problems(problems):
    assert not problems, "\n".join(problems)


# --- The real content passes every gate --------------------------------------------------

def test_every_page_and_answer_reads_at_grade_8_or_lower(real_records):
    assert_no_problems(quality.check_reading_level(real_records))


def test_every_topic_heading_is_a_patient_question(real_records):
    assert_no_problems(quality.check_topic_shape(real_records))


def test_topic_shape_gate_catches_a_heading_that_is_not_a_question(content_dir):
    path = content_dir / "topics/what-is-dry-needling.md"
    path.write_text(path.read_text().replace("## Is it safe?", "## Safety"))
    assert quality.check_topic_shape(records_of(content_dir)) == [
        f"{path}:17: heading 'Safety' is not a question"
    ]


@needs_seeds
def test_no_run_of_8_words_is_copied_from_the_seed_pages(real_records):
    assert_no_problems(quality.check_originality(real_records, SEEDS_DIR))


def test_every_topic_cites_well_formed_existing_references(real_records):
    assert_no_problems(quality.check_references(real_records))


def test_every_topic_has_a_review_date_not_in_the_future(real_records):
    assert_no_problems(quality.check_freshness(real_records))


def test_every_red_flag_sentence_sends_the_reader_to_911_or_the_emergency_department(real_records):
    assert_no_problems(quality.check_where_to_go(real_records))


def test_every_risk_is_written_as_about_1_in_n(real_records):
    assert_no_problems(quality.check_numbers(real_records))


def test_every_internal_link_and_image_in_content_resolves(real_records):
    assert_no_problems(quality.check_links(real_records))


def test_required_coverage_is_present(real_records):
    slugs = {(r.kind.folder, r.slug) for r in real_records}
    for slug in ["what-is-dry-needling", "trigger-points-and-referred-pain", "dry-needling-vs-acupuncture",
                 "what-a-session-feels-like", "is-dry-needling-right-for-me", "safety-and-side-effects",
                 "after-care", "insurance-and-cost", "who-can-do-dry-needling",
                 "dry-needling-in-your-treatment-plan"]:
        assert ("topics", slug) in slugs
    assert sum(folder == "faq" for folder, _ in slugs) >= 20
    assert sum(folder == "conditions" for folder, _ in slugs) >= 12


# --- Each gate catches a bad example -------------------------------------------------------

def test_reading_gate_names_the_file_and_the_long_sentence(content_dir):
    long = ("You should know that this particular sentence keeps going on and on with many words "
            "so that it becomes far longer than the thirty words that a patient can read in one go easily.")
    write(content_dir, "faq/long.md", faq_file("Long?", f"Short one.\n\n{long}"))
    problems = quality.check_reading_level(records_of(content_dir))
    assert any("faq/long.md:10: sentence of 34 words (limit 30)" in p and "keeps going on" in p for p in problems)


def test_reading_gate_catches_a_hard_text(content_dir):
    hard = ("Myofascial nociceptive sensitisation demonstrates considerable interindividual variability "
            "regarding electrophysiological characteristics. ") * 3
    write(content_dir, "faq/hard.md", faq_file("Hard?", hard))
    problems = quality.check_reading_level(records_of(content_dir))
    assert any("faq/hard.md: reading grade" in p and "above 8" in p for p in problems)


@needs_seeds
def test_originality_gate_catches_a_run_copied_from_a_seed(content_dir):
    seed = sorted(SEEDS_DIR.glob("*.txt"))[0]
    copied = " ".join(seed.read_text().split()[40:52])
    write(content_dir, "faq/copied.md", faq_file("Copied?", f"As they say, {copied}"))
    problems = quality.check_originality(records_of(content_dir), SEEDS_DIR)
    assert any(p.startswith(f"{content_dir}/faq/copied.md:8: 8 words in a row are the same as seeds/{seed.name}")
               for p in problems), problems


def test_reference_gate_catches_a_topic_without_references(content_dir):
    path = content_dir / "topics/what-is-dry-needling.md"
    path.write_text(path.read_text().replace("references: [gattie-2017]", "references: []")
                    .replace(" [@gattie-2017]", ""))
    problems = quality.check_references(records_of(content_dir))
    assert problems == [f"{path}:7: a topic page needs at least one reference in 'references'"]


def test_reference_gate_catches_a_malformed_doi(content_dir):
    # The loader already refuses such a file; the gate must catch it in what it is handed too.
    records = records_of(content_dir)
    (reference,) = [r for r in records if r.slug == "gattie-2017"]
    reference.values["doi"] = "doi.org/jospt.2017"
    problems = quality.check_references(records)
    assert problems == [f"{reference.source.path}:7: malformed DOI 'doi.org/jospt.2017'"]


def test_freshness_gate_catches_a_review_date_in_the_future(content_dir):
    problems = quality.check_freshness(records_of(content_dir), today=datetime.date(2026, 1, 1))
    assert f"{content_dir}/topics/what-is-dry-needling.md:5: 'last_reviewed' 2026-11-02 is in the future" in problems
    assert len(problems) == 3  # the topic, the answer and the condition


def test_link_gate_catches_a_broken_internal_link(content_dir):
    write(content_dir, "faq/links.md", """
        ---
        question: Links?
        category: about
        order: 1
        last_reviewed: 2026-11-02
        reviewed_by: PT
        ---
        See [the old page](/no-such-page/), [a missing answer](/faq/#nope), [a section](/what-is-dry-needling/#nope)
        and [a good one](/what-is-dry-needling/#does-it-hurt).
        """)
    problems = quality.check_links(records_of(content_dir))
    assert [p.split(": ", 1)[1] for p in problems] == [
        "link '/no-such-page/' goes to 'no-such-page', which is not a published page",
        "link '/faq/#nope' has no answer '#nope' on the FAQ page",
        "link '/what-is-dry-needling/#nope' has no section '#nope' on that page",
    ]
    assert problems[0].startswith(f"{content_dir}/faq/links.md:8:")


def test_link_gate_catches_a_link_to_an_unpublished_page(content_dir):
    path = content_dir / "conditions/neck-pain.md"
    path.write_text(path.read_text().replace("topics: [what-is-dry-needling]", "published: false"))
    write(content_dir, "faq/links.md", faq_file("L?", "[x](/conditions/neck-pain/)"))
    problems = quality.check_links(records_of(content_dir))
    assert any("'neck-pain', which is not a published page" in p for p in problems)


def test_link_gate_catches_an_image_without_alt_text(content_dir):
    # The loader already refuses such a file (the model's Markdown validator); the gate too.
    records = records_of(content_dir)
    (faq,) = [r for r in records if r.slug == "does-it-hurt"]
    faq.values["answer"] = "![](/static/favicon.svg)"
    assert quality.check_links(records) == [f"{faq.source.path}: image '/static/favicon.svg' has no alt text"]


def test_loader_refuses_an_image_without_alt_text(content_dir):
    from pages.content import ContentErrors

    write(content_dir, "faq/image.md", faq_file("I?", "![](/static/favicon.svg)"))
    with pytest.raises(ContentErrors, match=r"faq/image.md:8: 'answer': A picture has no description"):
        read_content(content_dir)


# --- Where to go: red flags go to 911 or the emergency department --------------------------

@pytest.mark.parametrize("sentence", [
    "Get urgent care if you have numbness between your legs.",
    "If you lose control of your bladder, go to urgent care or call 911.",
    "New chest pain after needling needs urgent care.",
    "Go to urgent care for new weakness in an arm or leg.",
    "Numbness that spreads needs urgent care.",
    "For severe new pain in your neck or back, go to urgent care.",
])
def test_where_to_go_gate_catches_urgent_care_for_a_red_flag(content_dir, sentence):
    write(content_dir, "faq/red.md", faq_file("When do I get help?", f"Most soreness is mild.\n\n{sentence}"))
    assert quality.check_where_to_go(records_of(content_dir)) == [
        f"{content_dir}/faq/red.md:10: sends a red-flag symptom to urgent care (a walk-in clinic): "
        f"say \"call 911 or go to the emergency department\": \"{sentence}\""
    ]


@pytest.mark.parametrize("sentence", [
    "Watch for chest pain over the next few days.",
    "Tell someone if you feel short of breath when you climb stairs.",
    "Trouble breathing can start hours later.",
    "It may hurt when you breathe in.",
    "New trouble controlling your bowels is a warning sign.",
    "A dry cough after needling near the chest is a warning sign.",
])
def test_where_to_go_gate_catches_a_red_flag_with_nowhere_to_go(content_dir, sentence):
    write(content_dir, "faq/red.md", faq_file("What should I watch for?", f"Most soreness is mild.\n\n{sentence}"))
    assert quality.check_where_to_go(records_of(content_dir)) == [
        f"{content_dir}/faq/red.md:10: names a red-flag symptom but does not send the reader to 911 or "
        f"the emergency department: \"{sentence}\""
    ]


def test_where_to_go_gate_catches_a_red_flag_heading_whose_section_sends_nowhere(content_dir):
    write(content_dir, "faq/red.md", faq_file("Is soreness normal?", (
        "## What if I feel short of breath?\n\nRest and it will pass.\n\n## Can I drive?\n\nCall 911 if you crash.")))
    assert quality.check_where_to_go(records_of(content_dir)) == [
        f"{content_dir}/faq/red.md:8: names a red-flag symptom but does not send the reader to 911 or "
        "the emergency department: \"What if I feel short of breath?\""
    ]


def test_where_to_go_gate_passes_911_in_the_sentence_the_next_one_a_list_lead_or_a_section(content_dir):
    write(content_dir, "faq/good.md", faq_file("Is chest pain after needling serious?", """
## What if I have chest pain or trouble breathing?

Get help at once. A collapsed lung is rare.

If you get new chest pain, call 911 or go to the emergency department [@gattie-2017].

If you feel short of breath, do not wait. **Call 911 or go to the emergency department.**

**Call 911 or go to the emergency department** if you have:

- Pain when you breathe in.
- Numbness between your legs, or new trouble controlling your bladder or bowels.

For a fever or a red, hot needle spot, call the clinic. If it is closed, go to an urgent care clinic.
"""))
    assert quality.check_where_to_go(records_of(content_dir)) == []


# --- Numbers: risks as about 1 in N ---------------------------------------------------------

@pytest.mark.parametrize("sentence, number", [
    ("Mild side effects came with 19.18% of treatments.", "19.18%"),
    ("Pain during treatment: 3.01 percent.", "3.01 percent"),
])
def test_numbers_gate_catches_a_decimal_percentage_without_1_in_n(content_dir, sentence, number):
    write(content_dir, "faq/risk.md", faq_file("How common is it?", f"It is common.\n\n{sentence}"))
    assert quality.check_numbers(records_of(content_dir)) == [
        f"{content_dir}/faq/risk.md:10: '{number}' without 'about 1 in N' beside it (write the risk as about "
        f"1 in N, the percentage after it if at all): \"{sentence}\""
    ]


def test_numbers_gate_passes_about_1_in_n_and_whole_percentages(content_dir):
    write(content_dir, "faq/risk.md", faq_file("How common is it?", (
        "Mild side effects came with about 1 in 5 treatments (19.18%). About 20% of people bruise. "
        "Serious problems were fewer than about 1 in 2,500.")))
    assert quality.check_numbers(records_of(content_dir)) == []


# --- Citations table ------------------------------------------------------------------------

def test_cited_sentences_are_listed_with_their_source_and_counted(content_dir, capsys):
    write(content_dir, "faq/cited.md", faq_file("Does it work?", (
        "It helped pain for up to 12 weeks [@gattie-2017]. Ask your therapist. "
        "A second review agreed. [@gattie-2017]")))
    call_command("check_content", "--citations", path=str(content_dir))
    out = capsys.readouterr().out
    assert "| file | sentence | source |" in out
    assert ("| faq/cited.md | It helped pain for up to 12 weeks. | gattie-2017: Gattie 2017, "
            "The effectiveness of trigger point dry needling |") in out
    assert "| faq/cited.md | A second review agreed. | gattie-2017" in out
    assert "Ask your therapist" not in out
    assert out.rstrip().endswith("3 claims, 1 sources, 3.0 claims per source (gattie-2017 3)")


def test_check_content_runs_the_where_to_go_and_numbers_gates(content_dir):
    write(content_dir, "faq/bad.md", faq_file("When?", "Get urgent care for chest pain. It came with 7.55% of visits."))
    with pytest.raises(CommandError) as caught:
        call_command("check_content", path=str(content_dir))
    assert "2 problem(s)" in str(caught.value)
    assert "faq/bad.md:8: sends a red-flag symptom to urgent care" in str(caught.value)
    assert "faq/bad.md:8: '7.55%' without 'about 1 in N'" in str(caught.value)


def test_freshness_gate_checks_answers_and_conditions_too(content_dir):
    path = content_dir / "conditions/neck-pain.md"
    path.write_text(path.read_text().replace("last_reviewed: 2026-11-02", "last_reviewed: 2027-05-01"))
    problems = quality.check_freshness(records_of(content_dir), today=datetime.date(2026, 12, 1))
    assert problems == [f"{path}:6: 'last_reviewed' 2027-05-01 is in the future"]


# --- review_due -------------------------------------------------------------------------

def test_review_due_lists_pages_past_their_review_date(loaded, capsys):
    call_command("review_due", "--today=2027-11-03")
    out = capsys.readouterr().out
    assert "what-is-dry-needling" in out and "due 2027-11-02" in out


def test_review_due_says_when_nothing_is_due(loaded, capsys):
    call_command("review_due", "--today=2027-01-01")
    assert "No page is due for review" in capsys.readouterr().out


def test_every_page_lists_warning_signs_as_the_red_flag_list_does(real_records):
    assert_no_problems(quality.check_red_flag_list(real_records))


# --- The one red-flag list: pages say what it says -------------------------------------------

@pytest.mark.parametrize("body, message", [
    ("Call 911 or go to the emergency department if you have:\n\n- chest pain or pain when breathing in",
     "'chest pain or pain when breathing in' is nearly the sign 'chest pain, or pain when you breathe in' "
     "of red-flags.md: write the list's words exactly"),
    ("Call the clinic if you have:\n\n- chest pain, or pain when you breathe in",
     "'chest pain, or pain when you breathe in' needs 911 or the emergency department in red-flags.md, "
     "but its list says: \"Call the clinic if you have:\""),
    ("Warning signs can start up to 24 hours after needling. Call 911 if you have them.",
     "says the signs start after 24 hours; red-flags.md says a day, hours: \"These signs can start hours after "
     "needling, or even a day or more later.\""),
    ("Call the clinic if your soreness lasts more than 2 days.",
     "sends soreness to the clinic after 2 days; red-flags.md says after 3: \"Call the clinic if your soreness "
     "lasts more than 2 days.\""),
])
def test_red_flag_list_gate_catches_a_page_that_differs_from_the_list(content_dir, body, message):
    write(content_dir, "red-flags.md", RED_FLAGS_FILE)
    write(content_dir, "faq/red.md", faq_file("What should I watch for?", f"Most soreness is mild.\n\n{body}"))
    problems = quality.check_red_flag_list(records_of(content_dir))
    assert len(problems) == 1 and problems[0].startswith(f"{content_dir}/faq/red.md:") and message in problems[0], \
        problems


def test_red_flag_list_gate_passes_a_page_in_the_lists_words(content_dir):
    write(content_dir, "red-flags.md", RED_FLAGS_FILE)
    write(content_dir, "faq/red.md", faq_file("What should I watch for?", (
        "Call 911 or go to the emergency department if you have:\n\n- chest pain, or pain when you breathe in\n"
        "- fainting (passing out)\n\nThese signs can start hours after needling, or even a day or more later.\n\n"
        "Call the clinic if your soreness lasts more than 3 days. Most soreness is gone in a day or two.\n\n"
        "- a bruise\n- stiffness")))
    assert quality.check_red_flag_list(records_of(content_dir)) == []
