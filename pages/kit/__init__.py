"""What therapists hand patients: reading lists and the link builder that makes them, and the QR
code on printed sheets."""
