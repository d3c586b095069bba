"""How hard a text is to read: the plain-language bar every page and answer must meet.

The text is taken from the rendered Markdown, so list items, headings and table cells count
as separate sentences (a list without full stops would otherwise read as one long sentence)
and citations, images and URLs are not counted as words.
"""
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import textstat

from .markdown import render_markdown

MAX_GRADE = 8
MAX_SENTENCE_WORDS = 30

BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "figcaption"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LIST_TAGS = {"ul", "ol"}
SKIPPED_TAGS = {"code", "pre", "sup"}
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
# Where a `[@key]` citation stood, kept in the text only when asked for (see cited_sentences).
CITATION_MARK = re.compile("\x02([^\x03]*)\x03")
CITATION_AFTER_STOP = re.compile("([.!?][\"')\\]]*)\\s*((?:\x02[^\x03]*\x03\\s*)*\x02[^\x03]*\x03)")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")


@dataclass
class Block:
    """One paragraph, list item, heading or table cell as plain text."""

    tag: str
    text: str
    lead: str = ""  # for a list item: the paragraph (or item) that introduces its list


class _BlockText(HTMLParser):
    def __init__(self, mark_citations=False):
        super().__init__()
        self.mark_citations = mark_citations
        self.blocks, self.current, self.skipping = [], [], 0
        self.tags, self.leads = ["p"], []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS or tag in LIST_TAGS:
            self.flush()
        if tag in BLOCK_TAGS:
            self.tags.append(tag)
        if tag in LIST_TAGS:
            self.leads.append(self.blocks[-1].text if self.blocks else "")
        if tag == "a" and ("class", "cite") in attrs and self.mark_citations and not self.skipping:
            self.current.append(f"\x02{dict(attrs).get('href', '').removeprefix('#ref-')}\x03")
        if tag in SKIPPED_TAGS or (tag == "a" and ("class", "cite") in attrs):
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS or (tag == "a" and self.skipping):
            self.skipping = max(0, self.skipping - 1)
        if tag in BLOCK_TAGS:
            self.flush()
            if len(self.tags) > 1:
                self.tags.pop()
        if tag in LIST_TAGS and self.leads:
            self.leads.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            tag = self.tags[-1]
            self.blocks.append(Block(tag, text, self.leads[-1] if tag == "li" and self.leads else ""))
        self.current = []


def blocks(markdown_text, mark_citations=False):
    """The readable text of a Markdown document as Blocks: paragraphs, items, headings, cells."""
    parser = _BlockText(mark_citations)
    parser.feed(render_markdown(markdown_text))
    parser.close()
    parser.flush()
    return parser.blocks


def text_blocks(markdown_text):
    """The readable text of a Markdown document, one string per paragraph, item or heading."""
    return [block.text for block in blocks(markdown_text)]


def split_sentences(text):
    """One paragraph, item or heading's text as sentences."""
    # A citation taken out of "... sham [@gattie-2017]." leaves "sham ."; close the gap.
    text = SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def sentences(markdown_text):
    return [s for block in text_blocks(markdown_text) for s in split_sentences(block)]


def cited_sentences(markdown_text):
    """(sentence, [keys]) for each sentence carrying `[@key]` citations, in reading order.

    A citation written after the full stop (`... sham. [@gattie-2017]`) belongs to the
    sentence before it, as it does for a reader."""
    found = []
    for block in blocks(markdown_text, mark_citations=True):
        text = CITATION_AFTER_STOP.sub(r"\2\1", block.text)
        for sentence in split_sentences(text):
            keys = CITATION_MARK.findall(sentence)
            if keys:
                plain = SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(CITATION_MARK.sub(" ", sentence).split()))
                found.append((plain, list(dict.fromkeys(keys))))
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
