"""E-mail address: setting it (unverified), mailing the signed verification link from the worker, verifying it."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meiduo.core import ratelimit
from meiduo.core.errors import ServiceError
from meiduo.core.jobs import job_start
from meiduo.users.models import User
from meiduo.users.services.tokens import TOKEN_INVALID, unsign

logger = logging.getLogger("meiduo.users")

EMAIL_VERIFY_SALT = "meiduo.users.email-verify"
EMAIL_SEND_INTERVAL = 60
EMAIL_SENDS_PER_DAY = 10


def user_email_set(*, user: User, email: str) -> None:
    """Store a new address (unverified) and mail its verification link from the worker.

    One mail per user per EMAIL_SEND_INTERVAL seconds and EMAIL_SENDS_PER_DAY a day (429 beyond),
    so the endpoint cannot be used to flood someone's mailbox. An address already verified is left alone.
    """
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
        kwargs = {"user_id": user.pk, "email": email, "language": language}
        transaction.on_commit(lambda: job_start("users.send_verification_email", kwargs=kwargs))
    user.email, user.email_active = email, False


def signed_link(*, base_url: str, salt: str, user_id: int, email: str) -> str:
    """A storefront link (`base_url`) carrying a token signed with `salt` for this user and address."""
    token = signing.dumps({"user_id": user_id, "email": email}, salt=salt)
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}{urlencode({'token': token})}"


def link_mail_send(
    *, user: User, email: str, language: str, subject: Promise, template: str, link: str, hours: int
) -> None:
    """Mail a link to the address in the user's language: `template`.txt and .html, given username, link and hours."""
    context = {"username": user.username, "link": link, "hours": hours}
    with translation.override(language):
        send_mail(
            subject=str(subject),
            message=render_to_string(f"{template}.txt", context),
            html_message=render_to_string(f"{template}.html", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )


def email_verification_send(*, user_id: int, email: str, language: str) -> bool:
    """Mail the verification link (run by the worker); False when the user changed the address meanwhile."""
    user = User.objects.filter(pk=user_id, email=email).first()
    if user is None:
        return False
    link_mail_send(
        user=user,
        email=email,
        language=language,
        subject=_("Verify your e-mail address for Meiduo Mall"),
        template="users/email_verification",
        link=signed_link(base_url=settings.EMAIL_VERIFY_URL, salt=EMAIL_VERIFY_SALT, user_id=user_id, email=email),
        hours=settings.EMAIL_VERIFY_TTL // 3600,
    )
    logger.info("verification mail for user %s sent to %s", user_id, email)
    return True


def user_email_verify(*, token: str) -> None:
    """Mark the address verified when the token is genuine, younger than EMAIL_VERIFY_TTL and still current."""
    data = unsign(token, salt=EMAIL_VERIFY_SALT, max_age=settings.EMAIL_VERIFY_TTL)
    if not User.objects.filter(pk=data["user_id"], email=data["email"]).update(email_active=True):
        raise ServiceError(TOKEN_INVALID)
