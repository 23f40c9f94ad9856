"""README.md documents every environment variable the settings and the gunicorn config read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ_PATTERNS = [
    re.compile(r"""env\.(?:str|int|bool|list)\(\s*["']([A-Z][A-Z0-9_]*)["']"""),
    re.compile(r"""os\.environ(?:\.get)?[\(\[]\s*["']([A-Z][A-Z0-9_]*)["']"""),
]


def variables_read() -> set[str]:
    """Names of the environment variables read by config/ and deploy/gunicorn.conf.py."""
    sources = [*ROOT.joinpath("config").rglob("*.py"), ROOT / "deploy" / "gunicorn.conf.py"]
    return {name for path in sources for pattern in READ_PATTERNS for name in pattern.findall(path.read_text())}


def test_every_environment_variable_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = variables_read()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"} <= names  # the scan itself works
    undocumented = sorted(name for name in names if f"`{name}`" not in readme)
    assert undocumented == [], f"add these to README.md (Configure production): {undocumented}"


def test_readme_opens_with_the_two_commands():
    opening = (ROOT / "README.md").read_text(encoding="utf-8")[:400]
    assert "make run" in opening
    assert "make test" in opening


def test_readme_links_every_document():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    unlinked = sorted(path.name for path in (ROOT / "docs").glob("*.md") if f"(docs/{path.name})" not in readme)
    assert unlinked == [], f"link these from README.md (Documentation): {unlinked}"
