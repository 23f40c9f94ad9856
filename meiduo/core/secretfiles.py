"""Secrets generated once into the data folder: private files (0600) created atomically, first writer wins.

The embedded defaults of `make run` need keys nobody else knows (the signing
key, the demo gateway's RSA key) without asking the user for them. Each is
made on first use in MEIDUO_DATA_DIR and kept: the new content is written to a
private temporary file in the same folder and hard-linked into place, and
linking never replaces an existing file, so when two processes start together
one content wins and both read it. Pure Python: the settings import it.
"""

import contextlib
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path


def created_once(path: Path, make: Callable[[], bytes]) -> bytes:
    """The content of the private file at `path`, written first with `make()` when it does not exist."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-", suffix=".tmp")  # mode 0600
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(make())
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_bytes()


def random_key(path: Path) -> str:
    """A random 64-byte URL-safe key kept in the private file at `path` (made on first use)."""
    return created_once(path, lambda: secrets.token_urlsafe(64).encode()).decode().strip()
