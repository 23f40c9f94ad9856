"""Small typed readers for settings that come from environment variables."""

import os
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the variable as a string, or the default when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return the variable read as a boolean (1/true/yes/on, 0/false/no/off)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{name} must be a boolean, got {raw!r}")


def env_int(name: str, default: int) -> int:
    """Return the variable as an integer, or the default when it is unset."""
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else int(raw)


def env_list(name: str, default: list[Any] | None = None) -> list[str]:
    """Return a comma-separated variable as a list of stripped, non-empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def redis_next_database(url: str, *, avoid: str = "") -> str:
    """The same Redis server's next database, skipping `avoid`: `redis://h:6379/0` → `redis://h:6379/1`.

    No number means database 0; `unix://` sockets carry it as `?db=`.
    """
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        query["db"] = str(int(query.get("db", 0)) + 1)
        following = f"unix://{parts.netloc}{parts.path}?{urlencode(query)}"
    else:
        following = urlunsplit(parts._replace(path=f"/{int(parts.path.strip('/') or 0) + 1}"))
    return redis_next_database(following, avoid=avoid) if following == avoid else following
