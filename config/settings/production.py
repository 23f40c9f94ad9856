"""Production settings: the base settings hardened; refuses to start on an unsafe configuration."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.env import env
from config.settings.base import *  # noqa: F403
from config.settings.base import DEBUG, INSTALLED_APPS

UNSAFE_SECRET_KEYS = {"", "insecure-development-key-change-me", "change-me"}


def _weak(key: str) -> bool:
    """A key anyone could guess: a known placeholder, shorter than 50 characters, or of too few distinct ones."""
    return key in UNSAFE_SECRET_KEYS or len(key) < 50 or len(set(key)) < 5


if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
# From the environment only: the per-data-folder key of the embedded default is for one laptop, not a fleet.
if _weak(os.environ.get("SECRET_KEY", "")):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters.")
if "JWT_SIGNING_KEY" in os.environ and _weak(os.environ["JWT_SIGNING_KEY"]):
    raise ImproperlyConfigured(
        "JWT_SIGNING_KEY must be a random value of at least 50 characters "
        "(or unset: tokens are then signed with SECRET_KEY)."
    )
if not os.environ.get("PAYMENT_GATEWAY"):
    # The embedded default is the demo gateway, where paying costs nothing: production must choose on purpose.
    raise ImproperlyConfigured(
        "Set PAYMENT_GATEWAY in production: alipay (or demo, only for a shop that takes no money)."
    )

# Demo data loaders and fake providers are not part of a production shop (`manage.py load_demo` is not there),
# except the demo gateway's app for a shop that chose PAYMENT_GATEWAY=demo on purpose (it takes no money).
if os.environ.get("PAYMENT_GATEWAY") != "demo":
    INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "meiduo.demo"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CART_COOKIE_SECURE = env.bool("CART_COOKIE_SECURE", True)  # the guest cart cookie travels over HTTPS only
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
