"""Account writes: registration, login, JWT sessions; e-mail verification, passwords, history, favourites."""

import hmac
import logging
import secrets
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from meiduo.core import ratelimit
from meiduo.core.errors import FieldError, NotFoundError, ServiceError
from meiduo.core.securitycache import security_cache
from meiduo.core.tokenauth import SESSION_CLAIM, denied_key
from meiduo.goods.models import SKU
from meiduo.users.models import BrowseHistory, Favorite, User
from meiduo.users.selectors import user_by_account
from meiduo.verifications.services import image_code_check, sms_code_send, sms_code_verify

logger = logging.getLogger("meiduo.users")

LOGIN_FAILED = _("Wrong username or password.")
LOGIN_LOCKED = _("Too many failed logins, please try again later.")
CAPTCHA_REQUIRED = _("Enter the characters in the picture.")


def session_tokens_issue(*, user: User) -> dict[str, str]:
    """Start a session: a new refresh token (recorded, so it can be revoked) and its access token.

    The access token names the refresh token it belongs to (`sid`), so that logging out ends it too.
    """
    refresh = RefreshToken.for_user(user)
    access = refresh.access_token
    access[SESSION_CLAIM] = refresh["jti"]
    update_last_login(User, user)
    return {"token": str(access), "refresh": str(refresh)}


def user_register(*, username: str, password: str, mobile: str, sms_code: str) -> User:
    """Create a shopper after the SMS code proves the mobile; a taken username or mobile is a 400."""
    if User.objects.filter(username=username).exists():
        raise FieldError("username", _("This username is taken."))
    if User.objects.filter(mobile=mobile).exists():
        raise FieldError("mobile", _("This mobile is already registered."))
    sms_code_verify(mobile=mobile, code=sms_code)
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, password=password, mobile=mobile)
    except IntegrityError as exc:  # a concurrent registration won the race for the username or mobile
        field = "mobile" if User.objects.filter(mobile=mobile).exists() else "username"
        message = _("This mobile is already registered.") if field == "mobile" else _("This username is taken.")
        raise FieldError(field, message) from exc


def _login_account_key(account: str) -> str:
    """What the failures are counted under: the user when the account exists, so that guessing by
    username and by mobile draws on one allowance; otherwise the name as typed (case-insensitive)."""
    user = user_by_account(account)
    return f"user:{user.pk}" if user is not None else account.lower()


def _login_attempt_counted(*, key: str, ip: str, captcha: tuple[str, str] | None) -> None:
    """Count this attempt before checking the password, so concurrent guesses cannot slip past the limits.

    Per client: refused (429) past LOGIN_FAILURES_PER_IP failures in the window.
    Per account: from the (LOGIN_FAILURES_BEFORE_CAPTCHA + 1)-th attempt on, a
    fresh image captcha is required (400 `captcha_required`): guessing needs a
    person, but the owner, who can read a captcha, is never locked out. Per
    account and client: from the LOGIN_FAILURES_BEFORE_DELAY-th attempt on,
    one attempt per growing delay (1 s, 2 s, 4 s … up to a minute), which slows
    that client only. An attempt refused for its captcha checked no password
    and is not counted against the account. A successful login clears the
    account's counts and takes its own attempt back from the client's.
    """
    window = settings.LOGIN_FAILURE_WINDOW
    ratelimit.hit(f"login:ip:{ip}", limit=settings.LOGIN_FAILURES_PER_IP, seconds=window, message=LOGIN_LOCKED)
    attempts = ratelimit.hit(f"login:account:{key}", limit=None, seconds=window)
    if attempts > settings.LOGIN_FAILURES_BEFORE_CAPTCHA:
        try:
            if captcha is None:
                raise FieldError("text", CAPTCHA_REQUIRED, code="captcha_required")
            image_code_check(uuid=captcha[0], text=captcha[1])
        except FieldError:
            ratelimit.undo(f"login:account:{key}", seconds=window)
            raise
    extra = ratelimit.hit(f"login:pair:{key}:{ip}", limit=None, seconds=window) - settings.LOGIN_FAILURES_BEFORE_DELAY
    if extra > 0:
        ratelimit.claim(f"login:delay:{key}:{ip}", min(60, 2 ** (extra - 1)), LOGIN_LOCKED)


def user_login(
    *, request: HttpRequest | None, account: str, password: str, ip: str, captcha: tuple[str, str] | None = None
) -> User:
    """The user for a username or mobile and password; one answer for every failure.

    `captcha` is (image_code_id, text) of an image captcha, needed after repeated failures.
    """
    key = _login_account_key(account)
    _login_attempt_counted(key=key, ip=ip, captcha=captcha)
    user = authenticate(request, username=account, password=password)
    if user is None:
        logger.info("failed login for account %r from %s", account, ip)
        raise ServiceError(LOGIN_FAILED)
    window = settings.LOGIN_FAILURE_WINDOW
    ratelimit.reset(f"login:account:{key}", seconds=window)
    ratelimit.reset(f"login:pair:{key}:{ip}", seconds=window)
    ratelimit.release(f"login:delay:{key}:{ip}")
    ratelimit.undo(f"login:ip:{ip}", seconds=window)
    assert isinstance(user, User)  # noqa: S101 - the only backend returns shop users
    return user


def _password_unchanged(token: RefreshToken, user: User) -> bool:
    """False when the password changed after the token was issued (the token carries a hash of it)."""
    if not jwt_settings.CHECK_REVOKE_TOKEN:
        return True
    return bool(token.get(jwt_settings.REVOKE_TOKEN_CLAIM) == get_md5_hash_password(user.password))


def session_refresh(*, refresh: str) -> dict[str, str]:
    """Rotate a refresh token: the old one is blacklisted atomically, so it works exactly once."""
    try:
        old = RefreshToken(refresh)  # type: ignore[arg-type]  # checks signature, expiry, blacklist
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc
    outstanding = OutstandingToken.objects.filter(jti=old["jti"]).first()
    user = User.objects.filter(id=old.get("user_id"), is_active=True).first()
    if outstanding is None or user is None or not _password_unchanged(old, user):
        raise InvalidToken(str(_("Token is invalid.")))
    _token, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    if not created:  # a concurrent refresh with the same token got there first
        raise InvalidToken(str(_("Token is blacklisted.")))
    return session_tokens_issue(user=user)


def session_end(*, refresh: str, access: str | None) -> None:
    """Log out: the refresh token stops working, and so at once do the access tokens issued with it and
    the access token sent with the request (`access`, if valid): their ids go on the deny-list of
    meiduo.core.tokenauth until every access token that may carry them has expired."""
    try:
        token = RefreshToken(refresh)  # type: ignore[arg-type]  # simplejwt types the str as Token
    except TokenError as exc:
        raise InvalidToken(str(exc)) from exc
    token.blacklist()
    lifetime = int(jwt_settings.ACCESS_TOKEN_LIFETIME.total_seconds())
    denied = {denied_key(str(token["jti"])): lifetime}
    if access:
        try:
            sent = AccessToken(access)  # type: ignore[arg-type]
        except TokenError:
            sent = None  # an expired or foreign access token needs no ending
        if sent is not None:
            denied[denied_key(str(sent["jti"]))] = max(1, int(sent["exp"]) - int(timezone.now().timestamp()))
    for key, seconds in denied.items():
        security_cache.set(key, True, timeout=seconds)


# --- User center: e-mail verification, password change and reset, browse history, favourites -------------

EMAIL_VERIFY_SALT = "meiduo.users.email-verify"
RESET_SMS_SALT = "meiduo.users.password-reset.sms"
RESET_PASSWORD_SALT = "meiduo.users.password-reset.new-password"  # noqa: S105 - a salt, not a secret
EMAIL_SEND_INTERVAL = 60
EMAIL_SENDS_PER_DAY = 10
PASSWORD_CHANGES_PER_HOUR = 10
TOKEN_INVALID = _("The link or token is invalid.")
TOKEN_EXPIRED = _("The link or token has expired, please start again.")
NO_SUCH_ACCOUNT = _("No account with this username or mobile.")


def _unsign(token: str, *, salt: str, max_age: int, field: str | None = None) -> dict[str, Any]:
    """The payload of a token signed with this salt and younger than max_age; a 400 otherwise."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise (FieldError(field, TOKEN_EXPIRED) if field else ServiceError(TOKEN_EXPIRED)) from exc
    except signing.BadSignature as exc:
        raise (FieldError(field, TOKEN_INVALID) if field else ServiceError(TOKEN_INVALID)) from exc
    if not isinstance(data, dict):
        raise FieldError(field, TOKEN_INVALID) if field else ServiceError(TOKEN_INVALID)
    return data


def user_email_set(*, user: User, email: str) -> None:
    """Store a new address (unverified) and mail its verification link from the worker.

    One mail per user per EMAIL_SEND_INTERVAL seconds and EMAIL_SENDS_PER_DAY a day (429 beyond),
    so the endpoint cannot be used to flood someone's mailbox. An address already verified is left alone.
    """
    from meiduo.users.tasks import send_verification_email

    if user.email == email and user.email_active:
        return
    ratelimit.claim(f"email:interval:{user.pk}", EMAIL_SEND_INTERVAL, _("A verification mail was just sent."))
    ratelimit.hit(
        f"email:day:{user.pk}",
        limit=EMAIL_SENDS_PER_DAY,
        seconds=24 * 3600,
        message=_("Too many verification mails today."),
    )
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(email=email, email_active=False)
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: send_verification_email.delay(user.pk, email, language))
    user.email, user.email_active = email, False


def email_verification_link(*, user_id: int, email: str) -> str:
    """The storefront link (EMAIL_VERIFY_URL) carrying a token signed for this user and address."""
    token = signing.dumps({"user_id": user_id, "email": email}, salt=EMAIL_VERIFY_SALT)
    separator = "&" if "?" in settings.EMAIL_VERIFY_URL else "?"
    return f"{settings.EMAIL_VERIFY_URL}{separator}{urlencode({'token': token})}"


def email_verification_send(*, user_id: int, email: str, language: str) -> bool:
    """Mail the verification link (run by the worker); False when the user changed the address meanwhile."""
    user = User.objects.filter(pk=user_id, email=email).first()
    if user is None:
        return False
    link = email_verification_link(user_id=user_id, email=email)
    context = {"username": user.username, "link": link, "hours": settings.EMAIL_VERIFY_TTL // 3600}
    with translation.override(language):
        send_mail(
            subject=str(_("Verify your e-mail address for Meiduo Mall")),
            message=render_to_string("users/email_verification.txt", context),
            html_message=render_to_string("users/email_verification.html", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
    logger.info("verification mail for user %s sent to %s", user_id, email)
    return True


def user_email_verify(*, token: str) -> None:
    """Mark the address verified when the token is genuine, younger than EMAIL_VERIFY_TTL and still current."""
    data = _unsign(token, salt=EMAIL_VERIFY_SALT, max_age=settings.EMAIL_VERIFY_TTL)
    if not User.objects.filter(pk=data["user_id"], email=data["email"]).update(email_active=True):
        raise ServiceError(TOKEN_INVALID)


def user_sessions_end_all(*, user: User) -> int:
    """Blacklist every refresh token of the user that can still be used; return how many were ended."""
    live = OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True)
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )
    return len(created)


def _password_replace(*, user: User, password: str) -> None:
    """Store the new password and end every session (refresh tokens blacklisted; access tokens carry
    a hash of the old password, which CHECK_REVOKE_TOKEN now rejects)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        user_sessions_end_all(user=user)


def user_password_change(*, user: User, old_password: str, password: str) -> dict[str, str]:
    """Change the password (the current one is required) and end every session; the caller gets a new one."""
    ratelimit.hit(
        f"password:change:{user.pk}",
        limit=PASSWORD_CHANGES_PER_HOUR,
        seconds=3600,
        message=_("Too many attempts, please try again later."),
    )
    if not user.check_password(old_password):
        raise FieldError("old_password", _("The current password is wrong."))
    _password_replace(user=user, password=password)
    return session_tokens_issue(user=user)


def mobile_masked(mobile: str) -> str:
    """138****0000: enough for the owner to recognise the number, not enough to learn it."""
    return f"{mobile[:3]}****{mobile[-4:]}"


def _account_with_mobile(account: str) -> User:
    """The active user of a username or mobile who has a mobile to receive codes; 404 otherwise."""
    user = user_by_account(account)
    if user is None or not user.mobile or not user.is_active:
        raise NotFoundError(NO_SUCH_ACCOUNT)
    return user


def password_reset_start(*, account: str, image_code_id: str, text: str) -> dict[str, str]:
    """Step 1: the captcha passes → the masked mobile and a token that may only ask for an SMS code."""
    image_code_check(uuid=image_code_id, text=text)
    user = _account_with_mobile(account)
    token = signing.dumps({"user_id": user.pk, "mobile": user.mobile}, salt=RESET_SMS_SALT)
    return {"mobile": mobile_masked(str(user.mobile)), "access_token": token}


def password_reset_sms_send(*, access_token: str, ip: str) -> None:
    """Step 2: send an SMS code to the mobile named by a step-1 token (the registration limits apply)."""
    data = _unsign(access_token, salt=RESET_SMS_SALT, max_age=settings.PASSWORD_RESET_STEP_TTL, field="access_token")
    user = User.objects.filter(pk=data["user_id"], mobile=data["mobile"], is_active=True).first()
    if user is None or not user.mobile:
        raise FieldError("access_token", TOKEN_INVALID)
    sms_code_send(mobile=user.mobile, ip=ip)


def _password_fingerprint(user: User) -> str:
    """Changes whenever the password does, so a reset token dies once it has been used."""
    return salted_hmac(RESET_PASSWORD_SALT, user.password, algorithm="sha256").hexdigest()[:32]


def password_reset_sms_check(*, account: str, sms_code: str) -> dict[str, Any]:
    """Step 3: the SMS code is right → a token that may only set a new password, once."""
    user = _account_with_mobile(account)
    sms_code_verify(mobile=str(user.mobile), code=sms_code)
    payload = {"user_id": user.pk, "fingerprint": _password_fingerprint(user), "nonce": secrets.token_hex(8)}
    return {"user_id": user.pk, "access_token": signing.dumps(payload, salt=RESET_PASSWORD_SALT)}


def password_reset_finish(*, user_id: int, access_token: str, password: str) -> None:
    """Step 4: set the new password with a step-3 token for this user; every session ends."""
    ttl = settings.PASSWORD_RESET_STEP_TTL
    data = _unsign(access_token, salt=RESET_PASSWORD_SALT, max_age=ttl, field="access_token")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or data.get("user_id") != user.pk:
        raise FieldError("access_token", TOKEN_INVALID)
    if not hmac.compare_digest(str(data.get("fingerprint")), _password_fingerprint(user)):
        raise FieldError("access_token", _("This token has already been used."))
    if not security_cache.add(f"password-reset:used:{data.get('nonce')}", 1, ttl):  # concurrent uses: one wins
        raise FieldError("access_token", _("This token has already been used."))
    _password_replace(user=user, password=password)


def browse_history_add(*, user: User, sku_id: int) -> None:
    """Record a visit: the SKU moves to the front (no duplicates) and only the newest few are kept."""
    if not SKU.objects.filter(pk=sku_id, is_launched=True).exists():
        raise FieldError("sku_id", _("This product does not exist or is off sale."))
    now = timezone.now()
    with transaction.atomic():
        if not BrowseHistory.objects.filter(user=user, sku_id=sku_id).update(visit_time=now):
            try:
                with transaction.atomic():
                    BrowseHistory.objects.create(user=user, sku_id=sku_id, visit_time=now)
            except IntegrityError:  # a concurrent visit of the same SKU inserted it first
                BrowseHistory.objects.filter(user=user, sku_id=sku_id).update(visit_time=now)
        newest = BrowseHistory.objects.filter(user=user).order_by("-visit_time", "-id")
        keep = list(newest.values_list("id", flat=True)[: settings.BROWSE_HISTORY_LENGTH])
        BrowseHistory.objects.filter(user=user).exclude(id__in=keep).delete()


def favorite_add(*, user: User, sku_id: int) -> tuple[SKU, bool]:
    """Save a SKU for the user; saving it again changes nothing. Returns the SKU and whether it was new."""
    sku = SKU.objects.filter(pk=sku_id, is_launched=True).first()
    if sku is None:
        raise FieldError("sku_id", _("This product does not exist or is off sale."))
    try:
        with transaction.atomic():
            _favorite, created = Favorite.objects.get_or_create(user=user, sku=sku)
    except IntegrityError:  # a concurrent add of the same SKU won
        created = False
    return sku, created


def favorite_remove(*, user: User, sku_id: int) -> None:
    """Forget a saved SKU; NotFoundError when it was not saved."""
    # sku__id (not sku_id) so that an id beyond the column range is "not found", not a database error
    deleted, _counts = Favorite.objects.filter(user=user, sku__id=sku_id).delete()
    if not deleted:
        raise NotFoundError()
