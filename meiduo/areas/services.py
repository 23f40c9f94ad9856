"""Writes of areas: load (or upgrade) the division tree from the committed data file."""

from django.db import models, transaction

from meiduo.areas.caching import area_cache_invalidate
from meiduo.areas.dataset import AreaRow


def area_tree_import(*, rows: list[AreaRow], area_model: type[models.Model] | None = None) -> tuple[int, int]:
    """Insert the divisions that are missing and rename/re-parent the changed ones; return (created, updated).

    Divisions absent from `rows` are kept: old addresses may still point at them.
    `area_model` lets the data migration pass its historical model.
    """
    if area_model is None:
        from meiduo.areas.models import Area

        area_model = Area
    manager = area_model._default_manager
    with transaction.atomic():
        existing = {pk: (name, parent) for pk, name, parent in manager.values_list("id", "name", "parent_id")}
        new = [area_model(id=code, name=name, parent_id=parent) for code, name, parent in rows if code not in existing]
        changed = [
            area_model(id=code, name=name, parent_id=parent)
            for code, name, parent in rows
            if code in existing and existing[code] != (name, parent)
        ]
        manager.bulk_create(new, batch_size=500)
        manager.bulk_update(changed, ["name", "parent"], batch_size=500)
    if new or changed:
        transaction.on_commit(area_cache_invalidate)
    return len(new), len(changed)
