"""Reading the files we own from a folder that may also hold strangers: only a regular file (a
link followed) is read; a folder, FIFO or device is refused at once, never waited on (a FIFO is
opened non-blocking), and a dangling link counts as a missing file."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any real table; a bigger file is not ours
RACY_NS = 3 * 10**9  # a change this close to a hash may share its timestamps: hash again
_DIGESTS: dict[str, tuple[tuple, int, str]] = {}  # path → (stat key, hashed at, digest)


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
    """What a cache key needs to know about one file: its state, size, mtime and content hash.
    The hash is kept while inode, size, mtime and ctime are unchanged and the last change was
    over `RACY_NS` before it (git's “racy” rule), so a page load reads no unchanged file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return (path.name, "missing")
    except OSError as err:
        return (path.name, "error", err.errno)
    if not stat.S_ISREG(info.st_mode):
        return (path.name, "not_a_file", stat.S_IFMT(info.st_mode))
    key = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    known = _DIGESTS.get(str(path))
    if known and known[0] == key and max(info.st_mtime_ns, info.st_ctime_ns) < known[1] - RACY_NS:
        return (path.name, info.st_size, info.st_mtime_ns, known[2])
    hashed_at = time.time_ns()
    try:
        digest = hashlib.blake2b(read_regular(path), digest_size=16).hexdigest()
    except OSError as err:
        return (path.name, "error", type(err).__name__, info.st_mtime_ns)
    if len(_DIGESTS) > 4096:  # only our own file names are marked; tests make many folders
        _DIGESTS.clear()
    _DIGESTS[str(path)] = (key, hashed_at, digest)
    return (path.name, info.st_size, info.st_mtime_ns, digest)
