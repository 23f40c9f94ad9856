"""Reads of third-party bindings: the binding of a provider account, with its user."""

from meiduo.oauth.models import OAuthAccount


def oauth_account_get(*, provider: str, openid: str) -> OAuthAccount | None:
    """The binding of this provider account (with its user), or None when it is not bound yet."""
    return OAuthAccount.objects.select_related("user").filter(provider=provider, openid=openid).first()
