"""The error families every layer raises, and the exit code each one means."""


class BreachError(Exception):
    """A problem to report as one line, never a traceback. Exit code 1."""

    exit_code = 1


class BadInput(BreachError, ValueError):
    """The user's input (file, field, id, time, option) is wrong. Exit code 2."""

    exit_code = 2
