"""The embedded signing key: random, made once per data folder (0600), never the old public default."""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OLD_PUBLIC_DEFAULT = "insecure-development-key-change-me"
PRINT_KEYS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SECRET_KEY); print(settings.SIMPLE_JWT['SIGNING_KEY'])"
)


def keys_of(data_dir: Path, **env: str) -> list[str]:
    """SECRET_KEY and the JWT signing key that `make run`'s settings load for this data folder."""
    clean = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "JWT_SIGNING_KEY"}}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings.base", MEIDUO_DATA_DIR=str(data_dir), **env)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_KEYS], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.split()


def test_embedded_key_is_random_private_and_kept_per_data_folder(tmp_path):
    first, jwt_key = keys_of(tmp_path / "a")
    assert first != OLD_PUBLIC_DEFAULT
    assert len(first) >= 50
    assert jwt_key == first
    key_file = tmp_path / "a" / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # The same folder keeps its key across restarts (sessions and tokens survive); another folder has its own.
    assert keys_of(tmp_path / "a")[0] == first
    assert keys_of(tmp_path / "b")[0] != first


def test_configured_key_wins_and_no_file_is_made(tmp_path):
    configured = "k" * 30 + "ey-from-the-environment-0123456789"
    assert keys_of(tmp_path, SECRET_KEY=configured)[0] == configured
    assert not (tmp_path / "secret_key").exists()
