"""The files of deploy/ are valid for the tools that read them: nginx parses the site with either upstream (one
host, two hosts), and systemd accepts every unit. Each test is skipped where its tool is not installed."""

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key for the site's ssl_certificate lines."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "shop.example.com")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
@pytest.mark.parametrize("upstream", ["nginx-upstream.conf", "nginx-upstream-two-hosts.conf"])
def test_nginx_accepts_the_site_with_each_upstream(tmp_path: Path, upstream: str):
    cert, key = self_signed(tmp_path)
    site = (DEPLOY / "nginx.conf").read_text()
    for installed, here in [
        ("/etc/nginx/meiduo-upstream.conf", DEPLOY / upstream),
        ("/etc/ssl/meiduo/fullchain.pem", cert),
        ("/etc/ssl/meiduo/privkey.pem", key),
    ]:
        assert installed in site
        site = site.replace(installed, str(here))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log {tmp_path}/access.log;\n    include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_every_unit(tmp_path: Path):
    """Installed paths point at this checkout (so the commands exist); a template is checked as its instance 1."""
    units = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        installed = tmp_path / unit.name.replace("@.", "@1.")
        installed.write_text(unit.read_text().replace("/srv/meiduo", str(ROOT)))
        units.append(str(installed))
    assert len(units) >= 5
    result = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""  # no unknown key, no missing command
