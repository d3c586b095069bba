"""The gate a translation file passes besides its reading level: it says what its English file
says. A translation is written for patients, not word for word, so its sentences are not
compared; what can be compared is what must not change: the sources it cites, every number
(a rate, a count of days, a phone number such as 911) and whether the page has the "Call 911" box.

Problems are written `file:line: what is wrong`, like pages.content.gates'.
"""
import re

from ..text.markdown import cited_keys
from .gates import body_of, line_of_text, problem, prose_fields

# 2,500 and 2500 are one number; a year, a count or a rate alike. Citation keys ([@halle-2016a])
# and link addresses are left out: they are not read as numbers.
NUMBER = re.compile(r"(?<![\w@-])\d[\d,]*(?:\.\d+)?(?![\w-])")
NOT_READ = re.compile(r"\[@[\w-]+\]|\]\([^)]*\)|<[^>]+>")


def numbers_in(texts):
    """{number without thousands commas: as first written}"""
    found = {}
    for text in texts:
        for written in NUMBER.findall(NOT_READ.sub("]", text)):
            written = written.rstrip(",")
            found.setdefault(written.replace(",", ""), written)
    return found


def _texts(record):
    return [record.values.get(name, "") for name in prose_fields(record)] + [body_of(record)]


def check_same_as_english(records):
    english = {(r.kind, r.slug): r for r in records if r.kind.source is None}
    problems = []
    for record in records:
        if record.kind.source is None:
            continue
        source = english.get((record.kind.source, record.links.get("translation_of")))
        if source is None:
            continue  # the loader's own check names the missing English file
        name = source.source.path.name
        own_keys, english_keys = set(cited_keys(body_of(record))), set(cited_keys(body_of(source)))
        problems += [problem(record, f"does not cite [@{key}] as {name} does")
                     for key in sorted(english_keys - own_keys)]
        problems += [problem(record, f"cites [@{key}], which {name} does not", line_of_text(record, f"[@{key}]"))
                     for key in sorted(own_keys - english_keys)]
        own_numbers, english_numbers = numbers_in(_texts(record)), numbers_in(_texts(source))
        problems += [problem(record, f"the number {written} of {name} is missing")
                     for number, written in english_numbers.items() if number not in own_numbers]
        problems += [problem(record, f"the number {written} is not in {name}", line_of_text(record, written))
                     for number, written in own_numbers.items() if number not in english_numbers]
        own_box, english_box = record.values.get("red_flags", False), source.values.get("red_flags", False)
        if own_box != english_box:
            problems.append(problem(
                record, f"red_flags is {str(own_box).lower()} but {str(english_box).lower()} in {name} "
                "(the \"Call 911\" box)", record.source.line_of("red_flags")))
    return problems
