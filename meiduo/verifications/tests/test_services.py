"""SMS code checking: one use, expiry, burning after too many wrong tries."""

import time

import pytest

from meiduo.core.errors import FieldError, RateLimited
from meiduo.verifications import services
from tests.support import run_together

MOBILE = "13700137000"


@pytest.fixture
def code(sms_outbox) -> str:
    services.sms_code_send(mobile=MOBILE, ip="127.0.0.1")
    return sms_outbox(MOBILE)[-1]


def test_right_code_works_once(code):
    services.sms_code_verify(mobile=MOBILE, code=code)
    with pytest.raises(FieldError) as used:
        services.sms_code_verify(mobile=MOBILE, code=code)
    assert used.value.field == "sms_code"


def test_code_is_bound_to_its_mobile(code):
    with pytest.raises(FieldError):
        services.sms_code_verify(mobile="13700137001", code=code)


def test_code_burns_after_five_wrong_tries(code):
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(FieldError):
            services.sms_code_verify(mobile=MOBILE, code=wrong)
    with pytest.raises(FieldError) as burned:
        services.sms_code_verify(mobile=MOBILE, code=code)
    assert "new" in str(burned.value.message).lower() or "重新" in str(burned.value.message)


def test_code_expires(settings, sms_outbox):
    settings.SMS_CODE_TTL = 1
    services.sms_code_send(mobile=MOBILE, ip="127.0.0.1")
    code = sms_outbox(MOBILE)[-1]
    time.sleep(1.5)
    with pytest.raises(FieldError) as expired:
        services.sms_code_verify(mobile=MOBILE, code=code)
    assert expired.value.field == "sms_code"


def test_concurrent_uses_of_the_right_code_succeed_exactly_once(code):
    results = run_together([lambda: services.sms_code_verify(mobile=MOBILE, code=code) for _ in range(8)])
    assert sum(result is None for result in results) == 1
    assert all(isinstance(result, FieldError) for result in results if result is not None)


def test_concurrent_guesses_cannot_pass_the_try_limit(code):
    wrong = "000000" if code != "000000" else "111111"
    results = run_together([lambda: services.sms_code_verify(mobile=MOBILE, code=wrong) for _ in range(20)])
    assert all(isinstance(result, FieldError) for result in results)
    with pytest.raises(FieldError):  # five tries are spent: even the right code is refused now
        services.sms_code_verify(mobile=MOBILE, code=code)


def test_a_broker_outage_is_a_503_and_the_mobile_may_ask_again(monkeypatch, sms_outbox):
    from meiduo.core.errors import ServiceUnavailable

    monkeypatch.setattr(services, "job_start", lambda name, **kwargs: False)  # the broker refused the job
    with pytest.raises(ServiceUnavailable):
        services.sms_code_send(mobile=MOBILE, ip="127.0.0.1")
    monkeypatch.undo()
    services.sms_code_send(mobile=MOBILE, ip="127.0.0.1")  # no 60-second wait for a code never sent
    assert len(sms_outbox(MOBILE)) == 1


def test_a_code_is_bound_to_its_purpose(sms_outbox):
    services.sms_code_send(mobile=MOBILE, ip="127.0.0.1", purpose=services.SmsPurpose.LOGIN)
    code = sms_outbox(MOBILE)[-1]
    with pytest.raises(FieldError):
        services.sms_code_verify(mobile=MOBILE, code=code)  # a login code proves nothing else
    services.sms_code_verify(mobile=MOBILE, code=code, purpose=services.SmsPurpose.LOGIN)


def test_a_withheld_code_counts_the_limits_forgets_the_old_code_and_sends_nothing(sms_outbox):
    services.sms_code_send(mobile=MOBILE, ip="127.0.0.1")
    code = sms_outbox(MOBILE)[-1]
    services.security_cache.delete(f"rl:claim:sms:interval:{MOBILE}")  # as if the minute had passed
    services.sms_code_withhold(mobile=MOBILE, ip="127.0.0.1")
    assert sms_outbox(MOBILE) == [code]
    with pytest.raises(FieldError):
        services.sms_code_verify(mobile=MOBILE, code=code)  # the earlier code is gone
    with pytest.raises(RateLimited):
        services.sms_code_withhold(mobile=MOBILE, ip="127.0.0.1")  # one send a minute, withheld or not
