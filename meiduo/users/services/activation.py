"""Registration by e-mail: the inactive account, the signed single-use activation link mailed from the worker,
sending it again, and activating.

For shoppers without a mainland mobile. The account is created inactive and `activation_pending`; the link
(ACCOUNT_ACTIVATION_URL?token=…, signed for the user and the address, ACCOUNT_ACTIVATION_TTL old at most)
activates it once: the activation is one conditional UPDATE, so of two concurrent uses one wins. Every mail
(registration or resend) counts against the address (one a minute, EMAIL_SENDS_PER_DAY a day) and the client
(ACTIVATION_MAILS_PER_IP_PER_DAY), atomic cache counters like the other limits, so neither endpoint can flood
a mailbox. Asking to send the link again answers the same whether or not the address has a pending account.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from meiduo.core import ratelimit
from meiduo.core.errors import FieldError, ServiceUnavailable
from meiduo.core.jobs import job_start
from meiduo.users.models import User
from meiduo.users.services.email import EMAIL_SEND_INTERVAL, EMAIL_SENDS_PER_DAY, link_mail_send, signed_link
from meiduo.users.services.tokens import TOKEN_INVALID, unsign

logger = logging.getLogger("meiduo.users")

ACTIVATION_SALT = "meiduo.users.activation"
ACTIVATION_MAILS_PER_IP_PER_DAY = 50
USERNAME_TAKEN = _("This username is taken.")
EMAIL_TAKEN = _("This e-mail address is already used by an account.")
LINK_USED = _("This activation link has already been used, or its account no longer waits for one.")


@contextmanager
def _activation_mail_counted(*, email: str, ip: str) -> Iterator[None]:
    """Count one activation mail to the address from the client; if the block fails, the minute is given back."""
    interval_key = f"activation:interval:{email.lower()}"
    ratelimit.claim(interval_key, EMAIL_SEND_INTERVAL, _("An activation mail was just sent to this address."))
    try:
        ratelimit.hit(
            f"activation:day:{email.lower()}",
            limit=EMAIL_SENDS_PER_DAY,
            seconds=24 * 3600,
            message=_("Too many activation mails to this address today."),
        )
        ratelimit.hit(
            f"activation:day:ip:{ip}",
            limit=ACTIVATION_MAILS_PER_IP_PER_DAY,
            seconds=24 * 3600,
            message=_("Too many activation mails from this network today."),
        )
        yield
    except Exception:
        ratelimit.release(interval_key)
        raise


def _activation_mail_job(*, user_id: int, email: str) -> bool:
    """Start the worker's job that mails the link; False when the broker refused it."""
    kwargs = {"user_id": user_id, "email": email, "language": translation.get_language() or settings.LANGUAGE_CODE}
    return job_start("users.send_activation_email", kwargs=kwargs)


def user_register_by_email(*, username: str, email: str, password: str, ip: str) -> User:
    """Create an inactive account waiting for its activation link, and mail the link from the worker.

    A taken username, or an address some account has verified, is a 400 (and counts no mail).
    """
    if User.objects.filter(username=username).exists():
        raise FieldError("username", USERNAME_TAKEN)
    if User.objects.filter(email__iexact=email, email_active=True).exists():
        raise FieldError("email", EMAIL_TAKEN)
    with _activation_mail_counted(email=email, ip=ip):
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username, email=email, password=password, is_active=False, activation_pending=True
                )
                # After commit, so that the worker finds the account. A broker outage is logged by job_start;
                # the account stays and the shopper can have the link sent again.
                transaction.on_commit(lambda: _activation_mail_job(user_id=user.pk, email=email))
        except IntegrityError as exc:  # a concurrent registration took the username
            raise FieldError("username", USERNAME_TAKEN) from exc
    return user


def activation_mail_resend(*, email: str, ip: str) -> None:
    """Mail the link again to every account of this address still waiting for one; the same limits and the same
    (silent) outcome for an address without such an account. 503 (and the minute given back) when the broker
    refuses the job."""
    with _activation_mail_counted(email=email, ip=ip):
        pending = User.objects.filter(email__iexact=email, activation_pending=True).values_list("pk", "email")
        for user_id, address in pending:
            if not _activation_mail_job(user_id=user_id, email=address):
                raise ServiceUnavailable()


def activation_mail_send(*, user_id: int, email: str, language: str) -> bool:
    """Mail the activation link (run by the worker); False when the account no longer waits for one."""
    user = User.objects.filter(pk=user_id, email=email, activation_pending=True).first()
    if user is None:
        return False
    link_mail_send(
        user=user,
        email=email,
        language=language,
        subject=_("Activate your Meiduo Mall account"),
        template="users/account_activation",
        link=signed_link(base_url=settings.ACCOUNT_ACTIVATION_URL, salt=ACTIVATION_SALT, user_id=user_id, email=email),
        hours=settings.ACCOUNT_ACTIVATION_TTL // 3600,
    )
    logger.info("activation mail for user %s sent to %s", user_id, email)
    return True


def user_activate(*, token: str) -> User:
    """Activate the account of a genuine link younger than ACCOUNT_ACTIVATION_TTL, once.

    The address must not have been verified by another account meanwhile (registration refuses such an
    address; two pending accounts of one address: the first activated keeps it).
    """
    data = unsign(token, salt=ACTIVATION_SALT, max_age=settings.ACCOUNT_ACTIVATION_TTL, field="token")
    user_id, email = data.get("user_id"), data.get("email")
    if not isinstance(user_id, int) or not isinstance(email, str):
        raise FieldError("token", TOKEN_INVALID)
    with transaction.atomic():
        if User.objects.filter(email__iexact=email, email_active=True).exclude(pk=user_id).exists():
            raise FieldError("token", EMAIL_TAKEN)
        activated = User.objects.filter(pk=user_id, email=email, activation_pending=True).update(
            is_active=True, email_active=True, activation_pending=False
        )
    if not activated:
        raise FieldError("token", LINK_USED)
    return User.objects.get(pk=user_id)
