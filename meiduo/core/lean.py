"""Loading a third-party module without the optional library it would load only because that library is installed.

PyJWT imports `cryptography` for its RSA and EC algorithms and DRF imports `requests` for its test client whenever
they are installed; the shop's web processes use neither that way (tokens are HS256, which needs only hmac), and
the two cost a web process about 12 MB (docs/performance.md, "Memory"). The web entry point (config/wsgi.py)
loads those modules first with the library hidden: a None entry in sys.modules makes its import fail as if it were
not installed (the import system's documented behaviour), and the entry is removed right after, so the code that
does need the library (the payment signatures, the gateways' HTTP client) loads it when it first runs.
"""

import importlib
import sys


def import_without(module: str, hidden: str) -> None:
    """Import `module` with the package `hidden` looking uninstalled; nothing when either is loaded already.

    Call it only while the process starts, before any request thread: an import of `hidden` by another thread
    in the meantime would fail.
    """
    if module in sys.modules or hidden in sys.modules:
        return
    sys.modules[hidden] = None  # type: ignore[assignment]
    try:
        importlib.import_module(module)
    finally:
        del sys.modules[hidden]
