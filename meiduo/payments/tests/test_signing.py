"""RSA2 signing as Alipay does it, interoperable with python-alipay-sdk; keys configured or generated on first use."""

import base64
import os
import stat
from pathlib import Path

import pytest
from alipay import AliPay
from cryptography.hazmat.primitives import serialization
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from meiduo.payments.gateways import demo_gateway, get_gateway
from meiduo.payments.keys import (
    configured_private_key,
    configured_public_key,
    generated_private_key,
    private_key_pem,
    public_key_pem,
)
from meiduo.payments.signing import REQUEST_UNSIGNED, params_verify, signed_params, signing_string
from tests.support import run_together

from .conftest import Keys


def sdk(keys: Keys, *, verifier_public: str | None = None) -> AliPay:
    """The SDK as a merchant would set it up: our app key, the gateway's public key."""
    return AliPay(
        appid="2021000117600001",
        app_private_key_string=private_key_pem(keys.shop),
        alipay_public_key_string=verifier_public or public_key_pem(keys.alipay.public_key()),
    )


def test_signing_string_sorts_and_leaves_out_sign_and_sign_type():
    params = {"b": "2", "sign": "x", "a": "1 2", "sign_type": "RSA2", "c": ""}
    assert signing_string(params) == "a=1 2&b=2&c="
    assert signing_string(params, unsigned=REQUEST_UNSIGNED) == "a=1 2&b=2&c=&sign_type=RSA2"


def test_callbacks_we_sign_verify_with_the_sdk_and_ours(keys: Keys):
    params = signed_params(keys.alipay, {"out_trade_no": "1", "total_amount": "10.00", "subject": "美多商城"})
    assert params["sign_type"] == "RSA2"
    assert params_verify(keys.alipay.public_key(), params)
    unsigned = {k: v for k, v in params.items() if k != "sign"}
    assert sdk(keys).verify(unsigned, params["sign"]) is True


def test_requests_the_sdk_signs_verify_with_our_code(keys: Keys):
    from urllib.parse import parse_qsl

    query = sdk(keys).api_alipay_trade_page_pay(subject="美多商城", out_trade_no="1", total_amount="1.00")
    params = dict(parse_qsl(query))
    assert params_verify(keys.shop.public_key(), params, unsigned=REQUEST_UNSIGNED)
    params["biz_content"] = params["biz_content"].replace("1.00", "0.01")
    assert not params_verify(keys.shop.public_key(), params, unsigned=REQUEST_UNSIGNED)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda p: {**p, "total_amount": "0.01"},  # tampered after signing
        lambda p: {**p, "sign": p["sign"][:-8] + "AAAAAAA="},  # forged signature
        lambda p: {**p, "sign": "not base64 !"},
        lambda p: {**p, "sign": ""},
        lambda p: {k: v for k, v in p.items() if k != "sign"},
        lambda p: {**p, "sign_type": "RSA"},
    ],
)
def test_spoiled_callbacks_do_not_verify(keys: Keys, spoil):
    params = signed_params(keys.alipay, {"out_trade_no": "1", "total_amount": "10.00"})
    assert not params_verify(keys.alipay.public_key(), spoil(params))


def test_another_key_does_not_verify(keys: Keys):
    params = signed_params(keys.stranger, {"out_trade_no": "1", "total_amount": "10.00"})
    assert not params_verify(keys.alipay.public_key(), params)


def test_generated_key_is_private_and_stable(tmp_path: Path):
    path = tmp_path / "payments" / "k.pem"
    key = generated_private_key.__wrapped__(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = generated_private_key.__wrapped__(str(path))
    assert private_key_pem(again) == private_key_pem(key)
    assert key.key_size == 2048
    assert [p.name for p in path.parent.iterdir()] == ["k.pem"]  # no temporary left behind


def test_processes_starting_together_end_up_with_one_key(tmp_path: Path):
    path = str(tmp_path / "k.pem")
    loaded = run_together([lambda: private_key_pem(generated_private_key.__wrapped__(path)) for _ in range(8)])
    assert len(loaded) == 8
    assert len(set(loaded)) == 1
    assert loaded[0] == Path(path).read_text()


def test_demo_gateway_keys_live_in_the_data_dir(settings):
    gateway = demo_gateway()
    folder = Path(settings.DATA_DIR) / "payments"
    assert sorted(p.name for p in folder.glob("*.pem")) == ["demo-gateway.pem", "demo-shop.pem"]
    for key_file in folder.glob("*.pem"):
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert public_key_pem(gateway.public_key) != public_key_pem(gateway.app_private_key.public_key())


def test_alipay_keys_load_from_pem_bare_base64_or_files(keys: Keys, tmp_path: Path):
    pem = private_key_pem(keys.shop)
    pkcs1_der = keys.shop.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    bare_private = base64.b64encode(pkcs1_der).decode()
    bare_public = "".join(public_key_pem(keys.alipay.public_key()).splitlines()[1:-1])
    key_file = tmp_path / "app.pem"
    key_file.write_text(pem)
    expected = private_key_pem(keys.shop)
    assert private_key_pem(configured_private_key(pem, "", "K")) == expected
    assert private_key_pem(configured_private_key(bare_private, "", "K")) == expected
    assert private_key_pem(configured_private_key("", str(key_file), "K")) == expected
    public = configured_public_key(bare_public, "", "P")
    assert public_key_pem(public) == public_key_pem(keys.alipay.public_key())


@pytest.mark.parametrize(
    ("value", "file", "error"),
    [
        ("", "", "K or K_FILE must be set"),
        ("", "/nonexistent/key.pem", "K_FILE cannot be read"),
        ("not a key!", "", "neither PEM nor base64"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "", "not a readable private key"),
    ],
)
def test_bad_key_configuration_is_named(value: str, file: str, error: str):
    with pytest.raises(ImproperlyConfigured, match=error):
        configured_private_key(value, file, "K")


def test_misconfigured_alipay_fails_the_system_check(settings):
    settings.PAYMENT_GATEWAY = "alipay"
    settings.ALIPAY_APP_ID = ""
    errors = [message for message in run_checks() if message.id == "payments.E001"]
    assert len(errors) == 1
    assert "ALIPAY_APP_ID" in errors[0].msg
    settings.PAYMENT_GATEWAY = "paypal"
    with pytest.raises(ImproperlyConfigured, match="alipay, demo"):
        get_gateway()
    settings.PAYMENT_GATEWAY = "demo"
    assert [m for m in run_checks() if m.id == "payments.E001"] == []
