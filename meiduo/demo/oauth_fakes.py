"""Loopback fakes of the QQ, Weibo and WeChat OAuth 2.0 servers that answer in the providers' real formats.

The tests run the real protocol code against them; `manage.py oauth_fake_providers`
starts them by hand so the whole login can be tried without the real providers
(docs/oauth.md). They listen on 127.0.0.1 only and keep everything in memory.

A fake's authorize page stands for the provider's login screen: it asks which
fake user is logging in (any name; the same name always gets the same
openid/uid) and, when confirmed (`confirm=1`), redirects the browser to
`redirect_uri?code=…&state=…` like the real provider does.
"""

import base64
import hashlib
import html
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

logger = logging.getLogger("meiduo.demo.oauth_fakes")

TOKEN_LIFETIME = 7776000  # QQ: three months; the fakes use it for Weibo too


@dataclass
class Reply:
    """One HTTP answer of a fake."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    location: str | None = None


@dataclass
class Grant:
    """An authorization code: who agreed, for which redirect URI, when."""

    user: str
    redirect_uri: str
    issued: float = field(default_factory=time.monotonic)


def with_query(url: str, params: dict[str, str]) -> str:
    """The URL with these parameters added to its query."""
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class FakeProvider:
    """Base of the fakes: an HTTP server in a daemon thread with in-memory codes and tokens.

    Test switches: `down` (answer 502 like a failing gateway), `delay` (seconds
    to wait before answering), `expire_codes()` (every code issued so far expires).
    """

    authorize_path = ""
    title = ""
    client_id_parameter = "client_id"  # what the authorize page calls the app's id

    def __init__(
        self, *, client_id: str, client_secret: str, host: str = "127.0.0.1", port: int = 0, code_ttl: int = 600
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.code_ttl = code_ttl
        self.down = False
        self.delay = 0.0
        self._lock = threading.Lock()
        self._codes: dict[str, Grant] = {}
        self._used_codes: set[str] = set()
        self._tokens: dict[str, str] = {}
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> "FakeProvider":
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"fake-{self.title}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeProvider":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what a real provider does for its user ---------------------------------

    def account_id(self, user: str) -> str:
        """The provider's stable id of this fake user for this app (QQ openid, Weibo uid)."""
        raise NotImplementedError

    def issue_code(self, *, user: str, redirect_uri: str) -> str:
        """The code the provider appends to redirect_uri once `user` agrees to log in."""
        code = secrets.token_hex(16).upper()
        with self._lock:
            self._codes[code] = Grant(user=user, redirect_uri=redirect_uri)
        return code

    def expire_codes(self) -> None:
        with self._lock:
            for grant in self._codes.values():
                grant.issued -= self.code_ttl + 1

    def redeem(self, code: str, redirect_uri: str | None) -> tuple[str | None, str]:
        """Use a code once: (access token, "") or (None, why: "unknown", "reused", "expired", "redirect").

        `redirect_uri` None: the provider's token call does not take it (WeChat), so it is not compared.
        """
        with self._lock:
            if code in self._used_codes:
                return None, "reused"
            grant = self._codes.pop(code, None)
            if grant is None:
                return None, "unknown"
            self._used_codes.add(code)
            if time.monotonic() - grant.issued > self.code_ttl:
                return None, "expired"
            if redirect_uri is not None and grant.redirect_uri != redirect_uri:
                return None, "redirect"
            token = secrets.token_hex(16).upper()
            self._tokens[token] = grant.user
            return token, ""

    def token_user(self, token: str) -> str | None:
        with self._lock:
            return self._tokens.get(token)

    # --- HTTP -------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> Reply:
        if self.delay:
            time.sleep(self.delay)
        if self.down:
            return Reply(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        if path == self.authorize_path and method == "GET":
            return self.authorize(query)
        return self.route(method, path, query, form)

    def route(self, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> Reply:
        raise NotImplementedError

    def authorize_error(self, message: str) -> Reply:
        return Reply(400, f"<html><body><p>{html.escape(message)}</p></body></html>".encode(), "text/html")

    def authorize(self, query: dict[str, str]) -> Reply:
        """The login screen: a form naming the fake user, then a redirect back with code and state."""
        if query.get("response_type") != "code":
            return self.authorize_error("response_type must be code")
        if query.get(self.client_id_parameter) != self.client_id:
            return self.authorize_error(f"unknown {self.client_id_parameter}")
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            return self.authorize_error("redirect_uri is missing or not absolute")
        if query.get("confirm") == "1":
            user = query.get("user") or "demo"
            code = self.issue_code(user=user, redirect_uri=redirect_uri)
            params = {"code": code}
            if "state" in query:
                params["state"] = query["state"]
            return Reply(302, b"", location=with_query(redirect_uri, params))
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
            if k not in {"confirm", "user"}
        )
        page = (
            f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{self.title} (fake)</title></head>'
            f"<body><h1>{self.title} 登录（本地模拟）</h1>"
            f'<form method="get" action="{self.authorize_path}">{hidden}'
            '<input type="hidden" name="confirm" value="1">'
            '<label>模拟用户 <input name="user" value="demo"></label> '
            '<button type="submit">授权并登录</button></form></body></html>'
        )
        return Reply(200, page.encode(), "text/html; charset=utf-8")


class FakeQQ(FakeProvider):
    """graph.qq.com: authorize, oauth2.0/token (GET, form-encoded answer) and oauth2.0/me (JSONP).

    Errors come as `callback( {"error":100019,"error_description":"…"} );` with
    HTTP 200, or as plain JSON when the request asks `fmt=json`.
    """

    authorize_path = "/oauth2.0/authorize"
    title = "QQ"

    def account_id(self, user: str) -> str:
        return hashlib.sha256(f"{self.client_id}:{user}".encode()).hexdigest()[:32].upper()

    def route(self, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> Reply:
        if path == "/oauth2.0/token" and method == "GET":
            return self.token(query)
        if path == "/oauth2.0/me" and method == "GET":
            return self.me(query)
        return Reply(404, b"Not Found")

    @staticmethod
    def jsonp(data: dict[str, Any], query: dict[str, str]) -> Reply:
        text = json.dumps(data, separators=(",", ":"))
        if query.get("fmt") == "json":
            return Reply(200, text.encode(), "application/json")
        return Reply(200, f"callback( {text} );\n".encode(), "text/html")

    def error(self, number: int, description: str, query: dict[str, str]) -> Reply:
        return self.jsonp({"error": number, "error_description": description}, query)

    def token(self, query: dict[str, str]) -> Reply:
        checks = [
            (query.get("grant_type") == "authorization_code", 100004, "param grant_type is wrong or lost "),
            (bool(query.get("client_id")), 100001, "param client_id is wrong or lost "),
            (bool(query.get("client_secret")), 100002, "param client_secret is wrong or lost "),
            (bool(query.get("code")), 100005, "param code is wrong or lost "),
            (query.get("client_id") == self.client_id, 100008, "client_id is illegal"),
            (query.get("client_secret") == self.client_secret, 100009, "client secret is illegal"),
        ]
        for ok, number, description in checks:
            if not ok:
                return self.error(number, description, query)
        token, why = self.redeem(query["code"], query.get("redirect_uri", ""))
        if token is None:
            if why == "reused":
                return self.error(100020, "code is reused error", query)
            if why == "redirect":
                return self.error(100010, "redirect uri is illegal", query)
            return self.error(100019, "code to access token error", query)
        answer = {"access_token": token, "expires_in": str(TOKEN_LIFETIME), "refresh_token": secrets.token_hex(16)}
        if query.get("fmt") == "json":
            return Reply(200, json.dumps(answer).encode(), "application/json")
        return Reply(200, urlencode(answer).encode(), "text/html")

    def me(self, query: dict[str, str]) -> Reply:
        token = query.get("access_token", "")
        if not token:
            return self.error(100007, "param access token is wrong or lost ", query)
        user = self.token_user(token)
        if user is None:
            return self.error(100016, "access token check failed", query)
        return self.jsonp({"client_id": self.client_id, "openid": self.account_id(user)}, query)


class FakeWeibo(FakeProvider):
    """api.weibo.com: authorize and oauth2/access_token (POST, JSON with `uid`; errors are JSON with HTTP 400)."""

    authorize_path = "/oauth2/authorize"
    title = "微博"

    def account_id(self, user: str) -> str:
        return str(1_000_000_000 + int(hashlib.sha256(f"{self.client_id}:{user}".encode()).hexdigest(), 16) % 10**9)

    def route(self, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> Reply:
        if path == "/oauth2/access_token":
            if method != "POST":
                return self.error("invalid_request", 21323, "HTTP METHOD is not suported for this request!", path)
            return self.token({**query, **form}, path)
        return Reply(404, b"Not Found")

    @staticmethod
    def error(error: str, number: int, description: str, path: str, status: int = 400) -> Reply:
        body = {
            "error": error,
            "error_code": number,
            "request": path,
            "error_uri": path,
            "error_description": description,
        }
        return Reply(status, json.dumps(body).encode(), "application/json;charset=UTF-8")

    def token(self, params: dict[str, str], path: str) -> Reply:
        if params.get("client_id") != self.client_id or params.get("client_secret") != self.client_secret:
            return self.error("invalid_client", 21324, "client_id or client_secret is invalid", path, 401)
        if params.get("grant_type") != "authorization_code":
            return self.error("unsupported_grant_type", 21328, "unsupported grant type", path)
        if not params.get("code"):
            return self.error("invalid_request", 21323, "miss required parameter (code)", path)
        token, why = self.redeem(params["code"], params.get("redirect_uri", ""))
        if token is None:
            if why == "redirect":
                return self.error("redirect_uri_mismatch", 21322, "redirect_uri_mismatch", path)
            return self.error("invalid_grant", 21325, f"invalid authorization code:{params['code']}", path)
        user = self.token_user(token) or ""
        answer = {
            "access_token": token,
            "remind_in": str(TOKEN_LIFETIME),
            "expires_in": TOKEN_LIFETIME,
            "uid": self.account_id(user),
            "isRealName": "true",
        }
        return Reply(200, json.dumps(answer).encode(), "application/json;charset=UTF-8")


class FakeWeixin(FakeProvider):
    """open.weixin.qq.com connect/qrconnect and api.weixin.qq.com sns/oauth2/access_token and sns/userinfo (GET).

    Answers are JSON (served as text/plain, like WeChat); errors are `{"errcode": 40029, "errmsg": "…"}` with
    HTTP 200. The token answer carries the per-app `openid` and the company-wide `unionid`. One server plays
    both hosts: point WEIXIN_OPEN_URL and WEIXIN_API_URL at it.
    """

    authorize_path = "/connect/qrconnect"
    title = "微信"
    client_id_parameter = "appid"

    def account_id(self, user: str) -> str:
        digest = hashlib.sha256(f"{self.client_id}:{user}".encode()).digest()
        return "o" + base64.urlsafe_b64encode(digest).decode()[:27]

    @staticmethod
    def union_id(user: str) -> str:
        """The same for every app of the (fake) company."""
        return "u" + base64.urlsafe_b64encode(hashlib.sha256(f"union:{user}".encode()).digest()).decode()[:27]

    def route(self, method: str, path: str, query: dict[str, str], form: dict[str, str]) -> Reply:
        if path == "/sns/oauth2/access_token" and method == "GET":
            return self.token(query)
        if path == "/sns/userinfo" and method == "GET":
            return self.userinfo(query)
        return Reply(404, b"Not Found")

    @staticmethod
    def json(data: dict[str, Any]) -> Reply:
        return Reply(200, json.dumps(data, ensure_ascii=False).encode(), "text/plain")

    def error(self, number: int, message: str) -> Reply:
        return self.json({"errcode": number, "errmsg": f"{message}, rid: {secrets.token_hex(4)}"})

    def token(self, query: dict[str, str]) -> Reply:
        checks = [
            (bool(query.get("appid")), 41002, "appid missing"),
            (bool(query.get("secret")), 41004, "appsecret missing"),
            (bool(query.get("code")), 41008, "missing code"),
            (query.get("grant_type") == "authorization_code", 40002, "invalid grant_type"),
            (query.get("appid") == self.client_id, 40013, "invalid appid"),
            (query.get("secret") == self.client_secret, 40125, "invalid appsecret"),
        ]
        for ok, number, message in checks:
            if not ok:
                return self.error(number, message)
        token, why = self.redeem(query["code"], None)
        if token is None:
            return self.error(40163, "code been used") if why == "reused" else self.error(40029, "invalid code")
        user = self.token_user(token) or ""
        return self.json(
            {
                "access_token": token,
                "expires_in": 7200,
                "refresh_token": secrets.token_hex(16),
                "openid": self.account_id(user),
                "scope": "snsapi_login",
                "unionid": self.union_id(user),
            }
        )

    def userinfo(self, query: dict[str, str]) -> Reply:
        user = self.token_user(query.get("access_token", ""))
        if user is None:
            return self.error(40001, "invalid credential, access_token is invalid or not latest")
        if query.get("openid") != self.account_id(user):
            return self.error(40003, "invalid openid")
        return self.json(
            {
                "openid": self.account_id(user),
                "nickname": user,
                "sex": 0,
                "province": "",
                "city": "",
                "country": "",
                "headimgurl": "",
                "privilege": [],
                "unionid": self.union_id(user),
            }
        )


class _Handler(BaseHTTPRequestHandler):
    """Hands each request to the fake that owns the server."""

    server_version = "FakeOAuth/1.0"

    def do_GET(self) -> None:
        self._reply("GET")

    def do_POST(self) -> None:
        self._reply("POST")

    def _reply(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        form: dict[str, str] = {}
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        fake: FakeProvider = self.server.fake  # type: ignore[attr-defined]
        reply = fake.answer(method, parts.path, query, form)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if reply.location:
            self.send_header("Location", reply.location)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)
