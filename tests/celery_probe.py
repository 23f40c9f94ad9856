"""Tiny Celery tasks for the worker test: one writes a file, so the test sees that a real worker ran it; one logs."""

import logging
from pathlib import Path

from celery import shared_task


@shared_task(name="tests.celery_probe.write_file")
def write_file(path: str, text: str) -> None:
    """Write `text` to `path`."""
    Path(path).write_text(text, encoding="utf-8")


@shared_task(name="tests.celery_probe.log_line")
def log_line(text: str) -> None:
    """Log `text` through the shop's logger (its lines carry the id of the request that started the job)."""
    logging.getLogger("meiduo.probe").warning(text)
