"""How hard a text is to read: the plain-language bar every page and answer must meet.

The text is taken from the rendered Markdown, so list items, headings and table cells count
as separate sentences (a list without full stops would otherwise read as one long sentence)
and citations, images and URLs are not counted as words.
"""
import re
from html.parser import HTMLParser

import textstat

from .markdown import render_markdown

MAX_GRADE = 8
MAX_SENTENCE_WORDS = 30

BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "figcaption"}
SKIPPED_TAGS = {"code", "pre", "sup"}
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")


class _BlockText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks, self.current, self.skipping = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.flush()
        if tag in SKIPPED_TAGS or (tag == "a" and ("class", "cite") in attrs):
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS or (tag == "a" and self.skipping):
            self.skipping = max(0, self.skipping - 1)
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def text_blocks(markdown_text):
    """The readable text of a Markdown document, one string per paragraph, item or heading."""
    parser = _BlockText()
    parser.feed(render_markdown(markdown_text))
    parser.close()
    parser.flush()
    return parser.blocks


def sentences(markdown_text):
    found = []
    for block in text_blocks(markdown_text):
        found += [s.strip() for s in SENTENCE_END.split(block) if s.strip()]
    return found


def word_count(sentence):
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", sentence))


def plain_text(markdown_text):
    """Blocks joined as sentences, so each list item or heading ends a sentence."""
    return " ".join(
        block if block[-1] in ".!?:" else block + "." for block in text_blocks(markdown_text)
    )


def reading_grade(markdown_text):
    """Flesch-Kincaid grade level (textstat), or None for text too short to judge."""
    text = plain_text(markdown_text)
    if word_count(text) < 5:
        return None
    return round(textstat.flesch_kincaid_grade(text), 1)


def long_sentences(markdown_text, limit=MAX_SENTENCE_WORDS):
    return [s for s in sentences(markdown_text) if word_count(s) > limit]
