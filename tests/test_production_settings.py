"""Production settings refuse an unsafe configuration, and `check --deploy` is clean under a safe one."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(64)


def run_manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py under the production settings with only the given variables set on top of a clean env."""
    unset = {"SECRET_KEY", "JWT_SIGNING_KEY", "DEBUG", "ALLOWED_HOSTS", "PAYMENT_GATEWAY"}
    clean = {key: value for key, value in os.environ.items() if key not in unset}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "MEIDUO_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "insecure-development-key-change-me"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "x" * 60}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": secrets.token_urlsafe(20)}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "1"}, "DEBUG must be off"),
        ({"SECRET_KEY": GOOD_KEY, "JWT_SIGNING_KEY": "secret"}, "JWT_SIGNING_KEY must be"),
        ({"SECRET_KEY": GOOD_KEY, "JWT_SIGNING_KEY": ""}, "JWT_SIGNING_KEY must be"),
        ({"SECRET_KEY": GOOD_KEY, "JWT_SIGNING_KEY": "ab" * 40}, "JWT_SIGNING_KEY must be"),
    ],
    ids=[
        "missing",
        "empty",
        "default",
        "placeholder",
        "one-character",
        "short",
        "debug-true",
        "debug-1",
        "jwt-secret",
        "jwt-empty",
        "jwt-two-characters",
    ],
)
def test_production_refuses_unsafe_configuration(tmp_path, env, message):
    result = run_manage(tmp_path, "check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_check_deploy_security_is_clean(tmp_path):
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--tag",
        "security",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="shop.example.com",
        PAYMENT_GATEWAY="demo",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_is_clean(tmp_path):
    """Every check (including the API schema's) passes with no warning under production settings."""
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="shop.example.com",
        PAYMENT_GATEWAY="demo",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_media_storage_switches_to_s3_by_configuration(tmp_path: Path):
    s3 = run_manage(
        tmp_path,
        "shell",
        "-c",
        "from django.core.files.storage import default_storage as s; print(s.bucket_name, s.location)",
        SECRET_KEY=GOOD_KEY,
        PAYMENT_GATEWAY="demo",
        MEDIA_STORAGE="s3",
        S3_BUCKET="shop-media",
    )
    assert s3.returncode == 0, s3.stderr
    assert s3.stdout.split()[-2:] == ["shop-media", "media"]


def test_unknown_media_storage_refuses_to_start(tmp_path: Path):
    result = run_manage(tmp_path, "check", SECRET_KEY=GOOD_KEY, PAYMENT_GATEWAY="demo", MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be 'local' or 's3'" in result.stderr


def test_production_must_choose_its_payment_gateway(tmp_path: Path):
    result = run_manage(tmp_path, "check", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="shop.example.com")
    assert result.returncode != 0
    assert "Set PAYMENT_GATEWAY in production" in result.stderr


def test_the_guest_cart_cookie_is_secure_in_production(tmp_path):
    result = run_manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CART_COOKIE_SECURE)",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="shop.example.com",
        PAYMENT_GATEWAY="demo",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_production_does_not_install_the_demo_app_unless_it_chose_the_demo_gateway(tmp_path):
    result = run_manage(tmp_path, "help", "load_demo", SECRET_KEY=GOOD_KEY, PAYMENT_GATEWAY="alipay")
    assert result.returncode != 0
    assert "Unknown command" in result.stderr
    chose_demo = run_manage(tmp_path, "help", "load_demo", SECRET_KEY=GOOD_KEY, PAYMENT_GATEWAY="demo")
    assert chose_demo.returncode == 0, chose_demo.stderr


def recipe_environment(*files: str) -> dict[str, str]:
    """The variables of deploy/ environment files as systemd's EnvironmentFile reads them (later files win)."""
    variables: dict[str, str] = {}
    for name in files:
        for line in (ROOT / "deploy" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                key, _equals, value = line.partition("=")
                variables[key.strip()] = value.strip()
    return variables


def test_the_recipes_environment_files_hold_no_usable_key(tmp_path: Path):
    recipe = recipe_environment("env.example", "host.env.example")
    assert set(recipe) & {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"} == {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    result = run_manage(tmp_path, "check", **{**recipe, "MEIDUO_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr  # the example's placeholder is refused: every install sets its own


def test_check_deploy_is_clean_with_the_recipes_environment(tmp_path: Path):
    """deploy/env.example + deploy/host.env.example (the two-host layout), with a real key and Alipay key files."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    from meiduo.payments.keys import private_key_pem, public_key_pem

    (tmp_path / "app.pem").write_text(private_key_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)))
    alipay = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    (tmp_path / "alipay.pem").write_text(public_key_pem(alipay))
    recipe = recipe_environment("env.example", "host.env.example")
    assert recipe["PAYMENT_GATEWAY"] == "alipay" and recipe["MEIDUO_DATA_DIR"] == "/var/lib/meiduo"
    recipe.update(
        SECRET_KEY=GOOD_KEY,
        MEIDUO_DATA_DIR=str(tmp_path),
        ALIPAY_APP_PRIVATE_KEY_FILE=str(tmp_path / "app.pem"),
        ALIPAY_PUBLIC_KEY_FILE=str(tmp_path / "alipay.pem"),
    )
    result = run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **recipe)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
