"""Image captcha and SMS code endpoints: answers, one-use captchas, sending limits under concurrency."""

import uuid

import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from meiduo.core.securitycache import security_cache
from meiduo.verifications import services
from tests.support import error_fields, run_together

MOBILE = "13800138000"


def captcha(api: APIClient) -> tuple[str, str]:
    """Fetch a captcha image and learn its answer the way a test can: by drawing a known one."""
    image_id = str(uuid.uuid4())
    response = api.get(f"/api/v1/image_codes/{image_id}/")
    assert response.status_code == 200
    # The answer is only stored hashed; overwrite it with a known one through the service's own hashing.
    security_cache.set(f"captcha:{image_id}", services._digest("captcha", image_id, "AB12"), 300)
    return image_id, "AB12"


def test_image_code_is_a_png_that_is_not_cached(api):
    response = api.get(f"/api/v1/image_codes/{uuid.uuid4()}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"\x89PNG")


def test_image_codes_are_rate_limited_per_client(api, settings):
    settings.IMAGE_CODES_PER_MINUTE_PER_IP = 3
    with freeze_time("2026-11-21 10:00:05+08:00", tick=True):  # all inside one one-minute window
        statuses = [api.get(f"/api/v1/image_codes/{uuid.uuid4()}/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api.get(f"/api/v1/image_codes/{uuid.uuid4()}/", REMOTE_ADDR="10.0.0.8").status_code == 200


def test_image_code_with_a_malformed_uuid_is_a_json_404(api):
    response = api.get("/api/v1/image_codes/not-a-uuid/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_sms_code_with_right_captcha_is_sent(api, sms_outbox):
    image_id, text = captcha(api)
    response = api.get(f"/api/v1/sms_codes/{MOBILE}/", {"image_code_id": image_id, "text": text.lower()})
    assert response.status_code == 200
    assert response.json() == {"message": "OK"}
    [code] = sms_outbox(MOBILE)
    assert len(code) == 6 and code.isdigit()
    # Stored hashed: the cache does not hold the code itself.
    assert security_cache.get(f"sms:code:{MOBILE}") != code


def test_wrong_captcha_is_400_and_consumes_it(api, sms_outbox):
    image_id, text = captcha(api)
    wrong = api.get(f"/api/v1/sms_codes/{MOBILE}/", {"image_code_id": image_id, "text": "ZZZZ"})
    assert wrong.status_code == 400
    assert "text" in wrong.json()
    again = api.get(f"/api/v1/sms_codes/{MOBILE}/", {"image_code_id": image_id, "text": text})
    assert again.status_code == 400
    assert sms_outbox(MOBILE) == []


def test_captcha_answer_is_single_use(api, sms_outbox):
    image_id, text = captcha(api)
    assert api.get(f"/api/v1/sms_codes/{MOBILE}/", {"image_code_id": image_id, "text": text}).status_code == 200
    other = api.get("/api/v1/sms_codes/13900139000/", {"image_code_id": image_id, "text": text})
    assert other.status_code == 400
    assert sms_outbox("13900139000") == []


def test_captcha_is_required_by_default(api, sms_outbox):
    response = api.get(f"/api/v1/sms_codes/{MOBILE}/")
    assert response.status_code == 400
    assert set(error_fields(response.json())) == {"image_code_id", "text"}
    assert sms_outbox(MOBILE) == []


def test_captcha_optional_when_configured(api, sms_outbox, settings):
    settings.SMS_CAPTCHA_REQUIRED = False
    assert api.get(f"/api/v1/sms_codes/{MOBILE}/").status_code == 200
    assert len(sms_outbox(MOBILE)) == 1


@pytest.mark.parametrize(
    "mobile",
    [
        "12800138000",
        "1380013800",
        "138001380001",
        "abcdefghijk",
        "13８00138000",  # a full-width digit: \\d matches it, a mobile network does not
        "138001380٠0",  # an Arabic-Indic digit
    ],
)
def test_bad_mobile_is_400(api, settings, mobile, sms_outbox):
    settings.SMS_CAPTCHA_REQUIRED = False
    response = api.get(f"/api/v1/sms_codes/{mobile}/")
    assert response.status_code == 400
    assert "mobile" in response.json()
    assert sms_outbox(mobile) == []


def test_second_request_within_a_minute_is_429_with_retry_after(api, settings, sms_outbox):
    settings.SMS_CAPTCHA_REQUIRED = False
    assert api.get(f"/api/v1/sms_codes/{MOBILE}/").status_code == 200
    response = api.get(f"/api/v1/sms_codes/{MOBILE}/")
    assert response.status_code == 429
    assert "message" in response.json()
    assert 1 <= int(response["Retry-After"]) <= 60
    assert len(sms_outbox(MOBILE)) == 1


def test_daily_cap_per_mobile(api, settings, sms_outbox):
    settings.SMS_CAPTCHA_REQUIRED = False
    settings.SMS_DAILY_LIMIT_PER_MOBILE = 2
    for _ in range(2):
        assert api.get(f"/api/v1/sms_codes/{MOBILE}/").status_code == 200
        security_cache.delete(f"rl:claim:sms:interval:{MOBILE}")  # as if a minute had passed
    response = api.get(f"/api/v1/sms_codes/{MOBILE}/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 60  # until the day ends
    assert len(sms_outbox(MOBILE)) == 2


def test_daily_cap_per_ip(api, settings, sms_outbox):
    settings.SMS_CAPTCHA_REQUIRED = False
    settings.SMS_DAILY_LIMIT_PER_IP = 3
    mobiles = [f"1380013800{i}" for i in range(4)]
    answers = [api.get(f"/api/v1/sms_codes/{mobile}/").status_code for mobile in mobiles]
    assert answers == [200, 200, 200, 429]
    assert sms_outbox(mobiles[3]) == []
    # another client address is not affected
    assert api.get(f"/api/v1/sms_codes/{mobiles[3]}/", REMOTE_ADDR="10.9.8.7").status_code == 200


def test_twenty_concurrent_requests_send_exactly_one_code(settings, sms_outbox):
    settings.SMS_CAPTCHA_REQUIRED = False
    responses = run_together([lambda: APIClient().get(f"/api/v1/sms_codes/{MOBILE}/") for _ in range(20)])
    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [200] + [429] * 19
    assert len(sms_outbox(MOBILE)) == 1


def test_english_messages_on_request(api):
    response = api.get(
        f"/api/v1/sms_codes/{MOBILE}/", {"image_code_id": str(uuid.uuid4()), "text": "AAAA"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["text"] == ["The image code has expired, please refresh it."]


def test_chinese_messages_by_default(api):
    response = api.get(f"/api/v1/sms_codes/{MOBILE}/", {"image_code_id": str(uuid.uuid4()), "text": "AAAA"})
    assert response.status_code == 400
    assert response.json()["text"] == ["图片验证码已过期，请刷新后重试"]
