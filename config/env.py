"""The settings' reader of environment variables: django-environ, with the shop's documented rules kept.

`env.str/int/bool/list(...)` read a variable; `env.db_url_config` and `env.email_url_config` read
DATABASE_URL and EMAIL_URL. Kept from before django-environ: a value is taken literally (a password
or key starting with `$` is not another variable's name), a boolean is one of 1/true/yes/on or
0/false/no/off (anything else is refused), an empty integer is its default, list items are stripped,
and EMAIL_URL keeps its schemes (console:, file://, memory:, dummy:, submission://) and options
(?tls=1, ?ssl=1, ?timeout=N).
"""

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
EMAIL_OPTION_TRUE = TRUE_WORDS | {"y", "t"}  # ?tls= / ?ssl= values that switch the option on, as dj-email-url read them
SMTP = "django.core.mail.backends.smtp.EmailBackend"


class Env(environ.Env):
    """django-environ's reader with the rules above."""

    EMAIL_SCHEMES = {
        **environ.Env.EMAIL_SCHEMES,
        "console": "django.core.mail.backends.console.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "memory": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "submission": SMTP,
    }

    def get_value(
        self, var: str, cast: Any = None, default: Any = environ.Env.NOTSET, parse_default: bool = False
    ) -> Any:
        """The variable cast, or the default when it is unset (or an empty integer); never a `$` reference."""
        raw = self.ENVIRON.get(var)
        if raw is None:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        if cast is int and not raw.strip() and default is not self.NOTSET:
            return default
        if cast is bool and raw.strip().lower() not in TRUE_WORDS | FALSE_WORDS:
            raise ValueError(f"{var} must be a boolean (1/true/yes/on or 0/false/no/off), got {raw!r}")
        return self.parse_value(raw, cast)

    @classmethod
    def parse_value(cls, value: Any, cast: Any) -> Any:
        """Strict booleans and stripped list items; everything else as django-environ casts it."""
        if cast is bool and isinstance(value, str):
            return value.strip().lower() in TRUE_WORDS
        if cast is list and isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return super().parse_value(value, cast)

    @classmethod
    def email_url_config(cls, url: Any, backend: Any = None) -> dict[str, Any]:
        """Django's mail settings from EMAIL_URL; ImproperlyConfigured for an unknown scheme."""
        scheme = urlsplit(str(url)).scheme
        if scheme not in cls.EMAIL_SCHEMES:
            raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {scheme!r}")
        config: dict[str, Any] = super().email_url_config(url, backend)
        options = {key.upper(): str(value) for key, value in config.pop("OPTIONS", {}).items()}
        use_ssl = options.get("SSL", "").lower() in EMAIL_OPTION_TRUE or bool(config.get("EMAIL_USE_SSL"))
        use_tls = options.get("TLS", "").lower() in EMAIL_OPTION_TRUE or bool(config.get("EMAIL_USE_TLS"))
        use_tls = use_tls or scheme == "submission"
        config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"] = use_ssl, use_tls and not use_ssl
        config["EMAIL_TIMEOUT"] = int(options.get("TIMEOUT") or 10)
        config["EMAIL_HOST"] = config["EMAIL_HOST"] or "localhost"
        config["EMAIL_PORT"] = config["EMAIL_PORT"] or (587 if scheme == "submission" else 25)
        config["EMAIL_HOST_USER"] = config["EMAIL_HOST_USER"] or ""
        config["EMAIL_HOST_PASSWORD"] = config["EMAIL_HOST_PASSWORD"] or ""
        config["EMAIL_FILE_PATH"] = "/" + config["EMAIL_FILE_PATH"] if config["EMAIL_FILE_PATH"] else ""
        return config


env = Env()


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
