"""Word-level differences between two texts, for people rather than programmers.

Used wherever staff compare two versions: the clinical sign-off queue (a proposed change
against the live text). Whole texts are compared, nothing is cut short.
"""
import difflib
import re

from django.utils.html import format_html, format_html_join

# Words and the spaces between them are separate tokens, so a diff never splits a word and
# line breaks survive (the template shows the result with `white-space: pre-wrap`).
TOKENS = re.compile(r"\s+|[^\s]+")


def normalise(text):
    """A field's value as comparable text: CRLF and CR become LF (browsers post CRLF)."""
    if text is None:
        return ""
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


def word_diff_html(old, new):
    """`old` and `new` as one text: removed words in <del>, added words in <ins>, all escaped."""
    old_tokens, new_tokens = TOKENS.findall(normalise(old)), TOKENS.findall(normalise(new))
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    runs = []  # [same?, old text, new text]
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        same = op == "equal"
        if runs and not same and not runs[-1][0]:
            runs[-1][1] += removed
            runs[-1][2] += added
        elif (len(runs) >= 2 and not same and runs[-1][0] and runs[-1][1].isspace()
              and "\n" not in runs[-1][1] and not runs[-2][0]):
            # "Your visit" -> "Safety and side effects" reads as one change, not two
            # interleaved around the space they share.
            space = runs.pop()[1]
            runs[-1][1] += space + removed
            runs[-1][2] += space + added
        else:
            runs.append([same, removed, added])
    parts = []
    for same, removed, added in runs:
        if same:
            parts.append(("{}", removed))
            continue
        if removed:
            parts.append(("<del>{}</del>", removed))
        if added:
            parts.append(("<ins>{}</ins>", added))
    # format_html escapes every piece of text; only the <del>/<ins> tags are markup.
    return format_html_join("", "{}", ((format_html(template, text),) for template, text in parts))
