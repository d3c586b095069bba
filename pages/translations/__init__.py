"""Translations: each language's page is its own row (pages.models.base.Translatable).
status.py says which are out of date and finds a page's other languages; admin.py is the
translators' side of the admin."""
