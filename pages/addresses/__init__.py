"""Addresses that never break: renamed pages answer 301, deleted ones 410 (redirects.py, with the
middleware and signals that keep them), absolute links on SITE_URL (links.py) and the site's
own address (site.py)."""
