"""The shop's URLs plus one view with a bug, for the error-tracking tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as shop_urlpatterns


@csrf_exempt
def failing_view(request: HttpRequest) -> HttpResponse:
    """A bug: every request ends in an unhandled exception (a 500)."""
    raise RuntimeError("boom for the error tracker")


urlpatterns = [path("failing/", failing_view), *shop_urlpatterns]
