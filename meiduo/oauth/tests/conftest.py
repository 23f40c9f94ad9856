"""Fixtures of the oauth tests: fake QQ, Weibo and WeChat on loopback, the shop pointed at them, a login's steps."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from rest_framework.test import APIClient

from meiduo.demo.oauth_fakes import FakeProvider, FakeQQ, FakeWeibo, FakeWeixin

CLIENT_ID = "test-app-id"
CLIENT_SECRET = "test-app-secret"
REDIRECT_URI = "http://127.0.0.1:8080/oauth_callback.html"
SETTING_PREFIX = {"qq": "QQ", "sina": "WEIBO", "weixin": "WEIXIN"}


@pytest.fixture(scope="session")
def fake_servers() -> Iterator[dict[str, FakeProvider]]:
    """One fake QQ, Weibo and WeChat each for the whole run (127.0.0.1, free ports)."""
    fakes: dict[str, FakeProvider] = {
        "qq": FakeQQ(client_id=CLIENT_ID, client_secret=CLIENT_SECRET).start(),
        "sina": FakeWeibo(client_id=CLIENT_ID, client_secret=CLIENT_SECRET).start(),
        "weixin": FakeWeixin(client_id=CLIENT_ID, client_secret=CLIENT_SECRET).start(),
    }
    yield fakes
    for fake in fakes.values():
        fake.stop()


def configure(settings, name: str, fake: FakeProvider) -> None:
    """Point the shop's settings of one provider at a fake."""
    prefix = SETTING_PREFIX[name]
    setattr(settings, f"{prefix}_API_URL", fake.url)
    if prefix == "WEIXIN":  # WeChat's authorize page has a host of its own; the fake plays both
        settings.WEIXIN_OPEN_URL = fake.url
    setattr(settings, f"{prefix}_CLIENT_ID", CLIENT_ID)
    setattr(settings, f"{prefix}_CLIENT_SECRET", CLIENT_SECRET)
    setattr(settings, f"{prefix}_REDIRECT_URI", REDIRECT_URI)


@dataclass
class Side:
    """The provider under test: its path name and its fake."""

    name: str
    fake: FakeProvider


@pytest.fixture
def configured(settings, fake_servers: dict[str, FakeProvider]) -> dict[str, FakeProvider]:
    """Both providers configured against healthy fakes."""
    for name, fake in fake_servers.items():
        fake.down, fake.delay = False, 0.0
        configure(settings, name, fake)
    return fake_servers


@pytest.fixture(params=["qq", "sina", "weixin"])
def side(request: pytest.FixtureRequest, configured: dict[str, FakeProvider]) -> Side:
    """Each test using it runs once against QQ, once against Weibo and once against WeChat."""
    return Side(request.param, configured[request.param])


def start_login(api: APIClient, provider: str, next_path: str | None = None) -> str:
    """GET authorization/ in this browser (the client keeps the state cookie); the provider's login URL."""
    query = {} if next_path is None else {"next": next_path}
    response = api.get(f"/api/v1/oauth/{provider}/authorization/", query)
    assert response.status_code == 200, response.content
    return str(response.json()["login_url"])


def agree(login_url: str, user: str) -> dict[str, str]:
    """The shopper logs in at the (fake) provider: it redirects to the callback page with code and state."""
    answer = requests.get(login_url, params={"confirm": "1", "user": user}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    return dict(parse_qsl(urlsplit(location).query))


@pytest.fixture
def provider_login() -> Callable[..., dict[str, str]]:
    """`provider_login(api, provider, user, next_path=None)`: the steps up to the callback page's query."""

    def run(api: APIClient, provider: str, user: str, next_path: str | None = None) -> dict[str, str]:
        return agree(start_login(api, provider, next_path), user)

    return run
