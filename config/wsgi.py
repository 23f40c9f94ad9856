"""WSGI entry point used by gunicorn: Django behind the write tier of token-authenticated writes
(meiduo.core.frontwrite), behind the memory tier of cached public answers (meiduo.core.fronttier), all behind the
request id layer (meiduo.core.observability: the X-Request-ID header on every answer, the tier's too).

The search word segmenter is loaded here, before the first request (with gunicorn's preload, before the workers
fork, so they share it). PyJWT and DRF are loaded without the optional libraries they would load only because
they are installed (meiduo.core.lean).
"""

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from meiduo.core.lean import import_without

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# Before Django loads the apps: PyJWT without cryptography when tokens are signed with HMAC (reading the setting
# also loads the settings, which keep DRF from loading psycopg on the embedded engines), DRF without requests.
if str(settings.SIMPLE_JWT["ALGORITHM"]).startswith("HS"):
    import_without("jwt", "cryptography")
import_without("rest_framework.compat", "requests")
django_application = get_wsgi_application()

# Imported once Django is set up (get_wsgi_application above).
from meiduo.areas.caching import AREA_ROUTES  # noqa: E402
from meiduo.core.fronttier import FrontCache  # noqa: E402
from meiduo.core.frontwrite import FrontWrites  # noqa: E402
from meiduo.core.observability import request_id_wsgi  # noqa: E402
from meiduo.goods.caching import CATALOG_ROUTES  # noqa: E402
from meiduo.search.segment import warm_up  # noqa: E402


class ShopApplication(FrontCache):
    """The memory tier with each request's id settled first, so that its cached answers carry X-Request-ID too."""

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return request_id_wsgi(super().__call__, environ, start_response)


warm_up()
application = ShopApplication(FrontWrites(django_application), routes=[*CATALOG_ROUTES, *AREA_ROUTES])
