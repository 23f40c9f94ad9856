"""SMS providers behind one small interface, chosen by the SMS_PROVIDER setting.

`console` (default) writes the code to the log so a developer can register;
`aliyun` calls Aliyun's SMS API (SendSms) with its real RPC request signature
(HMAC-SHA1 over the canonicalised query, signature version 1.0).
"""

import base64
import hashlib
import hmac
import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("meiduo.sms")


class SmsSendError(Exception):
    """The provider did not accept the message."""


class SmsProvider(Protocol):
    """What every SMS provider offers: send one verification code to one mobile."""

    def send_code(self, *, mobile: str, code: str, ttl_minutes: int) -> None:
        """Deliver the code or raise SmsSendError."""


class ConsoleSmsProvider:
    """Development provider: one INFO log line naming the mobile and the code."""

    def send_code(self, *, mobile: str, code: str, ttl_minutes: int) -> None:
        logger.info("SMS code for %s: %s (valid %d minutes)", mobile, code, ttl_minutes)


def percent_encode(value: str) -> str:
    """Aliyun POP percent-encoding: RFC 3986 (space → %20, * → %2A, ~ kept)."""
    return quote(value, safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """The Signature parameter of an Aliyun RPC request (signature version 1.0, HMAC-SHA1)."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsProvider:
    """Aliyun Dysms `SendSms` over HTTPS with the account's AccessKey."""

    def __init__(self) -> None:
        self.key_id = settings.ALIYUN_SMS_ACCESS_KEY_ID
        self.secret = settings.ALIYUN_SMS_ACCESS_KEY_SECRET
        self.sign_name = settings.ALIYUN_SMS_SIGN_NAME
        self.template = settings.ALIYUN_SMS_TEMPLATE_CODE
        self.endpoint = settings.ALIYUN_SMS_ENDPOINT
        if not all([self.key_id, self.secret, self.sign_name, self.template]):
            raise ImproperlyConfigured(
                "SMS_PROVIDER=aliyun needs ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET, "
                "ALIYUN_SMS_SIGN_NAME and ALIYUN_SMS_TEMPLATE_CODE."
            )

    def signed_params(self, *, mobile: str, code: str) -> dict[str, str]:
        """The complete, signed query of a SendSms request."""
        params = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": mobile,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template,
            "TemplateParam": json.dumps({"code": code}, separators=(",", ":")),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = aliyun_signature(params, self.secret)
        return params

    def send_code(self, *, mobile: str, code: str, ttl_minutes: int) -> None:
        try:
            response = requests.get(self.endpoint, params=self.signed_params(mobile=mobile, code=code), timeout=5)
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise SmsSendError(f"aliyun: no usable answer: {exc}") from exc
        if answer.get("Code") != "OK":
            raise SmsSendError(f"aliyun: {answer.get('Code')}: {answer.get('Message')}")
        logger.info("SMS code sent to %s through aliyun (BizId %s)", mobile, answer.get("BizId"))


PROVIDERS: dict[str, type[SmsProvider]] = {"console": ConsoleSmsProvider, "aliyun": AliyunSmsProvider}


def sms_provider() -> SmsProvider:
    """The provider named by SMS_PROVIDER."""
    try:
        return PROVIDERS[settings.SMS_PROVIDER]()
    except KeyError as exc:
        raise ImproperlyConfigured(
            f"Unknown SMS_PROVIDER {settings.SMS_PROVIDER!r}; use one of {sorted(PROVIDERS)}"
        ) from exc
