"""Root URL configuration: /api/v1 (every app's routes), /api/compat, service endpoints, docs and admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from meiduo.compat import views as compat_views
from meiduo.core import views as core_views

# The catalog first: its answers are the most asked for, and a path is matched against the patterns in order.
api_v1 = [
    path("", include("meiduo.goods.urls")),
    path("", include("meiduo.search.urls")),
    path("", include("meiduo.areas.urls")),
    path("", include("meiduo.verifications.urls")),
    path("", include("meiduo.users.urls")),
    path("", include("meiduo.oauth.urls")),
    path("", include("meiduo.addresses.urls")),
    path("", include("meiduo.carts.urls")),
    path("", include("meiduo.orders.urls")),
    path("", include("meiduo.payments.urls")),
    path("", include("meiduo.feedback.urls")),
]
if "meiduo.demo" in settings.INSTALLED_APPS:  # the demo gateway's pages (not installed in production)
    api_v1.append(path("", include("meiduo.demo.urls")))

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", include(api_v1)),
    path("api/compat/", include("meiduo.compat.urls")),  # the notes' front end (docs/compat.md)
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (Content-Security-Policy).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
    re_path(r"^api/", core_views.api_not_found),
    # Not media/private/ (customer messages' attachments): those are served only by views that check who asks.
    re_path(r"^media/(?!private/)(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    # The notes' exported pages (docs/compat.md), for a look; nginx serves them beside front_end_pc in production.
    re_path(r"^compat-pages/(?P<path>.*)$", compat_views.static_page),
    # Last: the storefront's history-mode routes (every page that is not a file, the API or the admin).
    re_path(r"^(?!api/|admin/|static/|media/).*$", core_views.storefront, name="storefront"),
]

handler400 = "meiduo.core.views.bad_request"
handler404 = "meiduo.core.views.not_found"
handler500 = "meiduo.core.views.server_error"
