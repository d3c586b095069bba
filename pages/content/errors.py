"""What a content problem is: the file, the line, and what is wrong."""


class ContentError(Exception):
    """A problem in one content file: where it is and what is wrong."""

    def __init__(self, path, message, line=None):
        self.path, self.message, self.line = path, message, line
        super().__init__(str(self))

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class ContentErrors(Exception):
    """All the problems found in one load; nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
