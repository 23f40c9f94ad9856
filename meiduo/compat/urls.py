"""Routes of /api/compat/: every v1 path, answered by meiduo.compat.views.compat_view."""

from django.urls import re_path

from meiduo.compat import views

urlpatterns = [
    re_path(r"^(?P<path>.*)$", views.compat_view, name="compat"),
]
