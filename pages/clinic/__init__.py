"""The clinic's own details: providers and locations pages, and the clinic and menu every page
shows (context_processors.py)."""
