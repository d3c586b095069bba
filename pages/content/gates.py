"""Quality gates for the files in content/: plain language, safe advice, originality, sources,
freshness, links.

Each gate takes the records `pages.content.read_content` returns and gives a list of problems
written as `file:line: what is wrong`, so whoever edited a file can find the sentence.
The test suite runs every gate (tests/content/); so does `check_content`.
"""
import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from ..addresses.redirects import OLD_PATH_WORDS
from ..models import Condition, RedFlagList, VisitNote, doi_validator, parse_signs
from ..text import red_flags
from ..text import spanish_readability as es_readability
from ..text.markdown import cited_keys, picture_exists, render, render_markdown
from ..text.readability import (
    HEADING_TAGS,
    MAX_GRADE,
    MAX_SENTENCE_WORDS,
    blocks,
    cited_sentences,
    long_sentences,
    reading_grade,
    sentences,
    split_sentences,
)
from .kinds import CONDITION, FAQ, PROVIDER, RED_FLAGS, REFERENCE, TOPIC, VISIT_NOTE

SHARED_RUN_WORDS = 8

# The prose fields of each kind, besides its Markdown body. Reference titles are left out on
# purpose: a source's published title is a quotation, and seed pages cite some of them too.
PROSE_FIELDS = {
    TOPIC: ["title", "summary"],
    FAQ: ["question"],
    CONDITION: ["name", "summary"],
    PROVIDER: ["training"],
    REFERENCE: [],
    RED_FLAGS: list(RedFlagList.translatable_fields),
    VISIT_NOTE: [name for name in VisitNote.translatable_fields if name != "text"],
}


PAGE_KINDS = (TOPIC, FAQ, CONDITION)
# What patients read in its own right, held to the reading level and review dates as a page is:
# the pages, and the visit sheet's notes (read on the sheet, under the pages' rules).
READ_KINDS = (*PAGE_KINDS, VISIT_NOTE)


def prose_fields(record):
    """The prose fields of a file of any language (a translation has its English kind's)."""
    return PROSE_FIELDS[record.kind.base]


def is_page(record):
    """A page patients read, in any language: a topic, an FAQ answer or a condition."""
    return record.kind.base in PAGE_KINDS


def body_of(record):
    return record.values[record.kind.body_field]


def line_of_text(record, text):
    """The line of the file where `text` (or its first words) appears."""
    words = text.split()
    for size in (len(words), 6, 3):
        needle = " ".join(words[:size])
        if not needle:
            break
        for number, line in enumerate(record.source.path.read_text(encoding="utf-8").splitlines(), 1):
            if needle in " ".join(line.split()):
                return number
    return None


def problem(record, message, line=None):
    where = f"{record.source.path}:{line}" if line else str(record.source.path)
    return f"{where}: {message}"


# --- Plain language -------------------------------------------------------------------------

def check_reading_level(records):
    problems = []
    for record in records:
        if record.kind not in READ_KINDS:  # English; translations have their own gate (spanish_readability)
            continue
        grade = reading_grade(body_of(record))
        if grade is not None and grade > MAX_GRADE:
            problems.append(problem(
                record, f"reading grade {grade} is above {MAX_GRADE} (Flesch-Kincaid): use shorter sentences and words"
            ))
        for sentence in long_sentences(body_of(record)):
            words = len(sentence.split())
            problems.append(problem(
                record,
                f"sentence of {words} words (limit {MAX_SENTENCE_WORDS}): \"{sentence}\"",
                line_of_text(record, sentence),
            ))
    return problems


def check_topic_shape(records):
    """Topic pages open with a summary and are organised by the questions patients ask."""
    problems = []
    for record in records:
        if record.kind.base is not TOPIC:
            continue
        headings = [name for _level, _anchor, name in render(body_of(record)).headings]
        for heading in headings:
            if not heading.rstrip().endswith("?"):
                line = line_of_text(record, heading)
                problems.append(problem(record, f"heading '{heading}' is not a question", line))
        if not headings:
            problems.append(problem(record, "a topic page needs '##' headings phrased as patients' questions"))
    return problems


# --- Safe advice ----------------------------------------------------------------------------

# Symptoms that need 911 or the emergency department, never "urgent care" (a walk-in clinic):
# a collapsed lung after needling near the chest, and signs of nerve compression in the low back.
# The one list is pages.text.red_flags (search reads the same signs).
RED_FLAG = red_flags.sentence_pattern("en")
EMERGENCY = re.compile(r"\b911\b|emergency (department|room)", re.IGNORECASE)
URGENT_CARE = re.compile(r"urgent[- ]care", re.IGNORECASE)

# The same list in Spanish, as the Spanish pages word it ("dolor de pecho", "falta de aire",
# "entumecimiento entre las piernas", "controlar la vejiga o los intestinos").
RED_FLAG_ES = red_flags.sentence_pattern("es")
EMERGENCY_ES = re.compile(r"\b911\b|sala de emergencias", re.IGNORECASE)
URGENT_CARE_ES = re.compile(r"atenci[oó]n urgente|urgent[- ]care|\burgencias\b", re.IGNORECASE)
# In much of Latin America "urgencias" is the emergency department; in the US a patient may
# read it as urgent care. A word that can mean either place is never used.
AMBIGUOUS_PLACE_ES = re.compile(r"\burgencias\b", re.IGNORECASE)

# language -> (red-flag symptom, sends to 911 / the emergency department, sends to urgent care,
# how to say it)
WHERE_TO_GO = {
    "en": (RED_FLAG, EMERGENCY, URGENT_CARE, ""),
    "es": (RED_FLAG_ES, EMERGENCY_ES, URGENT_CARE_ES,
           ' (Spanish: "llame al 911 o vaya a la sala de emergencias")'),
}


def check_where_to_go(records):
    """A sentence naming a red-flag symptom must send the reader to 911 or the emergency department.

    It counts as sending them when the sentence itself, the next sentence of its paragraph or the
    paragraph that introduces its list (for a list item) says so; a heading (or an FAQ question)
    naming a red flag needs it somewhere in its section (or answer). "Urgent care" in a sentence
    with a red flag is always wrong. Spanish pages are read with the Spanish wording.
    """
    problems = []
    for record in records:
        if not is_page(record):
            continue
        red_flag, emergency, urgent_care, say = WHERE_TO_GO[record.kind.language]
        for sentence, context in _advice_units(record):
            if record.kind.language == "es" and AMBIGUOUS_PLACE_ES.search(sentence):
                problems.append(problem(
                    record, "'urgencias' is the emergency department in much of Latin America and urgent care in "
                    "the US: write \"la sala de emergencias\" or \"una clínica de atención urgente\": "
                    f"\"{sentence}\"", line_of_text(record, sentence)))
            if not red_flag.search(sentence):
                continue
            if urgent_care.search(sentence):
                message = ("sends a red-flag symptom to urgent care (a walk-in clinic): say \"call 911 or go "
                           f"to the emergency department\"{say}")
            elif not any(emergency.search(text) for text in [sentence, *context]):
                message = ("names a red-flag symptom but does not send the reader to 911 or the emergency "
                           f"department{say}")
            else:
                continue
            problems.append(problem(record, f"{message}: \"{sentence}\"", line_of_text(record, sentence)))
    return problems


def _advice_units(record):
    """(sentence, the text around it that may carry its instruction) for every sentence a patient reads."""
    units = []
    for name in prose_fields(record):
        if name == "question":
            continue  # read as the heading of the answer, below
        parts = split_sentences(record.values.get(name, ""))
        units += [(part, parts[index + 1:index + 2]) for index, part in enumerate(parts)]
    body = blocks(body_of(record))
    if record.kind.base is FAQ:
        answer = [block.text for block in body]
        units += [(part, answer) for part in split_sentences(record.values.get("question", ""))]
    for position, block in enumerate(body):
        parts = split_sentences(block.text)
        if block.tag in HEADING_TAGS:
            section = _section(body[position + 1:], block.tag)
            units += [(part, section) for part in parts]
            continue
        lead = [block.lead] if block.lead else []
        units += [(part, parts[index + 1:index + 2] + lead) for index, part in enumerate(parts)]
    return units


def _section(following, heading_tag):
    """The texts under a heading, up to the next heading of the same or a higher level."""
    texts = []
    for block in following:
        if block.tag in HEADING_TAGS and block.tag <= heading_tag:
            break
        texts.append(block.text)
    return texts


# --- The one red-flag list -----------------------------------------------------------------

# A list item sharing this share of its words with a sign of the list is that sign, reworded.
NEAR_SIGN = 0.6
# Sentences about when warning signs start, and the times they name ("hours", "a day", "24 hours").
SIGNS_START = {
    "en": re.compile(r"\b(signs?|symptoms?|these|they|it)\b[^.]*\b(can|may|might|could|often|usually)\s+"
                     r"(start|begin|appear|show up|come on)\b", re.IGNORECASE),
    "es": re.compile(r"\b(señales|síntomas|estas|estos)\b[^.]*\b(pueden?|suelen?)\s+(empezar|comenzar|aparecer)\b",
                     re.IGNORECASE),
}
TIMES = {
    "en": re.compile(r"\b(?:\d+|a|an|one|two|three|a few|few|several)?\s*(?:minute|hour|day|week)s?\b",
                     re.IGNORECASE),
    "es": re.compile(r"\b(?:\d+|un|una|unos|unas|pocas|pocos|varias|varios)?\s*(?:minutos?|horas?|días?|semanas?)\b",
                     re.IGNORECASE),
}
# "more than 3 days" of soreness: the threshold for calling the clinic.
SORENESS_DAYS = {
    "en": re.compile(r"\bsore\w*\b[^.]*?\b(?:more than|longer than|over|past|beyond)\s+(\w+)\s+days?\b",
                     re.IGNORECASE),
    "es": re.compile(r"\bdolor\b[^.]*?\b(?:más de|por más de)\s+(\w+)\s+días?\b", re.IGNORECASE),
}
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "seven": "7",
                "un": "1", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "siete": "7"}


def _words(text):
    return set(re.findall(r"\w+", text.casefold()))


def _times(pattern, text):
    return sorted({" ".join(m.group(0).casefold().split()) for m in pattern.finditer(text)})


def _days(pattern, text):
    return {NUMBER_WORDS.get(m.group(1).casefold(), m.group(1)) for m in pattern.finditer(text)}


def check_red_flag_list(records):
    """Every page says what the one red-flag list (content/red-flags.md, es/red-flags.md) says.

    A list item that nearly matches one of its signs (most words shared) must be that sign word
    for word; a sign of its "Call 911" list must sit under a line that sends to 911 or the
    emergency department; a sentence on when the signs can start names the list's times
    ("hours", "a day"); soreness sends to the clinic after the list's number of days. A visit-sheet
    note words no sign at all (check_notes_name_no_signs)."""
    lists = {r.kind.language: r for r in records if r.kind.base is RED_FLAGS}
    problems = check_notes_name_no_signs(records)
    for record in records:
        flags = lists.get(record.kind.language)
        if not is_page(record) or flags is None:
            continue
        language, where = record.kind.language, flags.source.path.name
        emergency, clinic = (parse_signs(flags.values[name]) for name in ("emergency_signs", "clinic_signs"))
        signs = {sign: sign in dict(emergency) for sign, _areas in emergency + clinic}
        send_to_emergency = WHERE_TO_GO[language][1]
        for block in blocks(body_of(record)):
            if block.tag != "li":
                continue
            item = block.text.strip().rstrip(".;")
            if item in signs:
                if signs[item] and not send_to_emergency.search(block.lead):
                    problems.append(problem(record, f"'{item}' needs 911 or the emergency department in {where}, "
                                            f"but its list says: \"{block.lead}\"", line_of_text(record, item)))
                continue
            words = _words(item)
            for sign in signs:
                shared = len(words & _words(sign)) / len(words | _words(sign))
                if shared >= NEAR_SIGN:
                    problems.append(problem(record, f"'{item}' is nearly the sign '{sign}' of {where}: write the "
                                            "list's words exactly", line_of_text(record, item)))
                    break
        text = " ".join(block.text for block in blocks(body_of(record)))
        start_times = _times(TIMES[language], " ".join(
            sentence for sentence in split_sentences(flags.values["when_signs_start"])
            if SIGNS_START[language].search(sentence)))
        for sentence in split_sentences(text):
            if SIGNS_START[language].search(sentence) and TIMES[language].search(sentence):
                times = _times(TIMES[language], sentence)
                if times != start_times:
                    problems.append(problem(
                        record, f"says the signs start after {', '.join(times)}; {where} says "
                        f"{', '.join(start_times)}: \"{flags.values['when_signs_start']}\"",
                        line_of_text(record, sentence)))
        days = _days(SORENESS_DAYS[language], flags.values["clinic_signs"])
        for sentence in split_sentences(text):
            for number in _days(SORENESS_DAYS[language], sentence) - days:
                problems.append(problem(
                    record, f"sends soreness to the clinic after {number} days; {where} says after "
                    f"{', '.join(sorted(days))}: \"{sentence}\"", line_of_text(record, sentence)))
    return problems


def check_notes_name_no_signs(records):
    """A visit-sheet note never words a warning sign: the sheet shows the list's signs first, and
    a second wording of a sign would drift from the one list (check_red_flag_list runs this)."""
    problems = []
    for record in records:
        if record.kind.base is not VISIT_NOTE:
            continue
        red_flag = WHERE_TO_GO[record.kind.language][0]
        for name in [*prose_fields(record), record.kind.body_field]:
            for sentence in split_sentences(record.values.get(name, "")):
                if red_flag.search(sentence):
                    problems.append(problem(
                        record, "a visit-sheet note names a warning sign: the signs stay in the red-flag list, "
                        f"which the sheet shows first; point to it instead: \"{sentence}\"",
                        line_of_text(record, sentence)))
    return problems


# Risks: "about 1 in 5" is understood; "19.18%" is not, and its decimals claim a precision
# no study of this size has.
DECIMAL_PERCENT = re.compile(r"\b\d+\.\d+\s*(%|percent\b|per cent\b|por ciento\b)", re.IGNORECASE)
ONE_IN_N = re.compile(r"\b1 (in (every )?|de cada )\d[\d,]*\b", re.IGNORECASE)


def check_numbers(records):
    """A risk written as a percentage with decimals needs "about 1 in N" in the same sentence."""
    problems = []
    for record in records:
        if not is_page(record):
            continue
        texts = [record.values.get(name, "") for name in prose_fields(record)]
        for sentence in [s for text in texts for s in split_sentences(text)] + sentences(body_of(record)):
            match = DECIMAL_PERCENT.search(sentence)
            if match and not ONE_IN_N.search(sentence):
                problems.append(problem(
                    record,
                    f"'{match.group(0)}' without 'about 1 in N' beside it (write the risk as about 1 in N, "
                    f"the percentage after it if at all): \"{sentence}\"",
                    line_of_text(record, sentence),
                ))
    return problems


# --- Originality ----------------------------------------------------------------------------

def normalised_words(text):
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def word_runs(words, size=SHARED_RUN_WORDS):
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def seed_runs(seeds_dir):
    """Every run of 8 words in the seed pages, mapped to the file it comes from."""
    runs = {}
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        for run in word_runs(normalised_words(path.read_text(encoding="utf-8"))):
            runs.setdefault(run, path.name)
    return runs


def check_originality(records, seeds_dir):
    seeds = seed_runs(seeds_dir)
    problems = []
    for record in records:
        if record.kind not in PROSE_FIELDS:
            continue  # translations: the seed pages are English
        texts = [record.values.get(name, "") for name in PROSE_FIELDS[record.kind]] + [body_of(record)]
        for text in texts:
            words = normalised_words(text)
            shared = [run for run in _ordered_runs(words) if run in seeds]
            if shared:
                run = " ".join(shared[0])
                problems.append(problem(
                    record,
                    f"{len(shared[0])} words in a row are the same as seeds/{seeds[shared[0]]}: \"{run}\" "
                    "(write it in your own words)",
                    line_of_text(record, run) or _line_of_words(record, shared[0]),
                ))
    return problems


def _ordered_runs(words, size=SHARED_RUN_WORDS):
    return [tuple(words[i:i + size]) for i in range(len(words) - size + 1)]


def _line_of_words(record, run):
    for number, line in enumerate(record.source.path.read_text(encoding="utf-8").splitlines(), 1):
        if " ".join(run[:3]) in " ".join(normalised_words(line)):
            return number
    return None


# --- Sources --------------------------------------------------------------------------------

def check_references(records):
    problems = []
    for record in records:
        if record.kind.base is TOPIC and not record.links.get("references"):
            problems.append(problem(
                record, "a topic page needs at least one reference in 'references'", record.source.line_of("references")
            ))
        if record.kind is REFERENCE:
            for field in ("authors", "year", "title"):
                if not record.values.get(field):
                    problems.append(problem(record, f"reference without {field}"))
            doi = record.values.get("doi")
            if doi and not doi_validator.regex.match(doi):
                problems.append(problem(record, f"malformed DOI '{doi}'", record.source.line_of("doi")))
    keys = {r.slug for r in records if r.kind is REFERENCE}
    for record in records:
        for key in cited_keys(body_of(record)):
            if key not in keys:
                problems.append(problem(record, f"[@{key}] cites no reference file", line_of_text(record, f"[@{key}]")))
    return problems


def citation_table(records):
    """(file, sentence, key) for every sentence a patient reads that carries a `[@key]` citation,
    in file order: what a reviewer checks against each source's note."""
    rows = []
    for record in sorted(records, key=lambda r: str(r.source.path)):
        if not is_page(record):
            continue
        for sentence, keys in cited_sentences(body_of(record)):
            rows += [(record.source.path, sentence, key) for key in keys]
    return rows


# --- Freshness ------------------------------------------------------------------------------

def check_freshness(records, today=None):
    today = today or datetime.date.today()
    problems = []
    for record in records:
        if record.kind.base not in READ_KINDS:
            continue
        reviewed = record.values.get("last_reviewed")
        line = record.source.line_of("last_reviewed")
        if reviewed is None:
            problems.append(problem(record, "no 'last_reviewed' date", line))
        elif reviewed > today:
            problems.append(problem(record, f"'last_reviewed' {reviewed} is in the future", line))
    return problems


# --- Links and images -----------------------------------------------------------------------

class _LinksAndImages(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.images = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "img":
            self.images.append(attrs)


def check_links(records):
    """Internal links must reach a published page (and anchor); images need alt text and a file."""
    def published_in(language):
        # A translation's link may name an English slug under /es/: the page not translated yet.
        return {
            kind: {r.slug: r for r in records if r.kind.base is kind and r.kind.language in ("en", language)
                   and r.values.get("published", True)}
            for kind in (TOPIC, FAQ, CONDITION)
        }

    published_by_language = {}
    problems = []
    for record in records:
        language = record.kind.language
        published = published_by_language.setdefault(language, published_in(language))
        parser = _LinksAndImages()
        parser.feed(render_markdown(body_of(record)))
        for href in parser.hrefs:
            if href.startswith(("http://", "https://", "mailto:", "tel:")):
                continue
            with translation.override(language):  # /es/ addresses resolve in Spanish
                reason = _broken_link_reason(href, record, published)
            if reason:
                problems.append(problem(record, f"link '{href}' {reason}", line_of_text(record, href)))
        for image in parser.images:
            src = image.get("src", "")
            line = line_of_text(record, src)
            if not (image.get("alt") or "").strip():
                problems.append(problem(record, f"image '{src}' has no alt text", line))
            if not picture_exists(src):
                problems.append(problem(
                    record, f"image '{src}' is not a file on this site (not an upload, not a static file)", line))
    return problems


def _broken_link_reason(href, record, published):
    path, _, anchor = href.partition("#")
    if not path:  # a link within the same page
        target_kind, target = record.kind, record
    else:
        try:
            match = resolve(path)
        except Resolver404:
            return "goes to no page of the site"
        if match.url_name == OLD_PATH_WORDS:  # it works (a redirect), but patients should not need one
            new = reverse(match.func.view_initkwargs["pattern_name"], kwargs=match.kwargs)
            return f"uses the English path words: write '{new}'"
        slug = match.kwargs.get("slug")
        target_kind = {"topic": TOPIC, "faq_entry": FAQ, "condition": CONDITION}.get(match.url_name)
        target = published[target_kind].get(slug) if target_kind else None
        if target_kind and target is None:
            return f"goes to '{slug}', which is not a published page"
        if match.url_name == "faq" and anchor:
            return None if anchor in published[FAQ] else f"has no answer '#{anchor}' on the FAQ page"
        if match.url_name == "conditions" and anchor:
            return None if anchor in Condition.BodyRegion.values else f"has no section '#{anchor}'"
    if anchor and target is not None:
        ids = {anchor_id for _level, anchor_id, _name in render(body_of(target)).headings}
        # Pages list the sources they cite (topics: all their references) with these ids.
        ids |= {f"ref-{key}" for key in [*target.links.get("references", []), *cited_keys(body_of(target))]}
        if anchor not in ids:
            return f"has no section '#{anchor}' on that page"
    return None


# --- Plain language in Spanish ----------------------------------------------------------------

def check_spanish_reading_level(records):
    """The Spanish gate: INFLESZ at least 65 and no sentence over 30 words, for every
    translation file. Problems as `file:line: what is wrong`, like the English gates'."""
    problems = []
    for record in records:
        if record.kind.language != "es" or record.kind.source is None:
            continue
        body = record.values[record.kind.body_field]
        score = es_readability.inflesz(body)
        floor = es_readability.MIN_INFLESZ
        if score is not None and score < floor:
            problems.append(problem(
                record, f"INFLESZ {score} is below {floor} (Szigriszt-Pazos): use shorter sentences and words"))
        for sentence in es_readability.long_sentences(body):
            words = es_readability.word_count(sentence)
            problems.append(problem(
                record, f"sentence of {words} words (limit {MAX_SENTENCE_WORDS}): \"{sentence}\"",
                line_of_text(record, sentence)))
    return problems
