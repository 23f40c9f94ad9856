"""Image captchas and SMS codes: creation, checking and the limits around sending.

An SMS code has a purpose (`SmsPurpose`) bound into its stored hash: a code sent to prove a mobile
(registration, binding, password reset) cannot sign in, and a login code proves nothing else. A mobile has one
live code at a time, whatever its purpose, and one set of sending limits and tries.

Everything lives in the security cache (meiduo.core.securitycache: Redis in production, a disk cache
embedded) and relies only on its atomic operations, so the rules hold across
processes and hosts: a captcha answer or an SMS code is consumed by whoever
deletes it first, a mobile gets one send per interval however many requests
race for it.
"""

import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meiduo.core import ratelimit
from meiduo.core.errors import FieldError, ServiceUnavailable
from meiduo.core.jobs import job_start
from meiduo.core.securitycache import security_cache

logger = logging.getLogger("meiduo.verifications")

CAPTCHA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read
CAPTCHA_LENGTH = 4
DAY = 24 * 3600


class SmsPurpose(StrEnum):
    """What an SMS code may be used for; a code of one purpose is a wrong code for the other."""

    VERIFY = "verify"  # proves the mobile: registration, third-party binding, password reset
    LOGIN = "login"  # signs the mobile's account in (users' SMS login)


class SmsTriesExhausted(FieldError):
    """The mobile's code took SMS_CODE_MAX_TRIES tries: it is burned, a new one must be asked for."""

    def __init__(self) -> None:
        super().__init__("sms_code", _("Too many wrong codes, please request a new one."))


def _digest(*parts: str) -> str:
    """A keyed hash, so the cache never holds a usable answer or code."""
    message = ":".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _consume(key: str) -> object | None:
    """Read a one-use value and delete it; None unless this caller is the one that deleted it."""
    value = security_cache.get(key)
    if value is None or not security_cache.delete(key):
        return None
    return value


def image_code_create(*, uuid: str) -> bytes:
    """A new captcha for this uuid (replacing any earlier one) as PNG bytes."""
    text = "".join(secrets.choice(CAPTCHA_ALPHABET) for _ in range(CAPTCHA_LENGTH))
    security_cache.set(f"captcha:{uuid}", _digest("captcha", uuid, text), settings.IMAGE_CODE_TTL)
    # Dark, opaque letters on the library's light background: hard for bots, readable for people. The library
    # pastes each letter through a mask made from its brightness, so dark ink would come out faint: its mask
    # table is made steep enough that any letter pixel is fully opaque.
    from captcha.image import ImageCaptcha  # Pillow and the fonts load with the first captcha, not every process

    red, green, blue = (secrets.randbelow(70) + 40 for _ in range(3))
    captcha = ImageCaptcha(width=150, height=55, font_sizes=(40, 44, 48))
    captcha.lookup_table = [min(255, level * 8) for level in range(256)]
    return captcha.generate(text, format="png", fg_color=(red, green, blue, 255)).getvalue()


def image_code_check(*, uuid: str, text: str) -> None:
    """Check a captcha answer (case-insensitive). Any check consumes the captcha."""
    stored = _consume(f"captcha:{uuid}")
    if stored is None:
        raise FieldError("text", _("The image code has expired, please refresh it."))
    if not hmac.compare_digest(str(stored), _digest("captcha", uuid, text.strip().upper())):
        raise FieldError("text", _("The image code is wrong."))


@contextmanager
def _send_limited(*, mobile: str, ip: str) -> Iterator[None]:
    """Count one send against the limits, then run the block that sends; if it fails, give the interval back.

    One send per mobile per SMS_SEND_INTERVAL seconds (429 with Retry-After),
    and daily caps per mobile and per client IP.
    """
    interval_key = f"sms:interval:{mobile}"
    ratelimit.claim(interval_key, settings.SMS_SEND_INTERVAL, _("SMS codes are sent at most once a minute."))
    try:
        ratelimit.hit(
            f"sms:day:mobile:{mobile}",
            limit=settings.SMS_DAILY_LIMIT_PER_MOBILE,
            seconds=DAY,
            message=_("Too many SMS codes for this mobile today."),
        )
        ratelimit.hit(
            f"sms:day:ip:{ip}",
            limit=settings.SMS_DAILY_LIMIT_PER_IP,
            seconds=DAY,
            message=_("Too many SMS codes from this network today."),
        )
        yield
    except Exception:
        # Nothing was sent (limit hit, cache or broker down): the mobile may ask again at once.
        ratelimit.release(interval_key)
        raise


def sms_code_send(*, mobile: str, ip: str, purpose: SmsPurpose = SmsPurpose.VERIFY) -> None:
    """Create a code of this purpose for the mobile (replacing its earlier one) and send it in the background,
    within the sending limits of `_send_limited`."""
    with _send_limited(mobile=mobile, ip=ip):
        code = f"{secrets.randbelow(10**6):06d}"
        security_cache.set(f"sms:code:{mobile}", _digest("sms", purpose, mobile, code), settings.SMS_CODE_TTL)
        security_cache.delete(f"sms:tries:{mobile}")
        if not job_start("verifications.send_sms_code", kwargs={"mobile": mobile, "code": code}):
            raise ServiceUnavailable()  # the broker refused the job: nothing will be sent


def sms_code_withhold(*, mobile: str, ip: str) -> None:
    """What `sms_code_send` does that a client can see, without a code: the limits are counted and the mobile's
    earlier code and tries are forgotten, but no code exists and nothing is sent.

    For a request that must be answered exactly like a real send without sending (a login code asked for a
    mobile that has no account), so neither the answer nor the later tries tell the two apart.
    """
    with _send_limited(mobile=mobile, ip=ip):
        security_cache.delete(f"sms:code:{mobile}")
        security_cache.delete(f"sms:tries:{mobile}")


def sms_code_verify(*, mobile: str, code: str, purpose: SmsPurpose = SmsPurpose.VERIFY) -> None:
    """Accept the mobile's current code, sent for this purpose, once; after SMS_CODE_MAX_TRIES tries it is burned.

    Every try is counted (atomically) before the code is compared, so however
    many guesses arrive at once, at most SMS_CODE_MAX_TRIES of them are ever
    compared; the right code is consumed by the first try that deletes it.
    """
    code_key, tries_key = f"sms:code:{mobile}", f"sms:tries:{mobile}"
    security_cache.add(tries_key, 0, settings.SMS_CODE_TTL)
    try:
        tries = int(security_cache.incr(tries_key))
    except ValueError:  # expired between add and incr
        tries = 1
    if tries > settings.SMS_CODE_MAX_TRIES:
        raise SmsTriesExhausted()
    stored = security_cache.get(code_key)
    if stored is None:
        raise FieldError("sms_code", _("The SMS code has expired or was never sent."))
    if not hmac.compare_digest(str(stored), _digest("sms", purpose, mobile, code.strip())):
        raise FieldError("sms_code", _("The SMS code is wrong."))
    if _consume(code_key) is None:
        raise FieldError("sms_code", _("The SMS code has already been used."))
