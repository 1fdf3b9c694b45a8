"""Writing the files breach hands out (exports, notices, reports): they hold personal data;
and reading the text files a responder gives it.

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


class FileReadError(BadInput):
    """The file cannot be read as text (one line: which file and why)."""


#: the largest text file read (a notice, facts, a delivery log of 100,000 lines)
READ_LIMIT = 4 << 20


def read_user_text(path: str | Path, data: bytes | None = None) -> str:
    """The UTF-8 text (a BOM dropped) of the file ``path`` (or of ``data`` read from it
    elsewhere, such as standard input); a missing, binary, oversized or non-UTF-8 file is
    bad input, said in one line naming it."""
    if data is None:
        try:
            with open(path, "rb") as fp:
                data = fp.read(READ_LIMIT + 1)
        except FileNotFoundError:
            raise FileReadError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise FileReadError(f"{path}: is a folder, not a file") from None
        except OSError as err:
            raise FileReadError(f"{path}: cannot read ({err.strerror or err})") from None
    if len(data) > READ_LIMIT:
        raise FileReadError(f"{path}: more than {READ_LIMIT >> 20} MB; nothing was read")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileReadError(
            f"{path}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise FileReadError(f"{path}: holds NUL bytes: not a text file")
    return text


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
