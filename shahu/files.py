"""Reading the files we own from a folder that may also hold strangers.

Only a regular file (a link is followed) is read: a folder, a FIFO or a device with a table's
name is refused at once, never waited on, and a dangling link counts as a missing file. A FIFO is
opened non-blocking, so even one swapped in between the check and the read cannot hang a page.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any real table; a bigger file is not ours


class NotAFile(OSError):
    """The name exists but is not a regular file (a folder, a FIFO, a device)."""


class TooLarge(OSError):
    """A regular file larger than `MAX_FILE_BYTES`."""


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; FileNotFoundError (also a dangling link), NotAFile, TooLarge or OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(path)
        if info.st_size > limit:
            raise TooLarge(path)
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TooLarge(path)
    return data


def read_or_none(path: Path) -> bytes | None:
    """The file's bytes, or None when there is no readable regular file of that name."""
    try:
        return read_regular(path)
    except OSError:
        return None


def mark(path: Path) -> tuple:
    """What a cache key needs to know about one file: its state, size, mtime and content hash."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return (path.name, "missing")
    except OSError as err:
        return (path.name, "error", err.errno)
    if not stat.S_ISREG(info.st_mode):
        return (path.name, "not_a_file", stat.S_IFMT(info.st_mode))
    try:
        digest = hashlib.blake2b(read_regular(path), digest_size=16).hexdigest()
    except OSError as err:
        return (path.name, "error", type(err).__name__, info.st_mtime_ns)
    return (path.name, info.st_size, info.st_mtime_ns, digest)
