"""Loading `content/` (Markdown files with YAML front matter) into the models, and back.

- kinds.py: what each kind of file may contain (the field tables) and value converters;
- reading.py: parsing and checking one file, then the whole folder;
- checking.py: checks across files (links between files, duplicate slugs);
- writing.py: `load_content`, all or nothing, never overwriting a staff edit unasked;
- exporting.py: `export_content`, the database back to files.
"""
from .errors import ContentError, ContentErrors
from .exporting import export_content
from .kinds import CONDITION, FAQ, KINDS, PROVIDER, REFERENCE, TOPIC
from .reading import read_content
from .writing import LOAD_REASON, LoadReport, load_content, staff_revision

__all__ = [
    "CONDITION", "FAQ", "KINDS", "LOAD_REASON", "PROVIDER", "REFERENCE", "TOPIC",
    "ContentError", "ContentErrors", "LoadReport",
    "export_content", "load_content", "read_content", "staff_revision",
]
