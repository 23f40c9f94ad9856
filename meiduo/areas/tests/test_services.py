"""Tests of the data file, the data migration's result and the import service (upgrades, cache invalidation)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from meiduo.areas.dataset import dataset_from_pca_code, dataset_read, dataset_write
from meiduo.areas.models import Area
from meiduo.areas.services import area_tree_import

pytestmark = pytest.mark.usefixtures("division_tree")


def test_migration_loaded_the_whole_tree() -> None:
    dataset = dataset_read()
    assert dataset["version"] == "2.7.0"
    assert Area.objects.count() == len(dataset["rows"]) == 3429
    assert Area.objects.filter(parent__isnull=True).count() == 31
    nanshan = Area.objects.select_related("parent__parent").get(pk=440305)
    assert (nanshan.parent.name, nanshan.parent.parent.name) == ("深圳市", "广东省")  # type: ignore[union-attr]


def test_every_division_is_at_most_three_levels_deep() -> None:
    assert not Area.objects.filter(parent__parent__parent__isnull=False).exists()
    assert not Area.objects.filter(parent__parent__isnull=False, subs__isnull=False).exists()


def test_import_is_idempotent() -> None:
    assert area_tree_import(rows=dataset_read()["rows"]) == (0, 0)


def test_import_adds_and_renames_and_refreshes_the_cache(api: APIClient, django_capture_on_commit_callbacks) -> None:
    assert {"id": 440305, "name": "南山区"} in api.get("/api/v1/areas/4403/").json()["subs"]
    rows = [*dataset_read()["rows"], (440399, "新区", 4403)]
    rows = [(code, "南山新区" if code == 440305 else name, parent) for code, name, parent in rows]
    with django_capture_on_commit_callbacks(execute=True):
        assert area_tree_import(rows=rows) == (1, 1)
    subs = api.get("/api/v1/areas/4403/").json()["subs"]
    assert {"id": 440305, "name": "南山新区"} in subs
    assert {"id": 440399, "name": "新区"} in subs


def test_build_data_command_round_trips(tmp_path: Path) -> None:
    tree = [
        {
            "code": "44",
            "name": "广东省",
            "children": [{"code": "4403", "name": "深圳市", "children": [{"code": "440305", "name": "南山区"}]}],
        }
    ]
    source = tmp_path / "pca-code.json"
    source.write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "areas.json"
    call_command("areas_build_data", str(source), "--dataset-version", "9.9.9", "--output", str(out))
    dataset = dataset_read(out)
    assert dataset["version"] == "9.9.9"
    assert dataset["rows"] == [(44, "广东省", None), (4403, "深圳市", 44), (440305, "南山区", 4403)]


def test_write_then_read_keeps_every_row(tmp_path: Path) -> None:
    dataset = dataset_from_pca_code([{"code": "11", "name": "北京市", "children": []}], version="1")
    dataset_write(dataset, tmp_path / "a.json")
    assert dataset_read(tmp_path / "a.json") == dataset


def test_load_command_reports_nothing_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("areas_load")
    assert "0 divisions added, 0 updated" in capsys.readouterr().out
