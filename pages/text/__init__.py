"""Text with no database: the one Markdown pipeline (render + nh3), reading grade in English and
Spanish, and word diffs. Everything above it may use it; it imports nothing from the site."""
