"""Site search over published topics, FAQ answers and conditions.

An in-process index of every published page's words, rebuilt when content changes, is
scored in Python with no query per search (the same on SQLite and PostgreSQL): a match in
the title, question or name always ranks above a match only in the summary or text.
The index is inverted (word -> rows), so a search costs in proportion to the rows that
match, not to all rows: a few ms at 6,000 rows, where a scan of every row took ~50 ms.
Patients' own words ("jaw", "sore", "sciatica") reach the clinical ones through a small
synonym map, and each word is also looked for by its Snowball stem ("breathe" finds
"breathing", "swollen" and "swelling" both count), so a symptom the guide covers is never
"No pages match". A symptom that can be a red flag ("chest", "can't breathe", "numb") puts
the urgent answer (faq/when-to-call-911) first, whatever else matches.

Spanish pages (/es/buscar/) have their own Snowball stemmer, stop words, synonyms of patients'
words (US Spanish too: "aseguranza", "quijada") and red-flag words; English search is unchanged.

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

from serving.cache import content_version

from ..models import Condition, FaqEntry, RedFlagList, Topic
from ..translations.status import SOURCE_LANGUAGE, translated_answer_slug

# Characters of the query that are used; the rest is ignored (the form allows as many).
MAX_QUERY_LENGTH = 100
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
    "mareo": ["mareo", "mareado", "desmayo"],
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

# Red-flag symptoms, as Snowball stems of the words patients type: any of them in a query puts
# the urgent answer first. The guide's shared list: chest pain, pain when breathing in,
# shortness of breath, a dry cough, numbness between the legs, bladder or bowel control; and
# what needs a call to the clinic: fever, a red, hot, swollen or oozing needle spot.
URGENT_FAQ = "when-to-call-911"
RED_FLAG_STEMS = frozenset("""
    breath breathless wheez chest lung pneumothorax cough numb tingl bladder bowel incontin
    pee poop fever feverish pus swell swollen infect
""".split())

WORD_RE = re.compile(r"[\w][\w'-]*", re.UNICODE)

# The same list in Spanish (the guide's terms and patients' words for them), written without
# accents: Snowball's Spanish stems of these, and phrases looked for as they are.
SPANISH_RED_FLAG_WORDS = """
    pecho respirar respiracion respiro ahogo ahogarse ahogando asfixia tos toser pulmon pulmones
    neumotorax entumecido entumecida entumecimiento adormecido adormecida adormecimiento hormigueo
    vejiga intestinos orinar orina pipi popo caca incontinencia fiebre calentura pus hinchado
    hinchada hinchazon infeccion infectado infectada
""".split()
SPANISH_RED_FLAG_PHRASES = ("falta de aire", "falta el aire", "sin aire")


def fold(text):
    """Lower case without accents, for matching: `Mandíbula` -> `mandibula`, `moretón` ->
    `moreton`. Patients often type Spanish without accents (and sometimes add wrong ones)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))


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

    @property
    def rank(self):
        return (self.title_hits, self.text_hits)


def clean_query(raw):
    """The query as used: trimmed, whitespace collapsed, at most MAX_QUERY_LENGTH characters.

    Control characters (a NUL byte breaks a PostgreSQL query) become spaces.
    """
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(raw or "")[:10 * MAX_QUERY_LENGTH])
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH].strip()


_snowball = snowballstemmer.stemmer("english")
_STEMMERS = {"es": snowballstemmer.stemmer("spanish")}


def snowball(word, language=None):
    """The Snowball stem in the page's language: `breathe` -> `breath`, `swelling` -> `swell`;
    in Spanish `mandibula` -> `mandibul`, `moretones` -> `moreton`."""
    return _STEMMERS.get(language or translation.get_language(), _snowball).stemWord(word)


SPANISH_RED_FLAG_STEMS = frozenset(snowball(word, "es") for word in SPANISH_RED_FLAG_WORDS)


def is_urgent(query):
    """Whether a query names a red-flag symptom, so the urgent answer must come first."""
    language = translation.get_language()
    if language == "es":
        text = fold(clean_query(query))
        return (any(snowball(word.strip("'-"), "es") in SPANISH_RED_FLAG_STEMS for word in WORD_RE.findall(text))
                or any(re.search(r"\b" + phrase + r"\b", text) for phrase in SPANISH_RED_FLAG_PHRASES))
    words = WORD_RE.findall(clean_query(query).lower())
    return any(snowball(word.strip("'-"), "en") in RED_FLAG_STEMS for word in words)


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


def weighted_terms(query):
    """{term: weight} to look for: the query's own words (stemmed), then their synonyms."""
    text = fold(clean_query(query))
    language = translation.get_language()
    synonyms = SPANISH_SYNONYMS if language == "es" else SYNONYMS
    stop_words = STOP_WORDS | STOP_WORDS_BY_LANGUAGE.get(language, frozenset())
    words = [w.strip("'-") for w in WORD_RE.findall(text)]
    words = [w for w in words if w and w not in stop_words][:MAX_TERMS]
    if language == "es":
        words = [SPANISH_SAME_WORDS.get(word, word) for word in words]
    found = [(word, OWN_WORD) for word in words]
    # The Snowball stem finds the other forms: "breathe" -> "breath" matches "breathing". Only
    # a stem that just cuts an ending off: "dry" -> "dri" would find "drive" instead.
    found += [(snowball(word, language), OWN_WORD) for word in words
              if len(snowball(word, language)) >= 3 and word.startswith(snowball(word, language))]
    for word in words:
        found += [(extra, SYNONYM) for extra in synonyms.get(word, synonyms.get(stem(word, language), ()))]
    for phrase, extra in synonyms.items():
        if " " in phrase and re.search(r"\b" + re.escape(phrase) + r"\b", text):
            found += [(phrase, OWN_WORD)] + [(term, SYNONYM) for term in extra]
    terms = {}
    for term, weight in found:
        term = term if " " in term else stem(term, language)
        if len(term) >= 2:
            terms[term] = max(weight, terms.get(term, 0))
    return terms


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
    return " ".join(html.unescape(_MARKUP.sub(" ", text)).split())


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
            for _ in range(weight):  # weights are small ints; Counter.update counts in C
                hits.update(rows)
        return hits


def highlight(text, pattern):
    """`text` HTML-escaped, with each match of `pattern` wrapped in <mark>."""
    pieces = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last:match.start()]))
        pieces.append("<mark>" + escape(match.group(0)) + "</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
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


def urgent_snippet(pattern):
    """The urgent answer's snippet: the whole red-flag list, in its words, highlighted."""
    flags = RedFlagList.objects.values_for(translation.get_language())
    if not flags:
        return None
    emergency, clinic = ("; ".join(item["sign"] for item in flags[key]) for key in ("emergency", "clinic"))
    return highlight(f"{flags['emergency_heading']}: {emergency}. {flags['emergency_action']} "
                     f"{flags['when_signs_start']} {flags['clinic_heading']}: {clinic}. {flags['clinic_closed']} "
                     f"{flags['emergency_department']}", pattern)


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


class SearchIndex:
    """The rows, an inverted index of their titles and one of their texts, and the row ids
    in the order that breaks ties in the ranking."""

    def __init__(self, rows, urgent_slug=URGENT_FAQ, urgent_fallback=None):
        self.rows = tuple(rows)
        self.titles = WordIndex([row.title for row in self.rows])
        self.texts = WordIndex([row.text for row in self.rows])

        def kind_and_title(row_id):
            return KIND_ORDER[self.rows[row_id].kind], self.rows[row_id].title.lower()

        # Row ids by kind, then lower-cased title; equal ones in row order (the sort is stable).
        self.tie_order = sorted(range(len(self.rows)), key=kind_and_title)
        self.urgent_row = next(
            (row_id for row_id, row in enumerate(self.rows) if (row.kind, row.slug) == ("faq", urgent_slug)), None)
        if self.urgent_row is None and urgent_fallback is not None:
            # Put first for a red flag, never found by its words (another language's text):
            # it is in neither word index.
            self.rows += (urgent_fallback,)
            self.urgent_row = len(self.rows) - 1


_index = {}  # language -> (content version, SearchIndex)


def search_index():
    """Every published page's searchable words in the current language, built once per
    content version per process.

    A search then touches no database: at 1,000 pages, reading every body for each search
    cost more than the rest of the search together.
    """
    version = content_version().key
    language = translation.get_language()
    if _index.get(language, (None,))[0] != version:
        rows = []
        for kind, model, title_field, text_fields, url_name in SOURCES:
            values = model.objects.published().in_language(language).values_list("slug", title_field, *text_fields)
            for slug, title, *texts in values:
                text = " ".join(searchable_text(t) for t in texts)
                rows.append(IndexRow(kind, slug, url_name, title, text))
        _index[language] = (version, SearchIndex(rows, *urgent_answer(language)))
    return _index[language][1]


def urgent_answer(language):
    """(slug, fallback row) of the urgent answer in `language`: the translation of the English
    URGENT_FAQ when one is published, else the English row itself (shown under /es/ with the
    not-translated notice), so a red flag always finds it."""
    if language == SOURCE_LANGUAGE:
        return URGENT_FAQ, None
    english = FaqEntry.objects.published().filter(language=SOURCE_LANGUAGE, slug=URGENT_FAQ).values_list(
        "question", "answer").first()
    if english is None:
        return None, None
    question, answer = english
    return (translated_answer_slug(URGENT_FAQ, language),
            IndexRow("faq", URGENT_FAQ, "pages:faq_entry", question, searchable_text(answer)))


def search(raw_query):
    """Published topics, FAQ answers and conditions that match, best first."""
    query = clean_query(raw_query)
    terms = weighted_terms(query)
    if not terms:
        return []
    urgent = is_urgent(query)
    index = search_index()
    title_hits = index.titles.hits(terms)
    text_hits = index.texts.hits(terms)
    # One number per row that orders like (title hits, text hits): any title hit outweighs
    # all text hits. With it the key is score.__getitem__, no Python function call per row.
    title_weight = sum(terms.values()) + 1
    score = Counter(text_hits)
    for row_id, hits in title_hits.items():
        score[row_id] += hits * title_weight
    # Equal scores keep the tie order (kind, then title): nlargest is stable, like sorted().
    best = heapq.nlargest(MAX_RESULTS, filter(score.__contains__, index.tie_order), key=score.__getitem__)
    if urgent and index.urgent_row is not None:
        # Above every other result, even one whose title matches better, or none at all.
        best = [index.urgent_row] + [row_id for row_id in best if row_id != index.urgent_row][: MAX_RESULTS - 1]
    pattern = _pattern(terms)
    results = []
    for row_id in best:  # highlighting and snippets only for the results shown
        row = index.rows[row_id]
        results.append(Result(
            kind=row.kind,
            title=row.title,
            title_html=highlight(row.title, pattern),
            snippet_html=(row_id == index.urgent_row and urgent_snippet(pattern)) or snippet(row.text, pattern),
            url=reverse(row.url_name, kwargs={"slug": row.slug}),
            title_hits=title_hits[row_id],
            text_hits=text_hits[row_id],
            urgent=urgent and row_id == index.urgent_row,
        ))
    return results
