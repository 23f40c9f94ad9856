"""Django project configuration package; `celery --app config` finds the Celery app in config/celery.py.

The app is not imported here (Celery's Django recipe does, so that it loads with Django): a web process loads it
with its first job (meiduo.core.jobs), the worker through `--app config`.
"""
