"""How the command line tells the user what is wrong with their input."""


class InputError(ValueError):
    """A problem with the user's files or settings, told in one line."""


class MissingColumnError(InputError):
    """A column named by an option (``option``, e.g. ``"--target"``) is not
    in the file; ``column`` and ``columns`` say which and what it has."""

    def __init__(self, path, column, columns, option=None):
        self.path, self.column, self.columns = path, column, list(columns)
        named = f" ({option})" if option else ""
        super().__init__(
            f"{path} has no column {column!r}{named}; its columns are: "
            f"{', '.join(map(str, self.columns))}."
        )


def one_line(error):
    """An exception's message on one line."""
    return " ".join(str(error).split())
