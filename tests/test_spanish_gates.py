"""The Spanish edition's content gates: INFLESZ (Szigriszt-Pazos) >= 65, sentences <= 30 words."""
import textstat

from pages.content import read_content
from pages.spanish_readability import MIN_INFLESZ, check_spanish_reading_level, inflesz
from tests.conftest import REAL_CONTENT, write


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
    from pages.spanish_readability import word_count

    assert word_count("La punción seca no inyectó ningún medicamento.") == 7


def test_spanish_score_sets_textstat_back_to_english():
    # textstat's language is global; the English gates run in the same process.
    english = "Dry needling is a treatment for sore, tight muscles. It can ease pain for a while."
    before = textstat.flesch_kincaid_grade(english)
    assert inflesz("Puede sentir un pinchazo pequeño. Luego se le pasa.") > MIN_INFLESZ
    assert textstat.textstat._textstatistics__lang == "en"
    assert textstat.flesch_kincaid_grade(english) == before
