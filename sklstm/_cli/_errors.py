"""How the command line tells the user what is wrong with their input."""


class InputError(ValueError):
    """A problem with the user's files or settings, told in one line."""


def one_line(error):
    """An exception's message on one line."""
    return " ".join(str(error).split())
