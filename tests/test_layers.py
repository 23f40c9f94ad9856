"""The apps form layers: every import (module level or inside a function) points down, and no two modules import
each other. The order and the rule are described in docs/architecture.md."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "meiduo"
# Lowest first: an app may import the apps before it, never one after it.
LAYERS = [
    "core",
    "areas",
    "verifications",
    "goods",
    "stock",
    "search",
    "carts",
    "users",
    "addresses",
    "orders",
    "payments",
    "oauth",
    "feedback",
    "compat",
    "operations",
    "demo",
]


def app_modules() -> Iterator[tuple[str, str, Path]]:
    """(app, dotted module name, path) of every module of the apps, tests and migrations left out."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        parts = relative.parts
        if "tests" in parts or "migrations" in parts or len(parts) < 3:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield parts[1], name, path


def imported(path: Path, module: str) -> set[str]:
    """Every meiduo module this file imports, wherever the import statement is."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from meiduo.x import module`
    return {name for name in found if name.startswith("meiduo.")}


MODULES = {name: (app, path) for app, name, path in app_modules()}


def test_every_app_has_its_place_in_the_layers():
    apps = {path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists()}
    assert apps == set(LAYERS), "place a new app in LAYERS (and in docs/architecture.md)"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module: str):
    app, path = MODULES[module]
    upward = sorted(
        target
        for target in imported(path, module)
        if target.split(".")[1] in LAYERS and LAYERS.index(target.split(".")[1]) > LAYERS.index(app)
    )
    assert upward == [], f"{module} ({app}) imports higher apps: {upward}"


def test_no_two_modules_import_each_other():
    edges = {
        module: {target for target in imported(path, module) if target in MODULES and target != module}
        for module, (_app, path) in MODULES.items()
    }
    mutual = sorted({tuple(sorted((a, b))) for a, targets in edges.items() for b in targets if a in edges.get(b, ())})
    assert mutual == []


def test_only_tasks_and_the_worker_import_a_tasks_module():
    # Tasks call services, never the other way: a service starts a job by its registered name (core/jobs.py).
    offenders = sorted(
        f"{module} -> {target}"
        for module, (_app, path) in MODULES.items()
        if not module.endswith(".tasks")
        for target in imported(path, module)
        if target.endswith(".tasks") or ".tasks." in target
    )
    assert offenders == []
