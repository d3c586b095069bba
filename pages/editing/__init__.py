"""What staff use to keep the guide right: the admin for the content models (admin.py), edit
conflicts (forms.py), readable history (history.py), recently deleted (deleted.py), review
dates (review.py) and staff accounts (staff.py)."""
