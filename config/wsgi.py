"""WSGI entry point used by gunicorn: Django behind the memory tier of cached public answers (meiduo.core.fronttier).

The search word segmenter is loaded here, before the first request (with gunicorn's preload, before the workers
fork, so they share it).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django_application = get_wsgi_application()

# Imported once Django is set up (get_wsgi_application above).
from meiduo.areas.caching import AREA_ROUTES  # noqa: E402
from meiduo.core.fronttier import FrontCache  # noqa: E402
from meiduo.goods.caching import CATALOG_ROUTES  # noqa: E402
from meiduo.search.segment import warm_up  # noqa: E402

warm_up()
application = FrontCache(django_application, routes=[*CATALOG_ROUTES, *AREA_ROUTES])
