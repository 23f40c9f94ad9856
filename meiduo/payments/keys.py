"""RSA keys of the gateways: configured Alipay keys (PEM or bare base64) and the demo keys generated on first use.

`cryptography` is imported by the functions, not by the module (see meiduo.payments.signing).
"""

import base64
import binascii
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

from meiduo.core.secretfiles import created_once

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

KEY_SIZE = 2048


def private_key_pem(key: "RSAPrivateKey") -> str:
    """The key as unencrypted PKCS#8 PEM text."""
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def public_key_pem(key: "RSAPublicKey") -> str:
    """The key as SubjectPublicKeyInfo PEM text (what Alipay's console shows, with the armour)."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _key_bytes(text: str, name: str) -> tuple[bytes, bool]:
    """The key material and whether it is PEM; bare base64 (as Alipay's key tool prints it) is decoded to DER."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        return text.encode(), True
    try:
        return base64.b64decode("".join(text.split()), validate=True), False
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} is neither PEM nor base64") from exc


def _setting_text(value: str, file: str, name: str) -> str:
    """The key text from the `<name>` setting, or else from the file named by `<name>_FILE`."""
    if value.strip():
        return value
    if file:
        try:
            return Path(file).read_text(encoding="ascii")
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc}") from exc
    raise ImproperlyConfigured(f"{name} or {name}_FILE must be set")


@lru_cache(maxsize=8)
def configured_private_key(value: str, file: str, name: str) -> "RSAPrivateKey":
    """Load an RSA private key given inline or as a file (PKCS#8 or PKCS#1, PEM or bare base64)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

    data, is_pem = _key_bytes(_setting_text(value, file, name), name)
    try:
        loader = serialization.load_pem_private_key if is_pem else serialization.load_der_private_key
        key = loader(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{name} is not a readable private key: {exc}") from exc
    if not isinstance(key, RSAPrivateKey):
        raise ImproperlyConfigured(f"{name} is not an RSA key")
    return key


@lru_cache(maxsize=8)
def configured_public_key(value: str, file: str, name: str) -> "RSAPublicKey":
    """Load an RSA public key given inline or as a file (PEM or bare base64)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    data, is_pem = _key_bytes(_setting_text(value, file, name), name)
    try:
        key = serialization.load_pem_public_key(data) if is_pem else serialization.load_der_public_key(data)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{name} is not a readable public key: {exc}") from exc
    if not isinstance(key, RSAPublicKey):
        raise ImproperlyConfigured(f"{name} is not an RSA key")
    return key


@lru_cache(maxsize=8)
def generated_private_key(path: str) -> "RSAPrivateKey":
    """The RSA-2048 key stored at `path`, created there first if missing (private, first writer wins)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

    def make() -> bytes:
        return private_key_pem(rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)).encode()

    loaded = serialization.load_pem_private_key(created_once(Path(path), make), password=None)
    if not isinstance(loaded, RSAPrivateKey):
        raise ImproperlyConfigured(f"{path} does not hold an RSA private key")
    return loaded
