"""A tiny Celery task for the worker test: it writes a file, so the test sees that a real worker ran it."""

from pathlib import Path

from celery import shared_task


@shared_task(name="tests.celery_probe.write_file")
def write_file(path: str, text: str) -> None:
    """Write `text` to `path`."""
    Path(path).write_text(text, encoding="utf-8")
