"""The warning signs, the one list the code reads: which signs need 911 (or the emergency
department) and which need a call to the clinic, in English and Spanish.

Each sign has the words patients type for it, matched by search in either language's box
(written lower case and without accents; search compares their Snowball stems), phrases of
several words looked for as they are, and, for the signs that need 911, the pattern of a
sentence on a page that names it, which the content gates read (a page naming one must send
the reader to 911 or the emergency department, never to urgent care).

content/red-flags.md is the same list as patients read it; this is what the code matches. A
sign added there needs its words here: a test types every sign of that list into both search
boxes and fails until each puts the urgent answer first (tests/guide/test_search.py).
No database here: both search (pages.guide) and the gates (pages.content) import it.
"""
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

EMERGENCY = "emergency"  # call 911 or go to the emergency department
CLINIC = "clinic"  # call the clinic (or, if very ill with a fever, the emergency department)
NEEDS = (EMERGENCY, CLINIC)  # most urgent first


@dataclass(frozen=True)
class Sign:
    need: str  # EMERGENCY or CLINIC
    words: tuple = ()  # one word a patient types, lower case without accents
    phrases: tuple = ()  # several words, lower case without accents
    sentence: str = ""  # regex, case-insensitive: a page's sentence naming the sign


SIGNS = {
    "en": (
        Sign(EMERGENCY, words=("chest", "lung", "lungs", "pneumothorax"),
             phrases=("collapsed lung",),
             sentence=r"chest (pain|hurts|tightness)|pain in (your|the) chest"
                      r"|(hurts?|pain\w*)\b[^.]{0,20}\bwhen (you )?breath(e|ing)"),
        # "sob": patients' shorthand for shortness of breath.
        Sign(EMERGENCY, words=("breath", "breathe", "breathing", "breathless", "wheeze", "wheezing", "sob",
                               "suffocating"),
             phrases=("short of breath", "out of breath"),
             sentence=r"short(ness)? of breath|breathless|(trouble|difficulty|hard) (to )?breath(e|ing)"
                      r"|can(no|')t (catch your )?breathe?"),
        Sign(EMERGENCY, words=("cough", "coughing"), sentence=r"dry cough"),
        Sign(EMERGENCY, words=("numb", "numbness", "tingling"),
             sentence=r"numb(ness)? (between|in|around) (your |the )?(legs|groin|genitals|inner thighs|buttocks)"
                      r"|saddle numbness|numbness that spreads|spreading numbness"),
        Sign(EMERGENCY, words=("bladder", "bowel", "bowels", "incontinence", "incontinent", "pee", "poop"),
             sentence=r"(bladder|bowels?)( or (bladder|bowels?))? control|incontinen"
                      r"|control(ling)? (of )?(your )?(bladder|bowels?)|(wet|soil) yourself"),
        # New weakness in an arm or leg, and severe new neck or back pain, after needling near
        # the spine (Halle 2016a: central nervous system injury). "Weak" alone finds the list:
        # a patient who feels weak reads which weakness needs 911.
        Sign(EMERGENCY, words=("weak", "weakness"),
             phrases=("severe new", "severe back pain", "severe neck pain", "severe pain in my back",
                      "severe pain in my neck", "sudden back pain", "sudden neck pain", "back pain after needling",
                      "neck pain after needling"),
             sentence=r"\bnew weakness\b|severe new\b[^.]{0,30}\b(neck|back)\b|severe (neck|back) pain"),
        # Fainting (passing out). Phrases, not the word "faint": feeling faint is not a 911 sign
        # (the answer on feeling faint comes first for it). No sentence for the gates: fainting
        # in the clinic, with the therapist there, is not a 911 call.
        Sign(EMERGENCY, phrases=("fainted", "fainting", "pass out", "passed out", "passing out", "black out",
                                 "blacked out", "blackout", "lost consciousness", "losing consciousness",
                                 "unconscious")),
        Sign(CLINIC, words=("fever", "feverish", "fevers")),
        Sign(CLINIC, words=("pus", "swell", "swelling", "swollen", "infection", "infected", "oozing")),
    ),
    "es": (
        Sign(EMERGENCY, words=("pecho", "pulmon", "pulmones", "neumotorax"),
             phrases=("pulmon colapsado",),
             sentence=r"dolor (de|en el) pecho|pecho apretado|(duel|dol)\w*\b[^.]{0,20}\bal respirar"),
        Sign(EMERGENCY, words=("respirar", "respiracion", "respiro", "ahogo", "ahogarse", "ahogando", "asfixia"),
             phrases=("falta de aire", "falta el aire", "sin aire"),
             sentence=r"falta de aire|ahog(o|a|arse)|(dificultad|problemas?|trabajo) para respirar"
                      r"|no (puede|pueda|poder) respirar"),
        Sign(EMERGENCY, words=("tos", "toser"), sentence=r"tos seca"),
        Sign(EMERGENCY, words=("entumecido", "entumecida", "entumecimiento", "adormecido", "adormecida",
                               "adormecimiento", "hormigueo"),
             sentence=r"(entumecimiento|adormecimiento|entumecid[oa]s?|adormecid[oa]s?)\b[^.]{0,40}"
                      r"\b(entre las piernas|ingle|genitales|nalgas|parte interna de los muslos)"
                      r"|entumecimiento que se extiende"),
        Sign(EMERGENCY, words=("debil", "debilidad"),
             phrases=("dolor fuerte y nuevo", "dolor fuerte de espalda", "dolor fuerte en la espalda",
                      "dolor fuerte de cuello", "dolor fuerte en el cuello", "dolor de espalda fuerte",
                      "dolor de cuello fuerte", "dolor intenso de espalda", "dolor intenso en la espalda",
                      "dolor intenso de cuello", "dolor intenso en el cuello"),
             sentence=r"debilidad nueva|nueva debilidad"
                      r"|dolor (fuerte|intenso)( y nuevo)?\b[^.]{0,30}\b(cuello|espalda)"),
        Sign(EMERGENCY, phrases=("me desmaye", "se desmayo", "desmayado", "desmayada", "desmayo", "desmayos",
                                 "perdi el conocimiento", "perdio el conocimiento", "perder el conocimiento",
                                 "perdida del conocimiento", "inconsciente")),
        Sign(EMERGENCY, words=("vejiga", "intestinos", "orinar", "orina", "pipi", "popo", "caca", "incontinencia"),
             sentence=r"control(ar)?\b[^.]{0,30}\b(vejiga|intestinos?)|(vejiga|intestinos?)\b[^.]{0,30}\bcontrol"
                      r"|incontinencia"),
        Sign(CLINIC, words=("fiebre", "calentura", "febril")),
        Sign(CLINIC, words=("pus", "hinchado", "hinchada", "hinchazon", "infeccion", "infectado", "infectada")),
    ),
}


def sentence_pattern(language):
    """The regex that finds a sentence naming a sign that needs 911, in `language`."""
    return re.compile("|".join(sign.sentence for sign in SIGNS[language] if sign.need == EMERGENCY and sign.sentence),
                      re.IGNORECASE)


def words_by_need(language):
    """{need: the words patients type for its signs} in `language`."""
    return {need: tuple(word for sign in SIGNS[language] if sign.need == need for word in sign.words)
            for need in NEEDS}


def phrases_by_need(language):
    """{need: the phrases patients type for its signs} in `language`."""
    return {need: tuple(phrase for sign in SIGNS[language] if sign.need == need for phrase in sign.phrases)
            for need in NEEDS}


# Words that send a reader somewhere for urgent care: text that says them is clinical advice,
# whoever writes it (a notice, a cost answer, a location's name), so it needs a clinical editor.
CARE_WORDS = {
    "en": ("911", "emergency", "emergencies", "er", "ed", "ambulance", "hospital", "paramedic", "paramedics",
           "urgent", "ambulances"),
    "es": ("emergencia", "emergencias", "urgencia", "urgencias", "ambulancia", "ambulancias", "hospital",
           "guardia"),
}
CARE_PHRASES = {"en": ("walk in", "nine one one", "nine eleven"),
                "es": ("cruz roja", "nueve uno uno", "nueve once")}
# Plain words for the body and for feeling unwell that the signs are told in ("can hardly get
# air", "pressure in your ribs", "le aprieta el torax"): not what search answers with the urgent
# answer, but front-desk text that says them is about a patient's body, which is a clinical
# editor's (a security review put all three live in a cost answer).
BODY_WORDS = {
    "en": ("air", "rib", "ribs", "faint", "fainted", "dizzy", "bleed", "bleeding", "blood", "unconscious", "weak",
           "weakness", "numbness", "breathing"),
    "es": ("aire", "torax", "costilla", "costillas", "mareo", "mareado", "mareada", "sangre", "sangrado",
           "desmayo", "desmayarse", "debilidad", "inconsciente"),
}
# Digits typed for look-alike letters inside a word ("pech0"): read as the letters.
LOOK_ALIKE_DIGITS = str.maketrans("013457", "oieast")
# A typed word this close to a sign's word (rapidfuzz ratio, 0-100) is read as that word
# ("brething"); shorter words must match exactly, or "lunch" would be "lung".
TYPO_SCORE = 85
TYPO_MIN_LENGTH = 5


def folded(text):
    """Lower case, without accents, compatibility forms (full-width letters) and invisible
    characters (zero-width spaces, direction marks) that could hide a word from a check."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))


def unusual_letters(text):
    """Letters that are not Latin (a Cyrillic "С" looks like a Latin "C"): sorted, for a message.
    English and Spanish are written in Latin letters only."""
    return sorted({ch for ch in unicodedata.normalize("NFKC", text)
                   if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN")})


# Single letters or digits spaced out ("9 1 1", "9-1-1", "E.R.", "C h e s t"): read as one word.
SPACED_OUT = re.compile(r"(?<![^\W_])[^\W_](?:[\s.\-]+[^\W_](?![^\W_])){1,}")
# A word of this many letters or more may be other words run together ("shortofbreath"): the
# vocabulary's longer words are looked for inside it.
RUN_TOGETHER_LENGTH = 9
INSIDE_LENGTH = 5


def _vocabulary():
    words, phrases = set(), set()
    for language in SIGNS:
        for need in NEEDS:
            words.update(words_by_need(language)[need])
            phrases.update(phrases_by_need(language)[need])
        words.update(CARE_WORDS[language])
        words.update(BODY_WORDS[language])
        phrases.update(CARE_PHRASES[language])
    return frozenset(words), frozenset(phrases)


VOCABULARY, PHRASES = _vocabulary()
# What is looked for inside a long word: the longer words, and the phrases run together.
INSIDE_WORDS = frozenset(word for word in VOCABULARY | {phrase.replace(" ", "") for phrase in PHRASES}
                         if len(word) >= INSIDE_LENGTH)


def urgent_care_terms(text):
    """The words of `text` (English or Spanish, typos, look-alike digits, spaced-out letters and
    words run together too) that name a warning sign, the body or feeling unwell, or a place or
    number for urgent care: sorted, empty when there are none. For text patients read that no
    clinical editor approves (a notice, a cost answer, a clinic's name): a term found means
    the text waits for one, or is refused."""
    plain = folded(text)
    joined = SPACED_OUT.sub(lambda match: re.sub(r"[\s.\-]+", "", match.group(0)), plain)
    words = set()
    for word in re.findall(r"[^\W_]+", plain) + re.findall(r"[^\W_]+", joined):
        words.add(word)
        if not word.isdigit():
            words.add(word.translate(LOOK_ALIKE_DIGITS))
    phrase_text = " ".join(re.findall(r"[^\W_]+", plain))
    found = {phrase for phrase in PHRASES if re.search(r"\b" + re.escape(phrase) + r"\b", phrase_text)}
    found.update(words & VOCABULARY)
    for word in words - VOCABULARY:
        if len(word) >= TYPO_MIN_LENGTH and word.isalpha():
            match = process.extractOne(word, VOCABULARY, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
            if match:
                found.add(word)
        if len(word) >= RUN_TOGETHER_LENGTH and any(inside in word for inside in INSIDE_WORDS):
            found.add(word)
    return sorted(found)
