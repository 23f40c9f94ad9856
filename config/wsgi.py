"""WSGI entry point used by gunicorn; loads the search word segmenter before the first request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

from meiduo.search.segment import warm_up  # noqa: E402 - needs the settings loaded above

warm_up()
