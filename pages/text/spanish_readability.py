"""How hard a Spanish page is to read: INFLESZ (Szigriszt-Pazos) and sentence length.

INFLESZ 65-80 is "bastante fácil", the bar for patients' pages in Spanish (the English
pages' Flesch-Kincaid grade 8). The text is taken block by block from the rendered Markdown,
as for English (pages.text.readability).
"""
import re
import threading
from contextlib import contextmanager

import textstat

from .readability import MAX_SENTENCE_WORDS, SENTENCE_END, text_blocks

MIN_INFLESZ = 65

_language_lock = threading.Lock()


@contextmanager
def textstat_language(code):
    """textstat's language is one global setting: set it for the block, then back to English
    (the English gates run in the same process)."""
    with _language_lock:
        textstat.set_lang(code)
        try:
            yield
        finally:
            textstat.set_lang("en")


def word_count(sentence):
    return len(re.findall(r"[^\W_][\w'’-]*", sentence))


def sentences(markdown_text):
    found = []
    for block in text_blocks(markdown_text):
        found += [s.strip() for s in SENTENCE_END.split(block) if s.strip()]
    return found


def plain_text(markdown_text):
    return " ".join(block if block[-1] in ".!?:" else block + "." for block in text_blocks(markdown_text))


def inflesz(markdown_text):
    """Szigriszt-Pazos readability (higher is easier), or None for text too short to judge."""
    text = plain_text(markdown_text)
    if word_count(text) < 5:
        return None
    with textstat_language("es"):
        return round(textstat.szigriszt_pazos(text), 1)


def long_sentences(markdown_text, limit=MAX_SENTENCE_WORDS):
    return [s for s in sentences(markdown_text) if word_count(s) > limit]
