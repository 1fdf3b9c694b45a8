"""Errors of the notices layer (bad input: exit 2, one line)."""

from ..errors import BadInput


class NoticeError(BadInput):
    """A notice or report cannot be produced as asked (unknown kind, duty, template...)."""
