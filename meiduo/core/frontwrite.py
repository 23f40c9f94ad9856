"""Token-authenticated writes (a cart line added, an order placed …) answered without Django's middleware stack.

`FrontWrites` wraps the WSGI application (config/wsgi.py), inside the memory
tier of cached reads (meiduo.core.fronttier), and applies that tier's header
templates to writes: the headers Django's middleware adds to an answer depend
only on the request's inputs (language, host, scheme, Origin, Accept …) and
the answer's status, so Django's first answer of each kind is kept as the
template for that route, method, inputs and status.

A request qualifies when its method is one the route's view lists in
`FrontWriteMixin.front_write_methods`, it carries an Authorization header, no
query string and no session cookie (nor a malformed CSRF cookie), and Django
has already let a request of the same route, method and inputs through its
middleware to the view (a request a middleware refuses — a host not allowed,
plain HTTP where HTTPS is required — never makes a template, so its like
always goes to Django). The view
then runs here: authenticated, permission- and throttle-checked, its body
parsed and its answer rendered as DRF's dispatch does it, but without the
middleware, URL resolving (remembered per path) or content negotiation (the
template was made for the same Accept header, with the default renderer).
The answer goes out with the template's headers for its status.

The view runs once, whatever happens. An outcome the tier cannot send exactly
as Django would — a status it has no template for yet, a cookie set, an
exception DRF does not turn into an answer (a database outage …) — is handed
to Django with the outcome in the environ (`OUTCOME`): the mixin's `dispatch`
then returns that response, or raises that exception, instead of running the
view again, so the middleware adds its headers (or answers its 503) to the
outcome of the one run, and no write is ever done twice.

A view listed here must not depend on the middleware's request state (the
session, a CSRF token, messages): only on its authenticators, permissions,
throttles and the request itself, as DRF views with token authentication do.
"""

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any, ClassVar, cast

from django.core import signals
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404
from django.urls.resolvers import ResolverMatch
from django.utils import translation
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from meiduo.core.fronttier import (
    Environ,
    StartResponse,
    WSGIApp,
    answer_of,
    cookie_facts,
    keepable,
    key_inputs,
    request_language,
    resolved,
    with_own_headers,
)

# Environ key holding the outcome of the view's one run (a response or an exception) when Django is to answer it.
OUTCOME = "meiduo.frontwrite.outcome"
# Environ key set when Django's answer came from the view (not from a middleware refusing the request first: a
# host not allowed, a redirect to HTTPS …): only such an answer makes a template, so the tier only ever runs a
# view for request inputs Django let through to it.
VIEW_REACHED = "meiduo.frontwrite.view_reached"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Route × method × language × request inputs kept per process (a handful in practice; Origin and Host come from
# clients, so the number is bounded).
MAX_TEMPLATES = 256


class FrontWriteMixin(APIView):
    """A DRF view whose `front_write_methods` the write tier may run without Django's middleware (`front_write`),
    and whose `dispatch` answers an outcome the tier hands to Django without running the view again."""

    front_write_methods: ClassVar[frozenset[str]] = frozenset({"POST"})

    @classmethod
    def front_write(cls, request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponseBase:
        """The view's rendered answer, as DRF's dispatch makes it with the default renderer (exceptions DRF
        answers become their answers; any other propagates)."""
        view = cls()
        view.setup(request, **kwargs)  # as as_view() does (HEAD allowed where GET is, …)
        view.headers, view.format_kwarg = view.default_response_headers, None
        drf_request = view.initialize_request(request, **kwargs)
        view.request = drf_request
        renderer = cast("type[BaseRenderer]", api_settings.DEFAULT_RENDERER_CLASSES[0])()
        drf_request.accepted_renderer, drf_request.accepted_media_type = renderer, renderer.media_type
        try:
            # APIView.initial, but for the negotiation: the template was made for this Accept header.
            drf_request.version, drf_request.versioning_scheme = view.determine_version(drf_request, **kwargs)
            view.perform_authentication(drf_request)
            view.check_permissions(drf_request)
            view.check_throttles(drf_request)
            response = getattr(view, str(drf_request.method).lower())(drf_request, **kwargs)
        except Exception as exc:  # noqa: BLE001 - DRF's handler answers it or raises it again, as in dispatch
            response = view.handle_exception(exc)
        answer = view.finalize_response(drf_request, response, **kwargs)
        if isinstance(answer, Response):
            answer.render()
        return answer

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """DRF's dispatch, unless the write tier already ran the view: then its outcome."""
        request.META[VIEW_REACHED] = True
        outcome = request.META.get(OUTCOME)
        if outcome is None:
            return super().dispatch(request, *args, **kwargs)
        if isinstance(outcome, Exception):
            raise outcome
        return cast("HttpResponseBase", outcome)


class FrontWrites:
    """WSGI middleware: qualifying writes run their view here and answer with Django's header template."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.key_inputs = key_inputs()
        self._templates: OrderedDict[tuple[Any, ...], dict[int, list[tuple[str, str]]]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        found = self._front_view(environ)
        if found is None:
            return self.app(environ, start_response)
        match, view_class = found
        key = (match.route, environ["REQUEST_METHOD"], request_language(environ), *map(environ.get, self.key_inputs))
        templates = self._templates.get(key)
        if templates is None:  # Django has not answered this kind of request yet
            return self._through_django(key, environ, start_response)
        outcome = self._run(view_class, match, key[2], environ)
        if isinstance(outcome, HttpResponseBase) and not outcome.cookies:
            template = templates.get(outcome.status_code)
            if template is not None:
                body = outcome.content  # type: ignore[attr-defined]
                start_response(
                    f"{outcome.status_code} {outcome.reason_phrase}", with_own_headers(template, outcome, body)
                )
                return [body]
        environ[OUTCOME] = outcome
        return self._through_django(key, environ, start_response)

    def _front_view(self, environ: Environ) -> tuple[ResolverMatch, type[FrontWriteMixin]] | None:
        """The URL match and view class of a write this tier may run, else None."""
        method = environ.get("REQUEST_METHOD", "")
        if method not in WRITE_METHODS or not environ.get("HTTP_AUTHORIZATION") or environ.get("QUERY_STRING"):
            return None
        cookie = environ.get("HTTP_COOKIE")
        if cookie and cookie_facts(cookie)[0]:  # Django's answer would depend on the session or set a cookie
            return None
        try:
            match = resolved(environ.get("PATH_INFO", ""))
        except Resolver404:
            return None
        view_class = getattr(match.func, "view_class", None)
        if (
            match.args
            or not (isinstance(view_class, type) and issubclass(view_class, FrontWriteMixin))
            or method not in view_class.front_write_methods
        ):
            return None
        return match, view_class

    def _run(
        self, view_class: type[FrontWriteMixin], match: ResolverMatch, language: str, environ: Environ
    ) -> HttpResponseBase | Exception:
        """The outcome of the view's one run: its rendered answer, or the exception it raised."""
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            with translation.override(language):
                return view_class.front_write(WSGIRequest(environ), dict(match.kwargs))
        except Exception as exc:  # noqa: BLE001 - Django answers it (its middleware's 503, or a 500)
            return exc
        finally:
            signals.request_finished.send(sender=self.__class__)

    def _through_django(self, key: tuple[Any, ...], environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """Django's answer (running the view, or answering the outcome in OUTCOME), its headers kept as the
        template for its status when the view gave it and they depend on nothing outside the key."""
        status, headers, exc_info, body = answer_of(self.app, environ)
        if environ.get(VIEW_REACHED) and keepable(headers):
            with self._lock:
                self._templates.setdefault(key, {})[int(status[:3])] = list(headers)
                self._templates.move_to_end(key)
                while len(self._templates) > MAX_TEMPLATES:
                    self._templates.popitem(last=False)
        start_response(status, headers, exc_info)
        return [body]
