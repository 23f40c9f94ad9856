"""Django project configuration package; exposes the Celery app for `celery -A config`."""

from config.celery import app as celery_app

__all__ = ["celery_app"]
