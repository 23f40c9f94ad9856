"""Background delivery of SMS codes."""

from celery import shared_task
from django.conf import settings

from meiduo.verifications.sms import SmsSendError, sms_provider


@shared_task(
    name="verifications.send_sms_code",
    autoretry_for=(SmsSendError,),
    retry_backoff=5,
    max_retries=3,
    acks_late=True,
)
def send_sms_code(mobile: str, code: str) -> None:
    """Send one verification code through the configured provider, retrying on provider errors."""
    sms_provider().send_code(mobile=mobile, code=code, ttl_minutes=settings.SMS_CODE_TTL // 60)
