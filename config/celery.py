"""The Celery application: reads CELERY_* settings and finds each app's tasks.py.

Loaded by the worker (`celery --app config`) and, in a web process, by the first job it starts
(meiduo.core.jobs): a process that starts none never loads Celery's client (about 6 MB, docs/performance.md).
"""

import os

from celery import Celery

from meiduo.core.observability import job_signals_connect

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("meiduo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
job_signals_connect()
