"""A search query as the site reads it: one rule for search (pages.guide.search) and for the
counts of what patients searched (pages.feedback.recording)."""
import unicodedata

# Characters of the query that are used; the rest is ignored (the form allows as many).
MAX_QUERY_LENGTH = 100


def clean_query(raw):
    """The query as used: trimmed, whitespace collapsed, at most MAX_QUERY_LENGTH characters.

    Control characters (a NUL byte breaks a PostgreSQL query) become spaces.
    """
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(raw or "")[:10 * MAX_QUERY_LENGTH])
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH].strip()


def normalised_query(raw):
    """The query as counted: cleaned, then lower case (casefolded), single spaces."""
    return " ".join(clean_query(raw).casefold().split())[:MAX_QUERY_LENGTH]
