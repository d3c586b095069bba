"""schema.org JSON-LD for search engines, built as dicts and serialised safely.

`json_ld()` gives text that is safe inside <script type="application/ld+json">: the
characters that could end the script element or start markup are written as \\u escapes.
"""
import json

from django.utils.safestring import mark_safe

from ..addresses.links import absolute_url
from ..text.markdown import render_plain_text

# schema.org's day names (data for machines, not text for people).
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data):
    """`data` as JSON that can go straight into a <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.translate(_SCRIPT_ESCAPES).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return mark_safe(text)  # every character that could close the script is escaped above


def _context(data):
    return {"@context": "https://schema.org", **data}


def reviewed_page(page, data, clinic=None):
    """A page patients read: when it was last reviewed, by whom (a role), and its publisher."""
    data = {**data, "url": absolute_url(page.get_absolute_url()), "inLanguage": page.language}
    if page.clinically_reviewed:  # a page no clinician has reviewed yet claims no review
        data["lastReviewed"] = page.last_reviewed.isoformat()
        data["reviewedBy"] = {"@type": "Person", "jobTitle": page.reviewed_by}
        if clinic is not None:
            data["reviewedBy"]["worksFor"] = {"@type": "MedicalClinic", "name": clinic.name}
    if clinic is not None:
        data["publisher"] = {"@type": "MedicalClinic", "name": clinic.name, "url": absolute_url("/")}
    return _context(data)


def topic_page(topic, clinic=None):
    return reviewed_page(topic, {"@type": "MedicalWebPage", "name": topic.title, "description": topic.summary},
                         clinic)


def condition_page(condition, clinic=None):
    return reviewed_page(
        condition, {"@type": "MedicalWebPage", "name": condition.name, "description": condition.summary}, clinic
    )


def faq_answer_page(entry, clinic=None):
    """One answer on its own page: an FAQPage with a single question."""
    return reviewed_page(entry, {"@type": "FAQPage", "name": entry.question, "mainEntity": [_question(entry)]},
                         clinic)


def _question(entry):
    return {
        "@type": "Question",
        "name": entry.question,
        "url": absolute_url(entry.get_absolute_url()),
        "acceptedAnswer": {"@type": "Answer", "text": render_plain_text(entry.answer)},
    }


def faq_page(entries, path, language="en"):
    return _context({
        "@type": "FAQPage",
        "url": absolute_url(path),
        "inLanguage": language,
        "mainEntity": [_question(entry) for entry in entries],
    })


def postal_address(location):
    return {
        "@type": "PostalAddress",
        "streetAddress": location.street_address,
        "addressLocality": location.city,
        "addressRegion": location.region,
        "postalCode": location.postal_code,
    }


def opening_hours(location):
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": list(DAY_NAMES[hours.first_day:hours.last_day + 1]),
            "opens": hours.opens.strftime("%H:%M"),
            "closes": hours.closes.strftime("%H:%M"),
        }
        for hours in location.hours.all()
    ]


def medical_clinic(clinic):
    """The clinic, with one PostalAddress per location and each location as a department."""
    locations = list(clinic.locations.all())
    data = {
        "@type": "MedicalClinic",
        "name": clinic.name,
        "url": absolute_url("/"),
        "telephone": clinic.phone,
        "email": clinic.email,
        "address": [postal_address(location) for location in locations],
        "openingHoursSpecification": opening_hours(locations[0]) if locations else [],
        "department": [
            {
                "@type": "MedicalClinic",
                "name": f"{clinic.name}, {location.name}",
                "telephone": location.phone_number,
                "address": postal_address(location),
                "openingHoursSpecification": opening_hours(location),
            }
            for location in locations
        ],
    }
    if clinic.booking_url:
        data["potentialAction"] = {"@type": "ReserveAction", "target": clinic.booking_url}
    return _context(data)
