"""Binding rules: new or known mobile, one binding per provider account even under concurrent requests."""

import pytest

from meiduo.core.errors import FieldError, ServiceError
from meiduo.oauth import services
from meiduo.oauth.models import OAuthAccount
from meiduo.oauth.tests.factories import OAuthAccountFactory
from meiduo.users.models import User
from tests.support import run_together

PASSWORD = "kiwi-Mango-42"


@pytest.mark.django_db
def test_new_mobile_gets_an_account_named_after_it(sms_code):
    user = services.oauth_account_bind(
        provider="qq", openid="A" * 32, mobile="13911112222", password=PASSWORD, sms_code=sms_code("13911112222")
    )
    assert (user.username, user.mobile) == ("m13911112222", "13911112222")
    assert user.check_password(PASSWORD)
    assert OAuthAccount.objects.get(provider="qq", openid="A" * 32).user == user


@pytest.mark.django_db
def test_generated_username_avoids_a_taken_one(sms_code):
    User.objects.create_user(username="m13911112222", password=PASSWORD, mobile="13800000001")
    user = services.oauth_account_bind(
        provider="sina", openid="123", mobile="13911112222", password=PASSWORD, sms_code=sms_code("13911112222")
    )
    assert user.username.startswith("m13911112222_")
    assert 5 <= len(user.username) <= 20


@pytest.mark.django_db
def test_known_mobile_with_a_wrong_password_binds_nothing(sms_code):
    User.objects.create_user(username="owner_1", password=PASSWORD, mobile="13911112222")
    with pytest.raises(FieldError) as caught:
        services.oauth_account_bind(
            provider="qq", openid="B" * 32, mobile="13911112222", password="wrong-one", sms_code=sms_code("13911112222")
        )
    assert caught.value.field == "password"
    assert not OAuthAccount.objects.exists()


@pytest.mark.django_db
def test_a_disabled_account_cannot_be_bound(sms_code):
    User.objects.create_user(username="owner_1", password=PASSWORD, mobile="13911112222", is_active=False)
    with pytest.raises(ServiceError):
        services.oauth_account_bind(
            provider="qq", openid="B" * 32, mobile="13911112222", password=PASSWORD, sms_code=sms_code("13911112222")
        )
    assert not OAuthAccount.objects.exists()


@pytest.mark.django_db
def test_the_same_openid_at_another_provider_is_another_account(sms_code):
    OAuthAccountFactory(provider="qq", openid="12345")
    user = services.oauth_account_bind(
        provider="sina", openid="12345", mobile="13911112222", password=PASSWORD, sms_code=sms_code("13911112222")
    )
    assert OAuthAccount.objects.get(provider="sina").user == user


@pytest.mark.django_db(transaction=True)
def test_concurrent_binds_of_one_provider_account_bind_it_once(sms_code):
    mobiles = [f"1391111{n:04d}" for n in range(4)]
    codes = {mobile: sms_code(mobile) for mobile in mobiles}
    results = run_together(
        [
            lambda mobile=mobile: services.oauth_account_bind(
                provider="qq", openid="C" * 32, mobile=mobile, password=PASSWORD, sms_code=codes[mobile]
            )
            for mobile in mobiles
        ]
    )
    assert not [result for result in results if isinstance(result, Exception) and not isinstance(result, ServiceError)]
    outcomes = ["refused" if isinstance(result, ServiceError) else "bound" for result in results]
    assert sorted(outcomes) == ["bound"] + ["refused"] * (len(mobiles) - 1)
    account = OAuthAccount.objects.get(provider="qq", openid="C" * 32)
    # The losers' accounts were rolled back with their binding: only the winner's user exists.
    assert list(User.objects.values_list("mobile", flat=True)) == [account.user.mobile]
