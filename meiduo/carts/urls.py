"""Routes of the carts app under /api/v1/ (see API.md)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
