"""QQ, Weibo and WeChat OAuth 2.0 through social-auth-core's backends, adapted to "the front end posts the code to us".

social-auth-core's `QQOAuth2`, `WeiboOAuth2` and `WeixinOAuth2` keep the protocol knowledge:
endpoint paths, authorize and token parameters, QQ's form-encoded token answer,
provider error classification and the HTTP error/timeout handling. Their
session/pipeline flow (redirect, state in a server session, create the user)
does not fit this API, so each backend runs under a tiny strategy that only
supplies settings and the posted `code`; the state is checked by the view
against the browser's signed cookie before any exchange, and users are bound by
our own services. See docs/oauth.md.
"""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from requests.auth import AuthBase
from social_core.backends.oauth import BaseOAuth2
from social_core.backends.qq import QQOAuth2
from social_core.backends.weibo import WeiboOAuth2
from social_core.backends.weixin import WeixinOAuth2
from social_core.exceptions import (
    AuthConfigurationError,
    AuthCredentialError,
    AuthProviderError,
    AuthResponseError,
    ErrorStage,
    SocialAuthBaseException,
)
from social_core.strategy import BaseStrategy
from social_core.utils import parse_qs, wrap_access_token_error

from meiduo.core.errors import NotFoundError, ServiceError, ServiceUnavailable

logger = logging.getLogger("meiduo.oauth")

# QQ's numbered errors (公共返回码): the app's own id/secret/redirect are wrong, or the user's code/token is bad.
QQ_CONFIGURATION_ERRORS = {100001, 100002, 100008, 100009, 100010, 100011}
QQ_CREDENTIAL_ERRORS = {100013, 100014, 100015, 100016, 100019, 100020}
# WeChat's numbered errors (全局返回码): our AppID/AppSecret are wrong; the user's code is bad; WeChat is busy.
WEIXIN_CONFIGURATION_ERRORS = {40013, 40125, 40164, 41002, 41004}
WEIXIN_CREDENTIAL_ERRORS = {40029, 40163, 41008, 42003}
WEIXIN_BUSY_ERRORS = {-1, 45009, 45011}
# Answers that mean the provider (not the shopper) is at fault: a 503 and an error in the log.
PROVIDER_BROKEN = {"malformed_response", "missing_claim", "invalid_claim", "tls_error"}


class ProviderStrategy(BaseStrategy[None]):
    """The least social-auth-core needs to run a backend: settings and request data given up front.

    No session, storage or pipeline: nothing here logs anyone in.
    """

    def __init__(self, *, config: dict[str, Any], data: dict[str, str]) -> None:
        super().__init__(storage=None)
        self._config = config
        self._data = data

    def setting(self, name: str, default: Any = None, backend: Any = None) -> Any:
        return self._config.get(name, default)

    def get_setting(self, name: str) -> Any:
        return self._config[name]

    def get_request_data(self, merge: bool = True) -> dict[str, Any]:
        return dict(self._data)

    def build_absolute_uri(self, path: str | None = None) -> str:
        return path or ""  # redirect URIs are configured absolute


def qq_answer(text: str) -> dict[str, Any]:
    """Decode any QQ answer: `callback( {...} );` (JSONP), plain JSON (fmt=json) or `a=1&b=2`."""
    body = text.strip()
    if body.startswith("callback("):
        body = body[len("callback(") :].rstrip().removesuffix(";").rstrip().removesuffix(")").strip()
    if body.startswith("{"):
        answer = json.loads(body)
        if not isinstance(answer, dict):
            raise ValueError("not a JSON object")
        return answer
    return dict(parse_qs(body))


class QQBackend(QQOAuth2[None]):
    """QQ 互联: the library's backend, plus QQ's JSONP error answers and the openid check."""

    ACCESS_TOKEN_METHOD: Literal["GET", "POST"] = "GET"  # noqa: S105 - QQ documents GET for oauth2.0/token

    def get_provider_error(
        self,
        data: object,
        *,
        stage: ErrorStage = "callback",
        status_code: int | None = None,
        retry_after: str | None = None,
    ) -> SocialAuthBaseException | None:
        error = data.get("error") if isinstance(data, dict) else None
        number = int(error) if isinstance(error, int) or (isinstance(error, str) and error.isdigit()) else None
        if number is not None:
            detail = str(data.get("error_description", "")) if isinstance(data, dict) else ""
            fields: dict[str, Any] = {"stage": stage, "provider_code": number, "status_code": status_code}
            if number in QQ_CONFIGURATION_ERRORS:
                return AuthConfigurationError(self, detail, code="invalid_setting", **fields)
            if number in QQ_CREDENTIAL_ERRORS:
                return AuthCredentialError(self, detail, code="authorization_code_rejected", **fields)
        return super().get_provider_error(data, stage=stage, status_code=status_code, retry_after=retry_after)

    def request_access_token(  # noqa: PLR0917 - the library's signature
        self,
        url: str,
        method: Literal["GET", "POST", "DELETE"] = "GET",
        headers: Mapping[str, str | bytes] | None = None,
        data: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        auth: tuple[str, str] | AuthBase | None = None,
        params: dict[str, Any] | None = None,
        *,
        stage: ErrorStage = "token_exchange",
    ) -> dict[Any, Any]:
        """The library's token request, reading QQ's JSONP errors as well as its form-encoded success."""
        with wrap_access_token_error(self, stage=stage):
            response = self.request(
                url, method=method, headers=headers, data=data, json=json, auth=auth, params=params, stage=stage
            )
        answer = self.decoded(response.text, stage=stage)
        self._process_error(answer, stage=stage)
        return answer

    def get_openid(self, access_token: str) -> str:
        """GET oauth2.0/me: the openid, after checking the token was issued to this app."""
        response = self.request(self.setting("OPENID_URL", self.OPENID_URL), params={"access_token": access_token})
        answer = self.decoded(response.text, stage="user_info")
        self._process_error(answer, stage="user_info")
        if str(answer.get("client_id", "")) != self.get_key_and_secret()[0]:
            raise AuthResponseError(self, code="invalid_claim", claim="client_id", stage="user_info")
        openid = answer.get("openid")
        if not isinstance(openid, str) or not openid:
            raise AuthResponseError(self, code="missing_claim", claim="openid", stage="user_info")
        return openid

    def decoded(self, text: str, *, stage: ErrorStage) -> dict[str, Any]:
        try:
            return qq_answer(text)
        except ValueError as exc:
            raise AuthResponseError(self, code="malformed_response", stage=stage) from exc

    def account_id(self, access_token: str, response: dict[str, Any]) -> str:
        """QQ's token answer has no user id: ask oauth2.0/me."""
        return self.get_openid(access_token)


class WeiboBackend(WeiboOAuth2[None]):
    """Weibo: the library's backend; the user id is the `uid` of the token answer."""

    def account_id(self, access_token: str, response: dict[str, Any]) -> str:
        uid = response.get("uid")
        if not isinstance(uid, (str, int)) or isinstance(uid, bool) or not str(uid):
            raise AuthResponseError(self, code="missing_claim", claim="uid", stage="token_exchange")
        return str(uid)


class WeixinBackend(WeixinOAuth2[None]):
    """WeChat website login (微信开放平台 网站应用): the library's backend with WeChat's documented GET token call,
    its numbered errors classified, and the openid confirmed by sns/userinfo.

    The account id is the `openid` (per app, always given); `unionid` (across one company's apps, given only
    when the app is bound to an Open Platform account) is not used, so a binding never changes with it.
    """

    ACCESS_TOKEN_METHOD: Literal["GET", "POST"] = "GET"  # noqa: S105 - WeChat documents GET for sns/oauth2/access_token
    USER_DATA_URL = "https://api.weixin.qq.com/sns/userinfo"

    def get_provider_error(
        self,
        data: object,
        *,
        stage: ErrorStage = "callback",
        status_code: int | None = None,
        retry_after: str | None = None,
    ) -> SocialAuthBaseException | None:
        number = data.get("errcode") if isinstance(data, dict) else None
        if isinstance(number, int) and not isinstance(number, bool) and number != 0:
            detail = str(data.get("errmsg", "")) if isinstance(data, dict) else ""
            fields: dict[str, Any] = {"stage": stage, "provider_code": number, "status_code": status_code}
            if number in WEIXIN_CONFIGURATION_ERRORS:
                return AuthConfigurationError(self, detail, code="invalid_setting", **fields)
            if number in WEIXIN_CREDENTIAL_ERRORS:
                return AuthCredentialError(self, detail, code="authorization_code_rejected", **fields)
            if number in WEIXIN_BUSY_ERRORS:
                return AuthProviderError(self, detail, code="unavailable", **fields)
            return AuthProviderError(self, detail, code="unknown_error", **fields)
        return super().get_provider_error(data, stage=stage, status_code=status_code, retry_after=retry_after)

    def user_data(self, access_token: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """GET sns/userinfo on the configured host (the library's call has the host built in)."""
        openid = kwargs["response"]["openid"]
        url = self.setting("USER_DATA_URL", self.USER_DATA_URL)
        data = self.get_json(url, params={"access_token": access_token, "openid": openid}, stage="user_info")
        self._process_error(data, stage="user_info")
        return data

    def account_id(self, access_token: str, response: dict[str, Any]) -> str:
        """The `openid` of the token answer, which sns/userinfo must confirm for that token."""
        openid = response.get("openid")
        if not isinstance(openid, str) or not openid:
            raise AuthResponseError(self, code="missing_claim", claim="openid", stage="token_exchange")
        if self.user_data(access_token, response=response).get("openid") != openid:
            raise AuthResponseError(self, code="invalid_claim", claim="openid", stage="user_info")
        return openid


Backend = QQBackend | WeiboBackend | WeixinBackend


@dataclass(frozen=True)
class Provider:
    """One login provider as the API sees it: its path name, its settings and its protocol backend."""

    name: str
    label: str | Promise
    prefix: str
    backend_class: type[QQBackend] | type[WeiboBackend] | type[WeixinBackend]
    # The setting naming the host of the authorize page (WeChat's is not its API host) and what follows the
    # authorize URL's query (WeChat documents `#wechat_redirect`).
    authorize_host: str = "API_URL"
    login_url_suffix: str = ""

    def _setting(self, suffix: str) -> str:
        return str(getattr(settings, f"{self.prefix}_{suffix}", "") or "")

    @property
    def configured(self) -> bool:
        names = ("CLIENT_ID", "CLIENT_SECRET", "REDIRECT_URI", "API_URL", self.authorize_host)
        return all(self._setting(name) for name in names)

    def _endpoint(self, library_url: str, host: str = "API_URL") -> str:
        """The library's endpoint path on the configured host (the real one by default)."""
        return self._setting(host).rstrip("/") + urlsplit(library_url).path

    def backend(self, **data: str) -> Backend:
        """The social-auth-core backend, configured from our settings, seeing `data` as the request."""
        cls = self.backend_class
        config: dict[str, Any] = {
            "KEY": self._setting("CLIENT_ID"),
            "SECRET": self._setting("CLIENT_SECRET"),
            "AUTHORIZATION_URL": self._endpoint(cls.AUTHORIZATION_URL, self.authorize_host),
            "ACCESS_TOKEN_URL": self._endpoint(cls.ACCESS_TOKEN_URL),
            "REQUESTS_TIMEOUT": settings.OAUTH_PROVIDER_TIMEOUT,
        }
        if cls is QQBackend:
            config["OPENID_URL"] = self._endpoint(QQBackend.OPENID_URL)
        if cls is WeixinBackend:
            config["USER_DATA_URL"] = self._endpoint(WeixinBackend.USER_DATA_URL)
        return cls(ProviderStrategy(config=config, data=data), redirect_uri=self._setting("REDIRECT_URI"))

    def login_url(self, *, state: str) -> str:
        """The provider's authorize page for this browser's state."""
        backend = self.backend()
        params = {**backend.auth_params(state), **backend.get_scope_argument(), **backend.auth_extra_arguments()}
        return f"{backend.authorization_url()}?{urlencode(params)}{self.login_url_suffix}"

    def account_id_for_code(self, *, code: str) -> str:
        """Exchange the authorization code for a token, then learn the provider's id of the user."""
        backend = self.backend(code=code)
        try:
            response = exchange_code(backend)
            return backend.account_id(backend.get_access_token(response), response)
        except SocialAuthBaseException as exc:
            raise provider_failure(self, exc) from exc


def exchange_code(backend: BaseOAuth2[None]) -> dict[str, Any]:
    """The token request of the library's `auth_complete`, without its session state and pipeline."""
    params = backend.auth_complete_params()
    method = backend.ACCESS_TOKEN_METHOD
    return backend.request_access_token(
        backend.access_token_url(),
        params=params if method == "GET" else None,
        data=None if method == "GET" else params,
        headers=backend.auth_headers(),
        auth=backend.auth_complete_credentials(),
        method=method,
    )


def provider_failure(provider: Provider, exc: SocialAuthBaseException) -> ServiceError:
    """What the shopper sees: 503 when the provider is down or we are misconfigured, else a 400."""
    where = f"{provider.name} {exc.stage}: {exc.code} {exc.provider_code or ''} {exc.detail}".strip()
    if exc.recovery == "retry_later":
        logger.warning("oauth provider unavailable: %s", where)
        return ServiceUnavailable()
    if exc.source == "configuration" or exc.code in PROVIDER_BROKEN:
        logger.error("oauth provider refused our configuration or answered nonsense: %s", where)
        return ServiceUnavailable()
    logger.info("oauth login refused by the provider: %s", where)
    return ServiceError(
        _("%(provider)s did not accept this login (it may have expired), please log in again.")
        % {"provider": provider.label}
    )


PROVIDERS = {
    "qq": Provider(name="qq", label=_("QQ"), prefix="QQ", backend_class=QQBackend),
    "sina": Provider(name="sina", label=_("Weibo"), prefix="WEIBO", backend_class=WeiboBackend),
    "weixin": Provider(
        name="weixin",
        label=_("WeChat"),
        prefix="WEIXIN",
        backend_class=WeixinBackend,
        authorize_host="OPEN_URL",
        login_url_suffix="#wechat_redirect",
    ),
}


def provider_get(name: str) -> Provider:
    """The provider named in the path: 404 when unknown, 400 when its credentials are not configured."""
    provider = PROVIDERS.get(name)
    if provider is None:
        raise NotFoundError()
    if not provider.configured:
        raise ServiceError(_("%(provider)s login is not configured.") % {"provider": provider.label})
    return provider
