"""Alipay's RSA2 signature (SHA256withRSA over the sorted `k=v&…` string), used for every gateway alike.

`cryptography` is imported by the functions that sign and verify, not by this module: a web process loads it
(about 7 MB) with its first payment, not with the admin and the services that import this module.
"""

import base64
import binascii
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

SIGN_TYPE = "RSA2"
# Alipay signs its callbacks (return, notify) over every parameter but these two;
# requests to Alipay are signed over every parameter but `sign`.
CALLBACK_UNSIGNED = ("sign", "sign_type")
REQUEST_UNSIGNED = ("sign",)


def signing_string(params: Mapping[str, str], *, unsigned: Iterable[str] = CALLBACK_UNSIGNED) -> str:
    """The text that is signed: the parameters sorted by name as `k=v` joined by `&`, values not encoded."""
    skip = set(unsigned)
    return "&".join(f"{key}={params[key]}" for key in sorted(params) if key not in skip)


def sign_text(private_key: "RSAPrivateKey", text: str) -> str:
    """Base64 of the SHA256withRSA (PKCS#1 v1.5) signature of the UTF-8 text."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    signature = private_key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def verify_text(public_key: "RSAPublicKey", text: str, signature: str) -> bool:
    """Whether `signature` (base64) is a valid SHA256withRSA signature of the text under the public key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    try:
        raw = base64.b64decode(signature.encode(), validate=True)
        public_key.verify(raw, text.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def signed_params(
    private_key: "RSAPrivateKey", params: Mapping[str, str], *, unsigned: Iterable[str] = CALLBACK_UNSIGNED
) -> dict[str, str]:
    """The parameters with `sign_type=RSA2` and their `sign` added, as Alipay sends its callbacks."""
    result = {**params, "sign_type": SIGN_TYPE}
    result["sign"] = sign_text(private_key, signing_string(result, unsigned=unsigned))
    return result


def params_verify(
    public_key: "RSAPublicKey", params: Mapping[str, str], *, unsigned: Iterable[str] = CALLBACK_UNSIGNED
) -> bool:
    """Whether the parameters carry `sign_type=RSA2` and a `sign` valid under the public key."""
    signature = params.get("sign", "")
    if params.get("sign_type", SIGN_TYPE) != SIGN_TYPE or not signature:
        return False
    return verify_text(public_key, signing_string(params, unsigned=unsigned), signature)
