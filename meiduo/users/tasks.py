"""Background jobs of accounts: mailing the e-mail verification link and the activation link."""

from smtplib import SMTPException

from celery import shared_task

from meiduo.users.services.activation import activation_mail_send
from meiduo.users.services.email import email_verification_send


@shared_task(
    name="users.send_verification_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=10,
    max_retries=5,
    acks_late=True,
)
def send_verification_email(user_id: int, email: str, language: str = "zh-hans") -> None:
    """Mail the signed verification link to the address the user gave, retrying while the mail server fails."""
    email_verification_send(user_id=user_id, email=email, language=language)


@shared_task(
    name="users.send_activation_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=10,
    max_retries=5,
    acks_late=True,
)
def send_activation_email(user_id: int, email: str, language: str = "zh-hans") -> None:
    """Mail the signed activation link of an account registered by e-mail, retrying while the mail server fails."""
    activation_mail_send(user_id=user_id, email=email, language=language)
