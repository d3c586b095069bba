"""The Spanish edition's content gates: INFLESZ (Szigriszt-Pazos) >= 65, sentences <= 30 words; the
clinical gates (where to go, question headings, sources, review dates) read Spanish too; and a
translation says what its English says (citations, numbers, the "Call 911" box)."""
import pytest
import textstat

from pages.content import gates as quality
from pages.content import read_content
from pages.content.gates import check_spanish_reading_level
from pages.content.translation_gates import check_same_as_english
from pages.text.spanish_readability import MIN_INFLESZ, inflesz
from tests.helpers import REAL_CONTENT, write


def test_every_spanish_page_in_content_passes_the_spanish_gates(db):
    records, _clinic = read_content(REAL_CONTENT)
    assert any(record.kind.language == "es" for record in records)
    assert check_spanish_reading_level(records) == []


def spanish_answer(root, text):
    return write(root, "es/faq/duele.md", f"""
        ---
        translation_of: does-it-hurt
        source_hash: "000000000000"
        question: ¿Duele?
        category: session
        order: 10
        last_reviewed: 2026-11-02
        reviewed_by: Fisioterapeuta, DPT
        ---
        {text}
        """)


def test_hard_spanish_fails_naming_the_file_and_score(db, content_dir):
    path = spanish_answer(content_dir, "La intervención terapéutica miofascial instrumentada proporciona "
                                      "modificaciones neurofisiológicas considerablemente significativas.")
    problems = check_spanish_reading_level(read_content(content_dir)[0])
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: INFLESZ ")
    assert f"is below {MIN_INFLESZ} (Szigriszt-Pazos)" in problems[0]


def test_long_spanish_sentence_fails_naming_the_line(db, content_dir):
    sentence = " ".join(["Usted puede venir a la clínica"] * 6) + "."
    path = spanish_answer(content_dir, sentence)
    problems = check_spanish_reading_level(read_content(content_dir)[0])
    assert f"{path}:10: sentence of 36 words (limit 30): \"{sentence}\"" in problems


def test_words_with_accents_count_once():
    from pages.text.spanish_readability import word_count

    assert word_count("La punción seca no inyectó ningún medicamento.") == 7


def test_spanish_score_sets_textstat_back_to_english():
    # textstat's language is global; the English gates run in the same process.
    english = "Dry needling is a treatment for sore, tight muscles. It can ease pain for a while."
    before = textstat.flesch_kincaid_grade(english)
    assert inflesz("Puede sentir un pinchazo pequeño. Luego se le pasa.") > MIN_INFLESZ
    assert textstat.textstat._textstatistics__lang == "en"
    assert textstat.flesch_kincaid_grade(english) == before


# --- The clinical gates hold for translations too --------------------------------------------

def spanish_topic(root, body, references="[gattie-2017]", extra=""):
    return write(root, "es/topics/que-es.md", f"""
        ---
        translation_of: what-is-dry-needling
        source_hash: "000000000000"
        title: ¿Qué es la punción seca?
        summary: Una aguja fina entra en un punto tenso del músculo.
        menu_order: 10
        last_reviewed: 2026-11-02
        reviewed_by: Fisioterapeuta, DPT
        references: {references}
        {extra}
        ---
        {body}
        """)


SAME_AS_ENGLISH = """## ¿Qué es?

        Puede calmar el dolor por poco tiempo [@gattie-2017].

        ## ¿Duele?

        Puede sentir un pinchazo pequeño."""


def problems_of(root, gate):
    return gate(read_content(root)[0])


def test_spanish_topic_heading_must_be_a_question(db, content_dir):
    path = spanish_topic(content_dir, SAME_AS_ENGLISH + "\n\n        ## Seguridad\n\n        Es raro.")
    assert f"{path}:20: heading 'Seguridad' is not a question" in problems_of(content_dir, quality.check_topic_shape)


def test_spanish_topic_needs_references(db, content_dir):
    path = spanish_topic(content_dir, "## ¿Qué es?\n\n        Una aguja fina.", references="[]")
    assert any(p.startswith(f"{path}:") and "needs at least one reference" in p
               for p in problems_of(content_dir, quality.check_references))


def test_spanish_review_date_in_the_future_is_caught(db, content_dir):
    path = spanish_topic(content_dir, SAME_AS_ENGLISH)
    path.write_text(path.read_text().replace("2026-11-02", "2999-01-01"))
    assert [p for p in problems_of(content_dir, quality.check_freshness) if p.startswith(str(path))]


@pytest.mark.parametrize("sentence", [
    "Si tiene dolor de pecho, vaya a urgencias.",
    "Si tiene falta de aire, vaya a una clínica de atención urgente.",
])
def test_spanish_red_flag_sent_to_urgent_care_is_caught(db, content_dir, sentence):
    path = spanish_topic(content_dir, SAME_AS_ENGLISH + f"\n\n        {sentence}")
    problems = problems_of(content_dir, quality.check_where_to_go)
    assert [p for p in problems if p.startswith(f"{path}:20: ") and "urgent care" in p], problems


@pytest.mark.parametrize("sentence", [
    "Vigile si tiene dolor de pecho en los próximos días.",
    "Puede doler al respirar hondo.",
    "Si tiene entumecimiento entre las piernas, es una señal de alarma.",
    "Si no puede controlar la vejiga, es grave.",
])
def test_spanish_red_flag_with_nowhere_to_go_is_caught(db, content_dir, sentence):
    path = spanish_topic(content_dir, SAME_AS_ENGLISH + f"\n\n        {sentence}")
    assert problems_of(content_dir, quality.check_where_to_go) == [
        f"{path}:20: names a red-flag symptom but does not send the reader to 911 or the emergency "
        f"department (Spanish: \"llame al 911 o vaya a la sala de emergencias\"): \"{sentence}\""
    ]


def test_spanish_red_flag_sent_to_911_passes(db, content_dir):
    spanish_topic(content_dir, SAME_AS_ENGLISH + (
        "\n\n        Si tiene dolor de pecho o falta de aire, **llame al 911 o vaya a la sala de emergencias.**"
        "\n\n        Si la clínica está cerrada, vaya a una clínica de atención urgente."))
    assert problems_of(content_dir, quality.check_where_to_go) == []


def test_urgencias_is_refused_anywhere_in_spanish(db, content_dir):
    path = spanish_topic(content_dir, SAME_AS_ENGLISH + "\n\n        Para la fiebre, vaya a urgencias.")
    assert problems_of(content_dir, quality.check_where_to_go) == [
        f"{path}:20: 'urgencias' is the emergency department in much of Latin America and urgent care in "
        "the US: write \"la sala de emergencias\" or \"una clínica de atención urgente\": "
        "\"Para la fiebre, vaya a urgencias.\""
    ]


def test_translation_that_says_what_its_english_says_passes(db, content_dir):
    safe = "\n\n        ## ¿Es seguro?\n\n        Los problemas serios son raros."
    spanish_topic(content_dir, SAME_AS_ENGLISH + safe)
    assert check_same_as_english(read_content(content_dir)[0]) == []


def test_translation_missing_a_citation_of_its_english_is_caught(db, content_dir):
    path = spanish_topic(content_dir, SAME_AS_ENGLISH.replace(" [@gattie-2017]", ""))
    assert check_same_as_english(read_content(content_dir)[0]) == [
        f"{path}: does not cite [@gattie-2017] as what-is-dry-needling.md does"]


def test_translation_dropping_or_adding_a_number_is_caught(db, content_dir):
    english = content_dir / "topics/what-is-dry-needling.md"
    english.write_text(english.read_text().replace("for a short time", "for up to 12 weeks"))
    path = spanish_topic(content_dir, SAME_AS_ENGLISH.replace("por poco tiempo", "por 2,500 semanas"))
    assert check_same_as_english(read_content(content_dir)[0]) == [
        f"{path}: the number 12 of what-is-dry-needling.md is missing",
        f"{path}:14: the number 2,500 is not in what-is-dry-needling.md",
    ]


def test_translation_without_the_call_911_box_of_its_english_is_caught(db, content_dir):
    english = content_dir / "topics/what-is-dry-needling.md"
    english.write_text(english.read_text().replace("menu_order: 10", "menu_order: 10\nred_flags: true"))
    path = spanish_topic(content_dir, SAME_AS_ENGLISH)
    assert check_same_as_english(read_content(content_dir)[0]) == [
        f"{path}: red_flags is false but true in what-is-dry-needling.md (the \"Call 911\" box)"]


def test_every_spanish_page_in_content_says_what_its_english_says(db):
    records, _clinic = read_content(REAL_CONTENT)
    assert check_same_as_english(records) == []
