"""Writing the files breach hands out (exports, notices, reports): they hold personal data.

Each is created readable by you only (0600) and written atomically: into a temporary file
beside the target, flushed to disk, then renamed over it, so a reader never sees half a
file and a failure leaves the old one. A target that exists and is not a regular file
(``/dev/stdout``, a FIFO, a device) is written in place: renaming would replace it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import BadInput


class FileWriteError(BadInput):
    """The file cannot be written (one line: which file and why)."""


@contextmanager
def private_file(path: str | Path) -> Iterator[BinaryIO]:
    """A binary stream that becomes ``path`` (0600) when the ``with`` block completes."""
    target = Path(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise FileWriteError(f"{target}: cannot write ({err.strerror})") from None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise FileWriteError(f"{target}: is a folder; give a file name")
        with _failing_as_one_line(target), open(target, "wb") as out:
            yield out
        return
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with _failing_as_one_line(target):
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with _failing_as_one_line(target):
            with os.fdopen(fd, "wb") as out:
                yield out
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_private_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` as :func:`private_file` does."""
    with private_file(path) as out:
        out.write(text.encode("utf-8"))


@contextmanager
def _failing_as_one_line(target: Path) -> Iterator[None]:
    try:
        yield
    except OSError as err:
        raise FileWriteError(f"{target}: cannot write ({err.strerror or err})") from None
