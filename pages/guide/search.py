"""Site search over published topics, FAQ answers and conditions.

An in-process index of every published page's words, rebuilt when content changes, is
scored in Python with no query per search (the same on SQLite and PostgreSQL): a match in
the title, question or name always ranks above a match only in the summary or text.
The index is inverted (word -> rows), so a search costs in proportion to the rows that
match, not to all rows: a few ms at 6,000 rows, where a scan of every row took ~50 ms.
Patients' own words ("jaw", "sore", "sciatica") reach the clinical ones through a small
synonym map, and each word is also looked for by its Snowball stem ("breathe" finds
"breathing", "swollen" and "swelling" both count), so a symptom the guide covers is never
"No pages match". A warning sign of pages.text.red_flags, typed in English or Spanish into
either box, puts the answer on where to go first: the urgent answer (faq/when-to-call-911) for
a sign that needs 911 ("chest", "me falta el aire", "sob"), the answer on calling the clinic for
one that needs the clinic ("fever", "fiebre"), whatever else matches.

Spanish pages (/es/buscar/) have their own Snowball stemmer, stop words, synonyms of patients'
words (US Spanish too: "aseguranza", "quijada"). Stop words of either language never match. A
word neither guide has is read as the closest word one of them has (rapidfuzz, one edit:
"brusing" -> "bruising"); a query whose words look like the other language finds the pages
that language's search finds, in this one, and the page offers the other box. Words neither
guide has, nor anything close, are said plainly ("We could not find ..."), and what they
find by a stem alone ranks below every real match.

Snippets come from the text as a reader sees it (Markdown syntax removed) and are
HTML-escaped piece by piece, so the only markup in them is the <mark> added here.
"""
import bisect
import heapq
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from rapidfuzz import process
from rapidfuzz.distance import OSA

from serving.cache import content_version

from ..models import URGENT_ANSWER, Condition, FaqEntry, RedFlagList, Topic, stable_key
from ..text import red_flags
from ..text.queries import MAX_QUERY_LENGTH, clean_query  # noqa: F401 (MAX_QUERY_LENGTH: part of search's API)
from ..translations.status import SOURCE_LANGUAGE

MAX_TERMS = 8
MAX_RESULTS = 30
SNIPPET_LENGTH = 200

# Words that carry no meaning on their own in a patient's question.
STOP_WORDS = frozenset("""
    a about after am an and any are as at be before can could do does doing for from get had
    has have how i if in is it its me my of on or should so than that the their them then
    there this to too was what when where which who why will with would you your
""".split())

# Patient words -> the words the guide uses. Keys may be phrases; values are extra terms to
# look for. Data, not interface text: the guide's own language decides what goes here.
SYNONYMS = {
    "jaw": ["tmj", "tmd", "chewing"],
    "tmj": ["jaw", "tmd"],
    "tmd": ["jaw", "tmj"],
    "teeth": ["jaw", "clenching"],
    "clench": ["jaw", "tmj"],
    "sore": ["soreness", "after-care", "ache"],
    "soreness": ["sore", "after-care"],
    "ache": ["soreness", "sore"],
    "aching": ["soreness", "sore"],
    "achy": ["soreness", "sore"],
    "afterwards": ["after-care", "soreness"],
    "aftercare": ["after-care"],
    "bruise": ["bruising", "bruise"],
    "bruised": ["bruising", "bruise"],
    "bleed": ["bleeding", "bruising", "blood"],
    "headache": ["headache", "tension-type", "head"],
    "migraine": ["headache", "tension-type"],
    "sciatica": ["sciatic", "buttock", "sciatica-like"],
    "sciatic": ["sciatica", "buttock"],
    "needle fear": ["scared", "afraid", "nervous"],
    "fear of needles": ["scared", "afraid", "nervous"],
    "scared": ["afraid", "nervous", "scared"],
    "afraid": ["scared", "nervous"],
    "phobia": ["scared", "afraid"],
    "nervous": ["scared", "afraid"],
    "anxious": ["scared", "nervous"],
    "faint": ["faint", "dizzy", "light-headed"],
    "dizzy": ["faint", "light-headed"],
    "nauseous": ["sick", "faint", "light-headed"],
    "nausea": ["sick", "faint", "light-headed"],
    "queasy": ["sick", "faint", "light-headed"],
    "sob": ["shortness of breath", "breath"],
    "price": ["cost", "pay"],
    "money": ["cost", "pay"],
    "expensive": ["cost", "pay"],
    "pay": ["cost", "insurance"],
    "insurance": ["covered", "cost"],
    "medicare": ["insurance", "covered"],
    "lung": ["pneumothorax", "lung", "breathing"],
    "pneumothorax": ["lung", "collapsed"],
    "breathing": ["breath", "lung", "chest"],
    "pee": ["bladder"],
    "poop": ["bowel"],
    "wee": ["bladder"],
    "swollen": ["swelling", "swell"],
    "tingling": ["numbness", "numb"],
    "pregnant": ["pregnancy"],
    "pacemaker": ["implant", "pacemakers"],
    "implant": ["implants", "pacemaker"],
    "blood thinner": ["blood thinners", "bleeding"],
    "warfarin": ["blood thinners", "bleeding"],
    "elbow": ["tennis", "golfer"],
    "wrist": ["forearm"],
    "heel": ["plantar", "foot"],
    "plantar": ["heel", "foot"],
    "shoulder blade": ["upper back"],
    "hamstring": ["thigh"],
    "calf": ["cramp", "cramps"],
    "cramp": ["calf", "cramps"],
    "stiff": ["stiffness", "tight"],
    "tight": ["tightness", "stiff", "trigger"],
    "knot": ["trigger point", "knots", "tight"],
    "knots": ["trigger point", "tight"],
    "whiplash": ["whiplash", "neck"],
    "acupuncture": ["acupuncture", "acupuncturist"],
    "jump": ["twitch"],
    "twitch": ["twitch", "jump"],
    "gym": ["exercise", "workout"],
    "workout": ["exercise", "workout"],
    "ice": ["heat", "cold"],
    "heat": ["ice", "warm"],
    "referral": ["referral", "doctor"],
    "sterile": ["sterile", "single-use"],
    "hurt": ["hurts", "painful"],
    "painful": ["hurt", "pain"],
}

# Spanish words that carry no meaning on their own in a question ("dolor de cuello").
STOP_WORDS_BY_LANGUAGE = {
    "es": frozenset("""
        a al como con cual de del el en es la las lo los me mi mis o para por que se si su sus
        un una uno y yo cuando cuanto cuanta cuantos cuantas donde quien puedo tengo hay le esta
    """.split()),
}
ALL_STOP_WORDS = STOP_WORDS | STOP_WORDS_BY_LANGUAGE["es"]

# The Spanish guide's words for what Spanish-speaking patients type. Keys and values are written
# without accents (queries and texts are matched accent-free), values as the guide words them.
SPANISH_SYNONYMS = {
    "quijada": ["mandibula", "atm"],
    "mandibula": ["atm", "masticar"],
    "atm": ["mandibula"],
    "dientes": ["mandibula", "apretar"],
    "muela": ["mandibula"],
    "aseguranza": ["seguro", "cubre"],
    "seguro": ["cubre", "costo", "plan de seguro"],
    "medicare": ["seguro", "medicare"],
    "moreton": ["moreton", "morado"],
    "morado": ["moreton"],
    "morada": ["moreton"],
    "moretes": ["moreton"],
    "cardenal": ["moreton"],
    "hematoma": ["moreton"],
    "cintura": ["espalda baja", "lumbar"],
    "lumbar": ["espalda baja"],
    "lumbago": ["espalda baja"],
    "ciatica": ["ciatica", "gluteo", "nalga"],
    "ciatico": ["ciatica", "gluteo"],
    "nalga": ["gluteo"],
    "calambre": ["calambres", "pantorrilla"],
    "miedo": ["miedo", "nervios", "nervioso"],
    "nervios": ["miedo", "nervioso"],
    "nervioso": ["miedo", "nervios"],
    "nerviosa": ["miedo", "nervios"],
    "panico": ["miedo"],
    "susto": ["miedo"],
    "mareo": ["mareo", "mareado", "desmayo", "desmay"],
    "nauseas": ["nauseas", "mareado", "desmay"],
    "nausea": ["nauseas", "mareado", "desmay"],
    "mareado": ["mareo", "desmayo"],
    "mareada": ["mareo", "desmayo"],
    "desmayo": ["desmayo", "desmay", "mareo"],
    "desmayarme": ["desmayo", "desmay", "mareo"],
    "embarazada": ["embarazo"],
    "embarazo": ["embarazada"],
    "marcapasos": ["marcapasos", "implantes"],
    "implante": ["implantes", "marcapasos"],
    "anticoagulante": ["anticoagulantes", "diluir la sangre", "sangrado"],
    "warfarina": ["anticoagulantes", "sangrado"],
    "coumadin": ["anticoagulantes", "sangrado"],
    "aspirina": ["anticoagulantes"],
    "sangre rala": ["anticoagulantes"],
    "diluir la sangre": ["anticoagulantes"],
    "sangrado": ["sangrado", "moreton", "anticoagulantes"],
    "hormigueo": ["hormigueo", "entumecimiento"],
    "entumecido": ["entumecimiento", "hormigueo"],
    "entumecida": ["entumecimiento", "hormigueo"],
    "adormecido": ["entumecimiento", "adormecimiento"],
    "adormecida": ["entumecimiento", "adormecimiento"],
    "dormido": ["entumecimiento", "hormigueo"],
    "dormida": ["entumecimiento", "hormigueo"],
    "precio": ["costo", "pagar"],
    "cuanto cuesta": ["costo", "pagar", "seguro"],
    "cuesta": ["costo", "pagar"],
    "caro": ["costo", "pagar"],
    "dinero": ["costo", "pagar"],
    "pagar": ["costo", "seguro"],
    "hielo": ["hielo", "calor", "frio"],
    "calor": ["calor", "hielo"],
    "frio": ["hielo"],
    "adolorido": ["dolor muscular", "molestia"],
    "adolorida": ["dolor muscular", "molestia"],
    "agujetas": ["dolor muscular", "adolorido"],
    "nudo": ["punto gatillo", "tenso"],
    "contractura": ["punto gatillo", "tenso"],
    "brinco": ["sacudida"],
    "salto": ["sacudida"],
    "sacudida": ["sacudida", "salto"],
    "gimnasio": ["ejercicio"],
    "orden medica": ["referido"],
    "receta": ["referido"],
    "talon": ["talon", "pie"],
    "muneca": ["antebrazo"],
    "codo": ["tenista", "golfista"],
    "paleta": ["omoplato", "espalda alta"],
    "latigazo": ["latigazo", "cuello"],
    "jaqueca": ["dolor de cabeza", "migrana"],
    "migrana": ["dolor de cabeza", "migrana"],
    "pulmon": ["pulmon colapsado", "neumotorax", "respirar"],
    "neumotorax": ["pulmon colapsado"],
    "esteril": ["esteriles", "un solo uso"],
    "hinchado": ["hinchazon"],
    "hinchazon": ["hinchado"],
    "pipi": ["orinar", "vejiga"],
    "caca": ["popo", "intestinos"],
    "acupuntura": ["acupuntura"],
}

# Words that mean just what one of the guide's words means (regional US Spanish): the query
# word is read as the guide's, with a patient's own word's weight, so "me duele la quijada"
# finds the jaw page above "¿Duele...?".
SPANISH_SAME_WORDS = {
    "quijada": "mandibula", "aseguranza": "seguro", "moretes": "moreton", "cardenal": "moreton",
    "cardenales": "moreton", "morado": "moreton", "morados": "moreton", "calentura": "fiebre",
    "cintura": "lumbar", "pipi": "orinar", "coumadin": "anticoagulantes", "warfarina": "anticoagulantes",
}

# The answers that say where to go, one per need of pages.text.red_flags, by the name the code
# calls them (their content file's English slug, whose stable key finds them).
PLACE_TO_GO_ANSWERS = {red_flags.EMERGENCY: URGENT_ANSWER, red_flags.CLINIC: "when-to-call-the-clinic"}

WORD_RE = re.compile(r"[\w][\w'-]*", re.UNICODE)

class _WithoutCombining(dict):
    """For str.translate: each character to itself, combining marks (accents) to nothing;
    worked out once per character met."""

    def __missing__(self, code):
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_WITHOUT_COMBINING = _WithoutCombining()


def fold(text):
    """Lower case without accents, for matching: `Mandíbula` -> `mandibula`, `moretón` ->
    `moreton`. Patients often type Spanish without accents (and sometimes add wrong ones).
    (str.translate: a Python test per character was half of building the search index.)"""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return decomposed if decomposed.isascii() else decomposed.translate(_WITHOUT_COMBINING)


# For highlighting in the original text: each letter also matches its accented forms.
_ACCENTED = {"a": "aáàâäã", "e": "eéèêë", "i": "iíìîï", "o": "oóòôöõ", "u": "uúùûü", "n": "nñ", "c": "cç"}


def accent_insensitive(term):
    """A regex for `term` (folded) that also matches it written with accents."""
    return "".join(f"[{_ACCENTED[ch]}]" if ch in _ACCENTED else re.escape(ch) for ch in term)


# Endings removed from words and the shortest stem each may leave: `soreness` -> `sore`,
# `bruising` -> `bruis`, `needles` -> `needl`; `scared` and `nervous` stay as they are.
SUFFIXES = (("ness", 4), ("ing", 4), ("es", 4), ("ed", 5), ("s", 4))


@dataclass
class Result:
    kind: str  # "topic", "faq" or "condition"
    title: str
    title_html: str
    snippet_html: str
    url: str
    title_hits: int  # summed weight of the terms found in the title, question or name
    text_hits: int  # the same for the summary and text
    urgent: bool = False  # the urgent answer, first for a red-flag symptom: shows its 911 line
    place: str = ""  # red_flags.EMERGENCY or CLINIC: the answer on where to go for that need
    other_language: str = ""  # the page's language where it is not the box's (the patient's)
    key: object = None  # the page's translation key: which result was opened (the link's ping)

    @property
    def rank(self):
        return (self.title_hits, self.text_hits)

    @property
    def kind_label(self):
        """What kind of page this is ("Guide page"), in the page's own language."""
        if not self.other_language:
            return str(KIND_LABELS[self.kind])
        with translation.override(self.other_language):
            return str(KIND_LABELS[self.kind])


# A result's kind as its line under the title says it (Result.kind_label).
KIND_LABELS = {"topic": _("Guide page"), "faq": _("Question and answer"), "condition": _("Condition")}


_snowball = snowballstemmer.stemmer("english")
_STEMMERS = {"es": snowballstemmer.stemmer("spanish")}


def snowball(word, language=None):
    """The Snowball stem in the page's language: `breathe` -> `breath`, `swelling` -> `swell`;
    in Spanish `mandibula` -> `mandibul`, `moretones` -> `moreton`."""
    return _snowball_stem(word, language or translation.get_language())


@lru_cache(maxsize=65536)
def _snowball_stem(word, language):
    # Each query's words are stemmed in both languages (warning signs): ~1 ms a search uncached.
    return _STEMMERS.get(language, _snowball).stemWord(word)


# need -> the Snowball stems of its signs' words, in each language; and its phrases. Every box
# reads both languages: "dolor de pecho" typed into the English box still finds the 911 answer.
NEED_STEMS = {language: {need: frozenset(snowball(word, language) for word in words)
                         for need, words in red_flags.words_by_need(language).items()}
              for language in red_flags.SIGNS}
NEED_PHRASES = {need: tuple(phrase for language in red_flags.SIGNS
                            for phrase in red_flags.phrases_by_need(language)[need])
                for need in red_flags.NEEDS}


def needs_of(query):
    """The needs (red_flags.EMERGENCY, then red_flags.CLINIC) that the query's words name, in
    English or Spanish: which answer on where to go comes first."""
    text = fold(clean_query(query))
    words = [word.strip("'-") for word in WORD_RE.findall(text)]
    found = []
    for need in red_flags.NEEDS:
        if (any(snowball(word, language) in stems[need] for language, stems in NEED_STEMS.items() for word in words)
                or any(re.search(r"\b" + re.escape(phrase) + r"\b", text) for phrase in NEED_PHRASES[need])):
            found.append(need)
    return tuple(found)


def is_urgent(query):
    """Whether a query names a sign that needs 911, so the urgent answer must come first."""
    return red_flags.EMERGENCY in needs_of(query)


# Spanish plurals: `moretones` -> `moreton`, `calambres` -> `calambr`, `gluteos` -> `gluteo`.
SUFFIXES_BY_LANGUAGE = {"es": (("es", 4), ("s", 4))}


def stem(word, language=None):
    """A crude, predictable stem: `bruising` -> `bruis`, `needles` -> `needl`."""
    for suffix, shortest in SUFFIXES_BY_LANGUAGE.get(language or translation.get_language(), SUFFIXES):
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            if suffix == "s" and word.endswith(("ss", "us")):
                continue
            return word[: -len(suffix)]
    return word


OWN_WORD, SYNONYM = 2, 1  # a patient's own word counts twice as much as a synonym of it


def weighted_terms(query, language=None):
    """{term: weight} to look for: the query's own words (stemmed), then their synonyms."""
    return _terms(query, language)[0]


def _terms(query, language=None, unknown=()):
    """({term: weight}, the loose terms): the query's own words (stemmed), then their synonyms;
    a term is loose when it comes only from a word the guide does not have (`unknown`), so a
    page it finds ("cupping" finds "cup") ranks below every page a real word finds."""
    text = fold(clean_query(query))
    language = language or translation.get_language()
    synonyms = SPANISH_SYNONYMS if language == "es" else SYNONYMS
    words = content_words(text)
    if language == "es":
        words = [SPANISH_SAME_WORDS.get(word, word) for word in words]
    found = [(word, OWN_WORD, word) for word in words]
    # The Snowball stem finds the other forms: "breathe" -> "breath" matches "breathing". Only
    # a stem that just cuts an ending off: "dry" -> "dri" would find "drive" instead.
    found += [(snowball(word, language), OWN_WORD, word) for word in words
              if len(snowball(word, language)) >= 3 and word.startswith(snowball(word, language))]
    for word in words:
        found += [(extra, SYNONYM, word) for extra in synonyms.get(word, synonyms.get(stem(word, language), ()))]
    for phrase, extra in synonyms.items():
        if " " in phrase and re.search(r"\b" + re.escape(phrase) + r"\b", text):
            found += [(phrase, OWN_WORD, phrase)] + [(term, SYNONYM, phrase) for term in extra]
    terms, real = {}, set()
    for term, weight, source in found:
        term = term if " " in term else stem(term, language)
        if len(term) >= 2:
            terms[term] = max(weight, terms.get(term, 0))
            if source not in unknown:
                real.add(term)
    return terms, set(terms) - real


def content_words(folded_text):
    """The words of a folded query that carry meaning, in order, at most MAX_TERMS: stop words
    of either language never match ("de" in "dolor de pecho" must not find "deep")."""
    words = [w.strip("'-") for w in WORD_RE.findall(folded_text)]
    return [w for w in words if w and w not in ALL_STOP_WORDS][:MAX_TERMS]


def terms_for(query):
    """The terms to look for, the query's own words first."""
    return list(weighted_terms(query))


# Markdown syntax a reader never sees, removed without rendering: searching must stay fast
# with thousands of rows, and rendering each candidate cost ~88% of a search at 1,000 pages.
_IMAGES = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINKS = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_CITATIONS = re.compile(r"\[@[\w-]+\]|\[\^[^\]]+\]:?")
_MARKUP = re.compile(r"<[^>]+>|^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`|]+|^\s*[-=:| ]{3,}\s*$", re.MULTILINE)


@lru_cache(maxsize=8192)
def searchable_text(markdown_text):
    """The words of some Markdown as a reader sees them, cheaply: for ranking and snippets."""
    text = _IMAGES.sub(r"\1", markdown_text or "")
    text = _CITATIONS.sub("", _LINKS.sub(r"\1", text))
    # One list item after another reads as "...gets worse; a bruise...", not as one sentence.
    text = _NEXT_LIST_ITEM.sub(_separate_list_item, text)
    words = " ".join(html.unescape(_MARKUP.sub(" ", text)).split())
    # No space before a stop where a citation was taken out ("needling [@key]." -> "needling.").
    return _SPACE_BEFORE_STOP.sub(r"\1", words)


# A line end the next list item follows (a literal first: the regex scans for it quickly).
_NEXT_LIST_ITEM = re.compile(r"\n(?=[ ]{0,3}(?:[-*+]|\d+[.)])\s)")


def _separate_list_item(match):
    before = match.string[match.start() - 1:match.start()]
    return "\n" if not before or before.isspace() or before in ".;:!?" else ";\n"


_SPACE_BEFORE_STOP = re.compile(r" ([.,;:!?])")


def _pattern(terms):
    # Longest first, so "trigger point" wins over "trigger"; each term starts a word.
    alternatives = sorted(terms, key=len, reverse=True)
    # The rest of the word is highlighted too: `sore` marks all of "soreness".
    return re.compile(r"\b(?:" + "|".join(accent_insensitive(t) for t in alternatives) + r")[\w-]*", re.IGNORECASE)


def _word_list(text):
    """The distinct words of `text`, lower case and sorted (hyphenated words also in parts)."""
    words = set(WORD_RE.findall(fold(text)))
    # Only distinct words with a hyphen or apostrophe have other parts: splitting every word
    # was most of the time it took to build the index.
    for word in [word for word in words if "-" in word or "'" in word]:
        words.update(part for part in re.split(r"[-']", word) if part)
    return sorted(words)


# The non-ASCII characters that re.IGNORECASE matches to an ASCII one: İ, ı, ſ and the Kelvin
# sign. In a text without them, where the regex finds a phrase, each of its words also
# starts a word of the text's _word_list (see WordIndex.rows_with_phrase). A test checks
# that no other character does, and that lower() keeps all others one (word) character.
PHRASE_CASE_TRAPS = "\u0130\u0131\u017f\u212a"
_HAS_CASE_TRAP = re.compile(f"[{PHRASE_CASE_TRAPS}]")


class WordIndex:
    """Which rows have which words in one field (the titles, or the texts): a sorted
    vocabulary and, per word, the ids of the rows whose `_word_list` has it."""

    def __init__(self, texts):
        rows_by_word = {}
        for row_id, text in enumerate(texts):
            for word in _word_list(text):
                rows_by_word.setdefault(word, []).append(row_id)
        self.texts = texts
        self.words = sorted(rows_by_word)
        self.rows = [rows_by_word[word] for word in self.words]
        # Rows where a phrase might match only by regex, so it is always checked there.
        self.case_traps = {row_id for row_id, text in enumerate(texts) if _HAS_CASE_TRAP.search(text)}

    def rows_with_prefix(self, prefix):
        """The ids of the rows with a word that starts with `prefix` (`sore` finds "soreness")."""
        start = end = bisect.bisect_left(self.words, prefix)
        # Sorted, so the words that start with `prefix` are the ones right from `start`.
        while end < len(self.words) and self.words[end].startswith(prefix):
            end += 1
        if end - start == 1:
            return self.rows[start]
        return set().union(*self.rows[start:end])  # a row with "needle" and "needles" counts once

    def rows_with_phrase(self, phrase):
        """The ids of the rows whose text has `phrase` (ASCII words and spaces) from the
        start of a word, as the regex finds it (case-insensitive)."""
        # Only rows that have every word of the phrase can have the phrase (where the regex
        # matches, each word starts a word or a hyphenated part), so only those are read.
        candidates = None
        for word in re.findall(r"\w+", phrase):
            rows = self.rows_with_prefix(word)
            candidates = set(rows) if candidates is None else candidates.intersection(rows)
        if candidates is None:  # no words to narrow it down with
            candidates = set(range(len(self.texts)))
        pattern = re.compile(r"\b" + accent_insensitive(phrase), re.IGNORECASE)
        return [row_id for row_id in candidates | self.case_traps if pattern.search(self.texts[row_id])]

    def hits(self, terms):
        """{row id: summed weight of the terms found in that row}, only rows with some."""
        hits = Counter()
        for term, weight in terms.items():
            rows = self.rows_with_phrase(term) if " " in term else self.rows_with_prefix(term)
            for _times in range(weight):  # weights are small ints; Counter.update counts in C
                hits.update(rows)
        return hits


def highlight(text, pattern):
    """`text` HTML-escaped, with each match of `pattern` wrapped in <mark>. Escaped by the
    standard library's html.escape, as Django's escape() does, without its check for lazy text
    (a few hundred calls a search page, a seventh of the search's time)."""
    pieces = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[last:match.start()]))
        pieces.append("<mark>" + html.escape(match.group(0)) + "</mark>")
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return mark_safe("".join(pieces))


def snippet(text, pattern, length=SNIPPET_LENGTH):
    """About `length` characters of `text` around its first match, highlighted."""
    match = pattern.search(text)
    if len(text) <= length:
        return highlight(text, pattern)
    start = 0 if match is None else max(0, match.start() - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    body = highlight(text[start:end], pattern)
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))


def urgent_snippet(pattern, language):
    """The urgent answer's snippet: the whole red-flag list, in its words, highlighted."""
    flags = RedFlagList.objects.values_for(language)
    if not flags:
        return None
    emergency, clinic = ("; ".join(item["sign"] for item in flags[key]) for key in ("emergency", "clinic"))
    text = (f"{flags['emergency_heading']}: {emergency}. {flags['emergency_action']} "
            f"{flags['when_signs_start']} {flags['clinic_heading']}: {clinic}. {flags['clinic_closed']} "
            f"{flags['emergency_department']}")
    return highlight(text, pattern) if pattern else escape(text)


SOURCES = [
    ("topic", Topic, "title", ("summary", "body"), "pages:topic"),
    ("faq", FaqEntry, "question", ("answer",), "pages:faq_entry"),
    ("condition", Condition, "name", ("summary", "text"), "pages:condition"),
]
KIND_ORDER = {"topic": 0, "faq": 1, "condition": 2}


@dataclass(frozen=True)
class IndexRow:
    kind: str
    slug: str
    url_name: str
    title: str
    text: str
    key: object = None  # the translation key the row shares with its other languages


def _vocabulary_words(language):
    """The words of a language's own vocabularies (patients' words, the guide's words for them,
    the warning signs, stop words), folded: words search knows even where no page has them."""
    synonyms = SPANISH_SYNONYMS if language == "es" else SYNONYMS
    texts = [*synonyms, *(term for terms in synonyms.values() for term in terms)]
    if language == "es":
        texts += [*SPANISH_SAME_WORDS, *SPANISH_SAME_WORDS.values()]
    texts += [word for words in red_flags.words_by_need(language).values() for word in words]
    texts += [phrase for phrases in red_flags.phrases_by_need(language).values() for phrase in phrases]
    stop_words = STOP_WORDS_BY_LANGUAGE["es"] if language == "es" else STOP_WORDS
    return frozenset(word for text in texts for word in WORD_RE.findall(fold(text))) | stop_words


VOCABULARY = {language: _vocabulary_words(language) for language in red_flags.SIGNS}
OTHER_LANGUAGE = {"en": "es", "es": "en"}

# Spelling: a word neither language's guide has is read as the closest word one of them has,
# at most MAX_EDITS edits away (a swap of two letters is one: "pnuemothorax"), for words of at
# least MIN_CORRECTED letters (shorter ones have too many neighbours).
MAX_EDITS = 1
MIN_CORRECTED = 5


class SearchIndex:
    """The rows, an inverted index of their titles and one of their texts, the row ids in the
    order that breaks ties in the ranking, the answers on where to go, and the words search
    knows (for spelling), built once per content version."""

    def __init__(self, rows, place_answers=None, language=SOURCE_LANGUAGE):
        self.rows = tuple(rows)
        self._urls = {}  # row id -> address: reversed once per content version (the index's life)
        self.titles = WordIndex([row.title for row in self.rows])
        self.texts = WordIndex([row.text for row in self.rows])

        def kind_and_title(row_id):
            return KIND_ORDER[self.rows[row_id].kind], self.rows[row_id].title.lower()

        # Row ids by kind, then lower-cased title; equal ones in row order (the sort is stable).
        self.tie_order = sorted(range(len(self.rows)), key=kind_and_title)
        self.by_key = {(row.kind, row.key): row_id for row_id, row in enumerate(self.rows) if row.key is not None}
        self.place_rows = {}
        for need, answer in (place_answers or {}).items():
            row_id = self.by_key.get(("faq", answer.key))
            if row_id is None and language != SOURCE_LANGUAGE:
                # Put first for its need, never found by its words (another language's text):
                # it is in neither word index.
                self.rows += (answer,)
                row_id = len(self.rows) - 1
            if row_id is not None:
                self.place_rows[need] = row_id
        # Spelling: every word of the pages and of the vocabularies; the longer ones to correct
        # to, and how many rows have each (the commoner of two equally close words wins).
        self.frequency = dict(zip(self.texts.words, map(len, self.texts.rows), strict=True))
        for word, rows in zip(self.titles.words, self.titles.rows, strict=True):
            self.frequency[word] = self.frequency.get(word, 0) + len(rows)
        self.known = frozenset(self.frequency) | VOCABULARY.get(language, frozenset())
        self.choices = sorted(word for word in self.known if len(word) >= MIN_CORRECTED - 1 and word.isalpha())
        self._corrections = {}
        self.language = language

    def url_of(self, row_id):
        """The row's address in this index's language. A search page shows 30; reverse() was a
        quarter of a search's time, so each is reversed once per content version."""
        if row_id not in self._urls:
            row = self.rows[row_id]
            with translation.override(self.language):
                self._urls[row_id] = reverse(row.url_name, kwargs={"slug": row.slug})
        return self._urls[row_id]

    @property
    def urgent_row(self):
        return self.place_rows.get(red_flags.EMERGENCY)

    def correction(self, word):
        """(edits, -rows with it, the known word closest to `word`), or None: rapidfuzz's
        optimal string alignment distance, so a swap of two letters is one edit."""
        if word not in self._corrections:
            if len(self._corrections) > 10_000:
                self._corrections.clear()
            found = None
            if len(word) >= MIN_CORRECTED:
                matches = process.extract(word, self.choices, scorer=OSA.distance, score_cutoff=MAX_EDITS, limit=None)
                found = min(((edits, -self.frequency.get(match, 0), match) for match, edits, _ in matches),
                            default=None)
            self._corrections[word] = found
        return self._corrections[word]

    def spelled(self, word):
        """`word` (folded) as the pages write it, accents and all: `puncion` -> `punción`."""
        pattern = re.compile(r"\b" + accent_insensitive(word) + r"\b", re.IGNORECASE)
        for index in (self.titles, self.texts):
            for row_id in index.rows_with_prefix(word):
                match = pattern.search(index.texts[row_id])
                if match:
                    return match.group(0).lower()
        return word


_index = {}  # language -> (content version, SearchIndex)


def search_index(language=None):
    """Every published page's searchable words in `language` (default: the current one), built
    once per content version per process.

    A search then touches no database: at 1,000 pages, reading every body for each search
    cost more than the rest of the search together.
    """
    version = content_version().key
    language = language or translation.get_language()
    if _index.get(language, (None,))[0] != version:
        rows = []
        for kind, model, title_field, text_fields, url_name in SOURCES:
            values = model.objects.published().in_language(language).values_list(
                "slug", "translation_key", title_field, *text_fields)
            for slug, key, title, *texts in values:
                text = " ".join(searchable_text(t) for t in texts)
                rows.append(IndexRow(kind, slug, url_name, title, text, key))
        _index[language] = (version, SearchIndex(rows, place_to_go_answers(), language))
    return _index[language][1]


def place_to_go_answers():
    """{need: the English answer that says where to go for it, as an IndexRow}: the one place
    that finds these answers. Each language's row is then found by its translation key (the
    English row itself, under the not-translated notice, where none is published)."""
    # Found by their stable keys (pages.models.base.stable_key), never by slug: a renamed answer
    # stays the one search puts first, and no other page given its old slug can take its place.
    needs = {stable_key(FaqEntry, name): need for need, name in PLACE_TO_GO_ANSWERS.items()}
    english = FaqEntry.objects.published().filter(language=SOURCE_LANGUAGE, translation_key__in=needs).values_list(
        "slug", "translation_key", "question", "answer")
    return {needs[key]: IndexRow("faq", slug, "pages:faq_entry", question, searchable_text(answer), key)
            for slug, key, question, answer in english}


def place_to_go_keys():
    """{need: the translation key of the answer that says where to go for it}."""
    return {need: row.key for need, row in place_to_go_answers().items()}


@dataclass
class Reading:
    """A query as search reads it: folded, with its misspellings corrected."""
    text: str  # folded, corrected: what is searched for
    corrected: str  # the query as searched, as the pages spell it ("" when nothing was corrected)
    unknown: tuple  # words neither language's guide has, nor anything close
    other_language: str = ""  # the other language, when most words look like it


def read_query(query, language):
    """Which words the guides know, in which language, and the closest known word for the
    others ("brusing" -> "bruising", "punsion" -> "punción")."""
    other = OTHER_LANGUAGE[language]
    indexes = {language: search_index(language), other: search_index(other)}
    votes = Counter()
    replaced, unknown = {}, []
    for word in [word.strip("'-") for word in WORD_RE.findall(fold(query))]:
        knows = [lang for lang, index in indexes.items() if word in index.known]
        if len(knows) == 1:
            votes[knows[0]] += 1
        if knows or not word or word in ALL_STOP_WORDS or word.isdigit():
            continue
        guesses = [(*found, lang != language, lang) for lang, index in indexes.items()
                   if (found := index.correction(word))]
        if guesses:
            edits, _rows, match, _other, lang = min(guesses)
            replaced[word] = (match, indexes[lang])
            votes[lang] += 1
        else:
            unknown.append(word)

    def corrected(match):
        word = match.group(0)
        return replaced[word][0] if word in replaced else word

    def spelled(match):
        word = fold(match.group(0)).strip("'-")
        return replaced[word][1].spelled(replaced[word][0]) if word in replaced else match.group(0)

    return Reading(
        text=WORD_RE.sub(corrected, fold(query)),
        corrected=WORD_RE.sub(spelled, query) if replaced else "",
        unknown=tuple(unknown),
        other_language=other if votes[other] > votes[language] else "",
    )


def _rank(index, terms, loose):
    """(row ids best first, title hits, text hits): title hits outweigh text hits, and rows that
    only loose terms find come after every other."""
    title_hits = index.titles.hits(terms)
    text_hits = index.texts.hits(terms)
    # One number per row that orders like (title hits, text hits): any title hit outweighs
    # all text hits. With it the key is score.__getitem__, no Python function call per row.
    title_weight = sum(terms.values()) + 1
    score = Counter(text_hits)
    for row_id, hits in title_hits.items():
        score[row_id] += hits * title_weight
    if loose:
        real = {term: weight for term, weight in terms.items() if term not in loose}
        above = title_weight * title_weight
        for row_id in set(index.titles.hits(real)) | set(index.texts.hits(real)):
            score[row_id] += above
    # Equal scores keep the tie order (kind, then title): nlargest is stable, like sorted().
    best = heapq.nlargest(MAX_RESULTS, filter(score.__contains__, index.tie_order), key=score.__getitem__)
    return best, title_hits, text_hits


@dataclass
class Findings:
    """What a search found and how it read the query."""
    query: str
    results: list
    corrected: str = ""  # "Showing results for ..."
    other_language: str = ""  # the query looks like this language: offer its box
    not_found: bool = False  # some words are in no page: say what the guide is about
    needs: tuple = ()  # red_flags.EMERGENCY and/or red_flags.CLINIC


def search(raw_query):
    """Published topics, FAQ answers and conditions that match, best first."""
    return find(raw_query).results


def find(raw_query):
    """Published topics, FAQ answers and conditions that match, best first, in the current
    language: the answers on where to go first when the query names a warning sign (in either
    language); misspellings read as the closest word the guides have; a query in the other
    language finds the pages its words find there, in this language."""
    query = clean_query(raw_query)
    language = translation.get_language()
    language = language if language in OTHER_LANGUAGE else SOURCE_LANGUAGE
    if not content_words(fold(query)):
        return Findings(query, [])
    reading = read_query(query, language)
    needs = needs_of(reading.text)
    index = search_index(language)
    terms, loose = _terms(reading.text, language, reading.unknown)
    best, title_hits, text_hits = _rank(index, terms, loose) if terms else ([], {}, {})
    if reading.other_language:
        other_index = search_index(reading.other_language)
        theirs = _rank(other_index, *_terms(reading.text, reading.other_language, reading.unknown))[0]
        mapped = (index.by_key.get((other_index.rows[row_id].kind, other_index.rows[row_id].key)) for row_id in theirs)
        # Their pages in this language; this language's own matches of those words only if
        # there are none (Spanish words found in English text are chance matches).
        best = [row_id for row_id in mapped if row_id is not None] or best
    # The answers on where to go, above every other result, even one whose title matches better,
    # or none at all: in the patient's language (the one the words look like) first, then in the
    # box's own.
    patient = reading.other_language or language
    # Each index once: search_index() reads the content version (a stat() call) each time.
    indexes = {language: index, patient: search_index(patient) if patient != language else index}
    first = [(lang, indexes[lang].place_rows[need], need) for need in needs
             for lang in indexes if need in indexes[lang].place_rows]
    first.sort(key=lambda found: (red_flags.NEEDS.index(found[2]), found[0] != patient))
    own_first = {row_id for lang, row_id, _need in first if lang == language}
    shown = first + [(language, row_id, "") for row_id in best if row_id not in own_first]
    pattern = _pattern(terms) if terms else None
    results = []
    for lang, row_id, place in shown[:MAX_RESULTS]:  # highlighting and snippets only for the results shown
        row = indexes[lang].rows[row_id]
        url = indexes[lang].url_of(row_id)
        results.append(Result(
            kind=row.kind,
            title=row.title,
            title_html=highlight(row.title, pattern) if pattern else escape(row.title),
            snippet_html=(row_id == indexes[lang].urgent_row and urgent_snippet(pattern, lang))
            or (snippet(row.text, pattern) if pattern else escape(row.text[:SNIPPET_LENGTH])),
            url=url,
            title_hits=title_hits.get(row_id, 0) if lang == language else 0,
            text_hits=text_hits.get(row_id, 0) if lang == language else 0,
            urgent=place == red_flags.EMERGENCY,
            place=place,
            other_language="" if lang == language else lang,
            key=row.key,
        ))
    return Findings(query, results, reading.corrected, reading.other_language, _not_found(index, reading, best), needs)


def _not_found(index, reading, best):
    """Whether to say "We could not find ...": some words are in neither guide, unless the first
    page's title has every other word ("will I be sore tomorrow" finds "Will I be sore?")."""
    if not reading.unknown:
        return False
    known = [word for word in content_words(reading.text) if word not in reading.unknown]
    return not (best and known and all(best[0] in index.titles.hits(weighted_terms(word, index.language))
                                       for word in known))
