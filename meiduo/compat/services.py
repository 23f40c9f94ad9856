"""Static export of the notes' pages: index.html and goods/<sku_id>.html rendered from templates into a folder.

The folder (settings.COMPAT_STATIC_DIR) is served next to front_end_pc by
nginx (docs/compat.md); the pages carry the catalog parts, and the notes'
scripts (js/index.js, js/detail.js) add the cart, comments, history and hot
SKUs with axios. Each detail page's data for those scripts (`price`, `cat`)
is a small goods/<sku_id>.js beside it, so the pages need no inline script.
Operators' descriptions are sanitised (nh3) and every part holding shop data
is v-pre, so Vue never runs text of the catalog as a template. Files are
replaced atomically: nginx never serves half a page.
"""

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nh3
from django.conf import settings
from django.template.loader import render_to_string

from meiduo.core import httpcache
from meiduo.core.dbrouter import primary_reads
from meiduo.core.errors import NotFoundError
from meiduo.goods import selectors
from meiduo.goods.caching import CATALOG
from meiduo.goods.models import SKU

VERSION_FILE = ".catalog-version"


def _write(path: Path, text: str) -> None:
    """Write the file atomically (a temporary file in the same folder, then renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def _absolute(url: str | None) -> str:
    """A shop URL as the front end's origin must load it (COMPAT_SHOP_URL before site paths)."""
    if url and url.startswith("/") and not url.startswith("//"):
        return settings.COMPAT_SHOP_URL.rstrip("/") + url
    return url or ""


def _home_context() -> dict[str, Any]:
    home = selectors.home()
    for items in home["contents"].values():
        for item in items:
            item["image_url"] = _absolute(item["image_url"])
    return home


def static_home_export(*, folder: Path) -> None:
    """Write index.html: the navigation channels and every content slot."""
    _write(folder / "index.html", render_to_string("compat/index.html", _home_context()))


def static_sku_export(*, folder: Path, sku_id: int, channels: dict[str, Any] | None = None) -> bool:
    """Write goods/<sku_id>.html and .js for an on-sale SKU; remove them otherwise. Whether a page was written."""
    page, data = folder / "goods" / f"{sku_id}.html", folder / "goods" / f"{sku_id}.js"
    try:
        detail = selectors.sku_detail(sku_id=sku_id)
    except NotFoundError:
        page.unlink(missing_ok=True)
        data.unlink(missing_ok=True)
        return False
    detail["default_image_url"] = _absolute(detail["default_image_url"])
    detail["images"] = [_absolute(url) for url in detail["images"]]
    for field in ("desc_detail", "desc_pack", "desc_service"):  # operators' rich text: markup kept, scripts dropped
        detail["spu"][field] = nh3.clean(detail["spu"][field] or "")
    context = {
        "sku": detail,
        "categories": selectors.home_channels() if channels is None else channels,
        "script": f"{sku_id}.js",
    }
    _write(page, render_to_string("compat/goods/detail.html", context))
    variables = {"price": detail["price"], "cat": detail["breadcrumb"]["cat3"]["id"]}
    _write(data, "".join(f"var {name} = {json.dumps(value)};\n" for name, value in variables.items()))
    return True


@primary_reads()
def static_pages_export(*, sku_ids: Iterable[int] | None = None) -> int:
    """Export the home page and the detail pages (of `sku_ids`, or of every SKU, dropping stale pages).

    Read on the primary, never a lagging replica: a page keeps what it was written with until the next export.
    Returns how many detail pages were written.
    """
    folder = Path(settings.COMPAT_STATIC_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    static_home_export(folder=folder)
    channels = selectors.home_channels()
    if sku_ids is None:
        wanted = SKU.objects.filter(is_launched=True).order_by("id").values_list("id", flat=True).iterator()
        written = {sku_id for sku_id in wanted if static_sku_export(folder=folder, sku_id=sku_id, channels=channels)}
        for stale in (folder / "goods").glob("*.html"):
            if stale.stem.isdigit() and int(stale.stem) not in written:
                static_sku_export(folder=folder, sku_id=int(stale.stem), channels=channels)
        return len(written)
    return sum(static_sku_export(folder=folder, sku_id=sku_id, channels=channels) for sku_id in sku_ids)


def static_pages_refresh(*, force: bool = False) -> int | None:
    """Re-export every page if the catalog changed since the last export, or when forced (None: nothing to do).

    Every catalog write bumps the catalog's cache version; this compares it with
    the version the folder was last exported under, so any number of writes
    between two runs cost one export (the beat interval is the debounce).
    """
    folder = Path(settings.COMPAT_STATIC_DIR)
    current = str(httpcache.version(CATALOG))
    marker = folder / VERSION_FILE
    if not force and marker.exists() and marker.read_text() == current:
        return None
    written = static_pages_export()
    _write(marker, current)  # the version read before the export: a write during it triggers the next run
    return written
