"""The committed area data file: where it is, how to read it, and how to build it from china-division."""

import json
from pathlib import Path
from typing import Any, TypedDict

DATA_FILE = Path(__file__).resolve().parent / "data" / "areas.json"

AreaRow = tuple[int, str, int | None]


class AreaDataset(TypedDict):
    """The parsed data file: where it came from and the rows, parents before children."""

    source: str
    version: str
    licence: str
    rows: list[AreaRow]


def dataset_read(path: Path = DATA_FILE) -> AreaDataset:
    """Read the compact data file (`rows` are `[code, name, parent_code]`)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    rows = [(int(code), str(name), None if parent is None else int(parent)) for code, name, parent in raw["rows"]]
    return {"source": raw["source"], "version": raw["version"], "licence": raw["licence"], "rows": rows}


def dataset_from_pca_code(tree: list[dict[str, Any]], *, version: str) -> AreaDataset:
    """Flatten china-division's `dist/pca-code.json` (province → city → area) into data file form."""
    rows: list[AreaRow] = []

    def walk(node: dict[str, Any], parent: int | None) -> None:
        code = int(node["code"])
        rows.append((code, node["name"], parent))
        for child in node.get("children", []):
            walk(child, code)

    for province in tree:
        walk(province, None)
    return {
        "source": "china-division (npm) dist/pca-code.json",
        "version": version,
        "licence": "MIT (package.json; the tarball LICENSE file is WTFPL-2.0)",
        "rows": rows,
    }


def dataset_write(dataset: AreaDataset, path: Path = DATA_FILE) -> None:
    """Write the data file compactly: one division per line, so upgrades give readable diffs."""
    lines = [json.dumps(list(row), ensure_ascii=False, separators=(",", ":")) for row in dataset["rows"]]
    head = {key: dataset[key] for key in ("source", "version", "licence")}  # type: ignore[literal-required]
    text = json.dumps(head, ensure_ascii=False)[:-1] + ',"rows":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")
