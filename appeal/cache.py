"""Bytes that every run would compute the same way, kept on disk between runs.

A single ``appeal compose`` used to spend most of its time rebuilding things that depend only
on appeal's own data and the installed libraries: the two FiraGO fonts decompressed from
pymupdf-fonts, the DOCX base package built by python-docx, the interface catalogs compiled
from ``.po`` sources in a checkout. The first run stores each result here; later runs read it
back in a millisecond.

A file is named by a hash of everything its content depends on (``key``: library versions,
hashes of the inputs), so a changed input simply makes a new file; each file starts with the
length and CRC-32 of its content, so a truncated or damaged file is rebuilt, never used (a
check, not a seal: whoever can write the folder could write any checksum; CRC-32 reads the
2.5 MB a compose loads in ~3 ms where SHA-256 took ~11 ms). Any problem
writing (read-only home, full disk) only costs speed. The folder is the platform's user cache
folder (``~/.cache/appeal``); ``APPEAL_CACHE`` names another, ``APPEAL_CACHE=off`` turns the
cache off.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable
from pathlib import Path

_MAGIC = b"apc1"  # then the content's length (8 bytes) and CRC-32 (4 bytes), then the content
_HEADER = len(_MAGIC) + 12


def folder() -> Path | None:
    """Where cached files live, or None when caching is off."""
    chosen = os.environ.get("APPEAL_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("appeal", appauthor=False))


def cached(kind: str, key: str, make: Callable[[], bytes]) -> bytes:
    """``make()``, or the bytes an earlier run stored for the same ``kind`` and ``key``."""
    found = read(kind, key)
    if found is not None:
        return found
    data = make()
    store(kind, key, data)
    return data


def _path(kind: str, key: str) -> Path | None:
    root = folder()
    if root is None or not (_private(root) and _private(root / kind)):
        return None
    return root / kind / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + ".bin")


def _private(path: Path) -> bool:
    """Whether a cache folder is the user's own and nobody else can write in it (some cached
    data, such as the validated case, is read back with pickle: only files this user wrote
    may be read). A folder of the user's that others could write in is made private; one
    that is someone else's turns the cache off (only speed is lost). A folder not made yet
    will be made private."""
    if os.name != "posix":
        return True
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if st.st_uid != os.getuid():
        return False
    if st.st_mode & 0o022:
        try:
            os.chmod(path, st.st_mode & ~0o022)
        except OSError:
            return False
    return True


def read(kind: str, key: str) -> bytes | None:
    """The bytes stored for ``kind`` and ``key``, or None (nothing stored, damaged, cache off)."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        stored = path.read_bytes()
    except OSError:
        return None
    content = stored[_HEADER:]
    return content if stored[:_HEADER] == _header(content) else None


def _header(data: bytes) -> bytes:
    return _MAGIC + len(data).to_bytes(8, "little") + zlib.crc32(data).to_bytes(4, "little")


def framed(data: bytes) -> bytes:
    """``data`` as a cache file holds it (for tests that damage a file on purpose)."""
    return _header(data) + data


def store(kind: str, key: str, data: bytes) -> None:
    """Keep ``data`` for ``kind`` and ``key`` (replacing what was there), if caching is on."""
    path = _path(kind, key)
    if path is not None:
        _store(path, data)


def _store(path: Path, data: bytes) -> None:
    """Write atomically (a reader sees the old file, none, or the whole new one); no fsync: a
    file lost in a crash is made again, and a damaged one fails its checksum."""
    import tempfile

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_header(data))
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # only speed is lost


def file_digest(*paths: Path) -> str:
    """A short hash of the files' contents, for a key."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:32]


def package_stamp(name: str) -> str:
    """Which installed copy of a library this is (its ``__init__`` file's path, size and time),
    for a key, without importing it (importing babel or docx costs what the cache saves)."""
    from importlib.util import find_spec

    spec = find_spec(name)
    origin = spec.origin if spec is not None else None
    if not origin:
        return f"{name}:?"
    st = os.stat(origin)
    return f"{origin}:{st.st_size}:{st.st_mtime_ns}"
