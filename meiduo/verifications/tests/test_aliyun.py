"""The Aliyun SMS provider against a local fake of Aliyun's SendSms API that checks the real signature."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from meiduo.verifications.sms import AliyunSmsProvider, SmsSendError, aliyun_signature
from meiduo.verifications.tests.aliyun_fake import KEY_ID, SECRET, FakeAliyun, received
from tests.support import loopback_server


@pytest.fixture
def aliyun(settings):
    received.clear()
    with loopback_server(FakeAliyun) as url:
        settings.SMS_PROVIDER = "aliyun"
        settings.ALIYUN_SMS_ACCESS_KEY_ID = KEY_ID
        settings.ALIYUN_SMS_ACCESS_KEY_SECRET = SECRET
        settings.ALIYUN_SMS_SIGN_NAME = "美多商城"
        settings.ALIYUN_SMS_TEMPLATE_CODE = "SMS_000001"
        settings.ALIYUN_SMS_ENDPOINT = url + "/"
        yield settings


def test_signature_matches_aliyun_documented_example():
    # The worked example of Aliyun's RPC signature documentation (signature version 1.0).
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert aliyun_signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_code_reaches_the_provider_through_the_api(aliyun, api):
    aliyun.SMS_CAPTCHA_REQUIRED = False
    response = api.get("/api/v1/sms_codes/13600136000/")
    assert response.status_code == 200
    [call] = received
    assert call["PhoneNumbers"] == "13600136000"
    assert call["SignName"] == "美多商城"
    assert json.loads(call["TemplateParam"])["code"].isdigit()


def test_wrong_secret_is_refused_by_the_provider(aliyun):
    aliyun.ALIYUN_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(SmsSendError, match="SignatureDoesNotMatch"):
        AliyunSmsProvider().send_code(mobile="13600136000", code="123456", ttl_minutes=5)
    assert received == []


def test_unreachable_provider_is_a_send_error(settings):
    settings.ALIYUN_SMS_ACCESS_KEY_ID = KEY_ID
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = SECRET
    settings.ALIYUN_SMS_SIGN_NAME = "美多商城"
    settings.ALIYUN_SMS_TEMPLATE_CODE = "SMS_000001"
    settings.ALIYUN_SMS_ENDPOINT = "http://127.0.0.1:9/"
    with pytest.raises(SmsSendError):
        AliyunSmsProvider().send_code(mobile="13600136000", code="123456", ttl_minutes=5)


def test_missing_credentials_are_a_configuration_error(settings):
    settings.ALIYUN_SMS_ACCESS_KEY_ID = ""
    with pytest.raises(ImproperlyConfigured):
        AliyunSmsProvider()
