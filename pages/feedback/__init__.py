"""What patients tell the clinic: "Was this page helpful?" on every patient page, and the
searches that found nothing, with the staff's reports of both (issue 24)."""
