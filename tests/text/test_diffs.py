import difflib
import html as html_module
import random
import re

import pytest

from pages.text import diffs
from pages.text.diffs import word_diff_html


@pytest.fixture
def compared_sizes(monkeypatch):
    """The size of every comparison the diff asks difflib to make (len(a) * len(b))."""
    sizes = []

    class CountingMatcher(difflib.SequenceMatcher):
        def get_opcodes(self):
            sizes.append(len(self.a) * len(self.b))
            return super().get_opcodes()

    monkeypatch.setattr(diffs.difflib, "SequenceMatcher", CountingMatcher)
    return sizes


def sides(diff):
    """(old, new) read back from a diff: without the additions, and without the removals."""
    old = re.sub(r"<ins>.*?</ins>", "", diff, flags=re.S).replace("<del>", "").replace("</del>", "")
    new = re.sub(r"<del>.*?</del>", "", diff, flags=re.S).replace("<ins>", "").replace("</ins>", "")
    return html_module.unescape(old), html_module.unescape(new)


def six_thousand_words(seed):
    words = ["pain", "needle", "muscle", "the", "a", "and", "your", "visit", "sore", "rest", "ice"]
    rng = random.Random(seed)
    return "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) for _ in range(100))


def test_a_six_thousand_word_change_compares_a_bounded_amount_of_text(compared_sizes):
    # Word for word, this pair took 15.7 s (6,000 random words each side: 144 million token pairs).
    old, new = six_thousand_words(1), six_thousand_words(2)
    html = word_diff_html(old, new)
    assert compared_sizes and max(compared_sizes) <= diffs.MAX_COMPARED_PAIRS
    # Nothing is lost: every word of both versions is still shown, as removed or added.
    assert sides(str(html)) == (old, new)


def test_one_long_line_rewritten_is_shown_whole_without_comparing_word_by_word(compared_sizes):
    old, new = six_thousand_words(1).replace("\n", " "), six_thousand_words(2).replace("\n", " ")
    html = word_diff_html(old, new)
    assert max(compared_sizes, default=0) <= diffs.MAX_COMPARED_PAIRS
    assert html == f"<del>{old}</del><ins>{new}</ins>"


def test_a_small_change_in_a_long_text_is_still_shown_word_by_word():
    old = six_thousand_words(1)
    new = old.replace("pain", "ache", 1)
    html = str(word_diff_html(old, new))
    assert "<del>pain</del><ins>ache</ins>" in html
    assert html.count("<del>") == 1


def test_a_change_too_big_for_words_is_shown_line_by_line(compared_sizes):
    old = six_thousand_words(1)
    paragraphs = old.split("\n\n")
    paragraphs[10] = "A new paragraph."
    paragraphs[90] = six_thousand_words(3).split("\n\n")[0]
    html = str(word_diff_html(old, "\n\n".join(paragraphs)))
    assert max(compared_sizes) <= diffs.MAX_COMPARED_PAIRS
    assert "<ins>A new paragraph.</ins>" in html
    assert sides(html) == (old, "\n\n".join(paragraphs))
    # Unchanged paragraphs between the two changes are shown as they are.
    assert f"\n{paragraphs[50]}\n" in html and f"<del>{paragraphs[50]}" not in html
