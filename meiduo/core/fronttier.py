"""Cached public answers served as stored bytes before Django runs: a per-process memory tier in front of the app.

`FrontCache` wraps the WSGI application (config/wsgi.py). For GET/HEAD of a
cached route (meiduo.core.httpcache.CachedRoute: catalog, search, areas, never
anything user-dependent) it reduces the query string to the route's known
parameters, then looks the answer up in a bounded LRU of this process, keyed by
every input that can change the answer or its headers: path, normalised query,
language (chosen exactly as LocaleMiddleware would), scheme and host inputs,
Origin (CORS) and Accept; a request carrying a session cookie (or a malformed
CSRF cookie, which Django replaces) goes to Django. An entry is the status
line, header list and bytes Django sent for that key, so a hit answers with
the very same headers (security headers, CORS, Vary, Content-Language, ETag);
a matching If-None-Match gets the 304 the normal path would send.

An entry is valid while its namespace's shared version (read from the shared
cache at most every CATALOG_VERSION_CHECK_INTERVAL seconds; 0 = every
request) is the one it was built under, and until the shared entry's own
expiry. On a miss the request goes through Django, whose answer is stored
here (and, by meiduo.core.httpcache, in the shared cache) when it is marked
cacheable, is a 200, sets no cookie and varies on nothing outside the key.

A miss need not pay for Django's whole stack either. The headers Django's
middleware adds to a route's answer depend only on the key's inputs other
than path and query (language, host, scheme, Origin, Accept …), so the first
such answer is kept as the route's header template for those inputs. Later
misses with the same inputs call the route's view directly (URL resolved,
language activated, request_started/finished sent as Django's handler sends
them — but no middleware; a view with httpcache.FrontAnswerMixin without
DRF's dispatch either) and answer with the template's headers, the view's
own (Content-Type, ETag, Cache-Control) in place and the body's length.
Whatever is not a cacheable 200 of the view (a 404, a 400, an exception) is
asked again of Django, which answers it with its full stack.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponseBase
from django.http.cookie import parse_cookie
from django.middleware.csrf import InvalidTokenFormat, _check_token_format  # type: ignore[attr-defined]
from django.urls import Resolver404, get_resolver
from django.urls.resolvers import ResolverMatch, URLResolver
from django.utils import translation
from django.utils.translation import get_language_from_request

from meiduo.core import httpcache
from meiduo.core.unavailable import UNAVAILABLE_ERRORS

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

# Request inputs (besides path, query and language) that can change a cached answer or its headers.
KEY_INPUTS = (
    "SCRIPT_NAME",
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_ORIGIN",
    "HTTP_ACCEPT",
)
# Vary tokens covered by the key; an answer varying on anything else is not kept.
KEYED_VARY = frozenset({"accept-language", "origin", "accept"})
# Header templates kept per process (route × language × request inputs: a handful in practice; Origin and Host
# come from clients, so the number is bounded).
MAX_TEMPLATES = 256


@dataclass(frozen=True)
class Entry:
    """One stored answer: what Django sent, and the shared version and wall time bounding its validity."""

    version: int
    expires: float
    status: str
    headers: list[tuple[str, str]]
    not_modified_headers: list[tuple[str, str]]
    body: bytes
    etag: str


@lru_cache(maxsize=512)
def _language(cookie_language: str | None, accept_language: str) -> str:
    """The language LocaleMiddleware activates for this cookie value and Accept-Language header (memoised)."""
    cookies = {} if cookie_language is None else {settings.LANGUAGE_COOKIE_NAME: cookie_language}
    request = SimpleNamespace(COOKIES=cookies, META={"HTTP_ACCEPT_LANGUAGE": accept_language})
    return get_language_from_request(request, check_path=False)  # type: ignore[arg-type]


@lru_cache(maxsize=1024)
def cookie_facts(cookie_header: str) -> tuple[bool, str | None]:
    """Whether Django's headers would depend on these cookies, and the language cookie's value (memoised).

    A session cookie makes SessionMiddleware add `Vary: Cookie` (or delete the
    cookie); a malformed CSRF cookie makes CsrfViewMiddleware send a new one.
    """
    cookies = parse_cookie(cookie_header)
    personal = settings.SESSION_COOKIE_NAME in cookies
    token = cookies.get(settings.CSRF_COOKIE_NAME)
    if token is not None:
        try:
            _check_token_format(token)
        except InvalidTokenFormat:
            personal = True
    return personal, cookies.get(settings.LANGUAGE_COOKIE_NAME)


def request_language(environ: Environ) -> str:
    """The language Django will answer this request in (no i18n URL prefixes are used)."""
    cookie = environ.get("HTTP_COOKIE")
    cookie_language = cookie_facts(cookie)[1] if cookie else None
    return _language(cookie_language, environ.get("HTTP_ACCEPT_LANGUAGE", ""))


def key_inputs() -> tuple[str, ...]:
    """The request inputs (besides path, query and language) that can change an answer's headers, for these
    settings."""
    inputs = list(KEY_INPUTS)
    if settings.SECURE_PROXY_SSL_HEADER and settings.SECURE_PROXY_SSL_HEADER[0] not in inputs:
        inputs.append(settings.SECURE_PROXY_SSL_HEADER[0])
    if settings.DISALLOWED_USER_AGENTS:  # CommonMiddleware answers 403 to these
        inputs.append("HTTP_USER_AGENT")
    return tuple(inputs)


def keepable(headers: list[tuple[str, str]]) -> bool:
    """An answer that sets no cookie and varies only on what the key holds."""
    for name, value in headers:
        lowered = name.lower()
        if lowered == "set-cookie":
            return False
        if lowered == "vary" and not {token.strip().lower() for token in value.split(",")} <= KEYED_VARY:
            return False
    return True


def with_own_headers(template: list[tuple[str, str]], response: HttpResponseBase, body: bytes) -> list[tuple[str, str]]:
    """A view's answer sent with a header template: the template's headers (Django's middleware's, in Django's
    order) with the view's own (Content-Type, ETag, Allow …) in place, and the body's length."""
    own = {name.lower(): (name, value) for name, value in response.items()}
    own.pop("vary", None)  # the template's Vary holds the view's and the middleware's tokens
    own["content-length"] = ("Content-Length", str(len(body)))
    headers = [own.pop(name.lower(), (name, value)) for name, value in template]
    headers.extend(own.values())
    return headers


def answer_of(app: WSGIApp, environ: Environ) -> tuple[str, list[tuple[str, str]], Any, bytes]:
    """Status, headers, exc_info and whole body of the WSGI application's answer to the request."""
    sent: list[Any] = []

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        sent[:] = [status, headers, exc_info]
        return _no_write

    result = app(environ, capture)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers, exc_info = sent
    return status, headers, exc_info, body


def _no_write(data: bytes) -> None:
    """The `write` callable handed to Django, which never uses it (it returns its body)."""
    raise NotImplementedError("the cached tier expects the body as the returned iterable")


def _not_modified_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers of the 304 the normal path sends: the 200's, with no content type and an empty body."""
    return [
        (name, "0" if name.lower() == "content-length" else value)
        for name, value in headers
        if name.lower() != "content-type"
    ]


def _send(
    status: str,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    etag: str,
    if_none_match: str | None,
    start_response: StartResponse,
    not_modified_headers: list[tuple[str, str]] | None = None,
) -> Iterable[bytes]:
    """The 304 Django would send when the client's copy is current (its headers made from the 200's unless
    given), else the 200."""
    if httpcache.etag_matches(if_none_match, etag):
        start_response("304 Not Modified", list(not_modified_headers or _not_modified_headers(headers)))
        return [b""]
    start_response(status, list(headers))
    return [body]


def resolved(path: str) -> ResolverMatch:
    """The URL's match in ROOT_URLCONF, remembered for the most requested paths (resolving one costs 35-45 µs, a
    tenth of an uncached list page). The tiers run outside Django's handler, where no middleware sets a request's
    own URLconf: asking for the thread's (`get_urlconf`, a context-local read) cost 2% of a buy now."""
    return _resolved(get_resolver(), path)


@lru_cache(maxsize=2048)
def _resolved(resolver: URLResolver, path: str) -> ResolverMatch:
    """`resolved`, keyed by the URLconf's resolver, which a changed ROOT_URLCONF replaces."""
    return resolver.resolve(path)


class FrontCache:
    """WSGI middleware: cached public answers from this process's memory, everything else to the wrapped app."""

    def __init__(
        self,
        app: WSGIApp,
        routes: Sequence[httpcache.CachedRoute],
        *,
        max_bytes: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.clock = clock
        self.routes = tuple(routes)
        self.key_inputs = key_inputs()
        self.max_bytes = settings.FRONT_CACHE_MAX_BYTES if max_bytes is None else max_bytes
        self._entries: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._versions: dict[str, tuple[float, int]] = {}
        self._templates: OrderedDict[tuple[Any, ...], list[tuple[str, str]]] = OrderedDict()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        route = self._cacheable_route(environ)
        if route is None:
            return self.app(environ, start_response)
        query = environ.get("QUERY_STRING", "")
        if query:
            environ["QUERY_STRING"] = query = httpcache.normalized_query(query, route.params)
        try:
            current = self._version(route.namespace)
        except UNAVAILABLE_ERRORS:  # the shared cache is down: Django answers (a quick 503 if it must)
            return self.app(environ, start_response)
        environ[httpcache.VERSION_SEEN] = (route.namespace, current)
        key = (environ.get("PATH_INFO"), query, request_language(environ), *map(environ.get, self.key_inputs))
        entry = self._get(key)
        if entry is None or entry.version != current or entry.expires <= time.time():
            template_key = (route.pattern, *key[2:])
            template = self._templates.get(template_key)
            if template is not None:
                answered = self._through_view(key, template, environ, start_response)
                if answered is not None:
                    return answered
            return self._through_django(key, environ, start_response, template_key)
        return self._answer(entry, environ.get("HTTP_IF_NONE_MATCH"), start_response)

    @staticmethod
    def _answer(entry: Entry, if_none_match: str | None, start_response: StartResponse) -> Iterable[bytes]:
        """A stored answer: the 304 Django would send when the client's copy is current, else the 200."""
        return _send(
            entry.status,
            entry.headers,
            entry.body,
            etag=entry.etag,
            if_none_match=if_none_match,
            start_response=start_response,
            not_modified_headers=entry.not_modified_headers,
        )

    def _cacheable_route(self, environ: Environ) -> httpcache.CachedRoute | None:
        """The cached route of a GET/HEAD whose answer depends on nothing outside the key, else None."""
        if environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}:
            return None
        cookie = environ.get("HTTP_COOKIE")
        if cookie and cookie_facts(cookie)[0]:  # Django's answer would carry cookie headers of its own
            return None
        return httpcache.route_for(self.routes, environ.get("PATH_INFO", ""))

    def _version(self, namespace: str) -> int:
        """The namespace's shared version, read again once CATALOG_VERSION_CHECK_INTERVAL seconds have passed."""
        now = self.clock()
        checked = self._versions.get(namespace)
        if checked is not None and now - checked[0] < settings.CATALOG_VERSION_CHECK_INTERVAL:
            return checked[1]
        current = httpcache.version(namespace)
        self._versions[namespace] = (now, current)
        return current

    def _through_django(
        self, key: tuple[Any, ...], environ: Environ, start_response: StartResponse, template_key: tuple[Any, ...]
    ) -> Iterable[bytes]:
        """Let Django answer; keep its answer when it is a cacheable 200 that depends on nothing outside the key,
        and its headers as the route's template for these request inputs.

        Django is asked without If-None-Match, so that a client revalidating its
        copy still brings the full answer into this process; the 304 is then
        made here exactly as Django makes it.
        """
        if_none_match = environ.pop("HTTP_IF_NONE_MATCH", None)
        status, headers, exc_info, body = answer_of(self.app, environ)
        marker = environ.get(httpcache.MARKER)
        if marker is None or not status.startswith("200 "):
            start_response(status, headers, exc_info)
            return [body]
        if keepable(headers):
            with self._lock:
                self._templates[template_key] = list(headers)
                while len(self._templates) > MAX_TEMPLATES:
                    self._templates.popitem(last=False)
        return self._keep(
            key,
            marker=marker,
            status=status,
            headers=headers,
            body=body,
            if_none_match=if_none_match,
            start_response=start_response,
        )

    def _through_view(
        self, key: tuple[Any, ...], template: list[tuple[str, str]], environ: Environ, start_response: StartResponse
    ) -> Iterable[bytes] | None:
        """The route's view answering without Django's middleware, with the template's headers; None when the
        answer is anything but a cacheable 200 (Django then answers the request with its whole stack)."""
        try:
            match = resolved(environ.get("PATH_INFO", ""))
        except Resolver404:
            return None
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        view_environ = {name: value for name, value in environ.items() if name != "HTTP_IF_NONE_MATCH"}
        signals.request_started.send(sender=self.__class__, environ=view_environ)
        try:
            with translation.override(key[2]):
                front_answer = getattr(getattr(match.func, "view_class", None), "front_answer", None)
                if front_answer is not None:  # meiduo.core.httpcache.FrontAnswerMixin: no DRF dispatch
                    response = front_answer(WSGIRequest(view_environ), dict(match.kwargs))
                else:
                    response = match.func(WSGIRequest(view_environ), *match.args, **match.kwargs)
                marker = view_environ.get(httpcache.MARKER)
                if response.status_code != 200 or marker is None or response.cookies:
                    return None
                body = response.content
        except Exception:  # noqa: BLE001 - whatever went wrong, Django's own path answers it (503, 500 …)
            return None
        finally:
            signals.request_finished.send(sender=self.__class__)
        return self._keep(
            key,
            marker=marker,
            status=f"{response.status_code} {response.reason_phrase}",
            headers=with_own_headers(template, response, body),
            body=body,
            if_none_match=if_none_match,
            start_response=start_response,
        )

    def _keep(
        self,
        key: tuple[Any, ...],
        *,
        marker: tuple[str, int, float],
        status: str,
        headers: list[tuple[str, str]],
        body: bytes,
        if_none_match: str | None,
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        """Answer a cacheable 200 (or the 304 it makes), keeping it here while its shared entry lives."""
        _namespace, version, expires = marker
        etag = next((value for name, value in headers if name.lower() == "etag"), "")
        if not (etag and expires > time.time() and keepable(headers)):  # answered once (uncached answers)
            return _send(status, headers, body, etag=etag, if_none_match=if_none_match, start_response=start_response)
        entry = Entry(version, expires, status, list(headers), _not_modified_headers(headers), body, etag)
        self._put(key, entry)
        return self._answer(entry, if_none_match, start_response)

    def _get(self, key: tuple[Any, ...]) -> Entry | None:
        """The entry of the key, now the most recently used."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def _put(self, key: tuple[Any, ...], entry: Entry) -> None:
        """Keep an entry, dropping the least recently used ones beyond `max_bytes`."""
        size = len(entry.body)
        if size > self.max_bytes // 4:  # one huge answer would push out many small ones
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)
