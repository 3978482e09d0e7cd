"""The example deployment files (deploy/): nginx's configuration passes ``nginx -t`` and the systemd units pass
``systemd-analyze verify`` where those tools are installed (.ci/run installs nginx-light), and a static check of
what they must say runs everywhere. Paths of the example machine (/srv/gonghui, the certificates, the logs) are
pointed at a temporary folder first; nothing else is changed."""

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "union.example.cn")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))  # fmt: skip
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


def test_nginx_conf_says_what_it_must():
    conf = (DEPLOY / "nginx.conf").read_text()
    gunicorn = (ROOT / "gunicorn.conf.py").read_text()
    bind = re.search(r'"GONGHUI_BIND", "([^"]+)"', gunicorn).group(1)
    assert f"server {bind};" in conf  # the upstream is where gunicorn listens
    assert conf.count("{") == conf.count("}")
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf  # SECURE_PROXY_SSL_HEADER
    assert "alias /srv/gonghui/var/staticfiles/;" in conf  # STATIC_ROOT under GONGHUI_VAR_DIR
    assert "$request_uri" not in conf.split("log_format", 1)[1].split(";", 1)[0]  # no query strings logged
    assert "$args" not in conf and "$query_string" not in conf
    assert re.search(r"ssl_protocols TLSv1\.2 TLSv1\.3;", conf)


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed here (.ci/run installs nginx-light)")
def test_nginx_accepts_the_conf(tmp_path):
    cert, key = _self_signed(tmp_path)
    conf = (DEPLOY / "nginx.conf").read_text()
    conf = (conf.replace("/etc/ssl/gonghui/fullchain.pem", str(cert)).replace("/etc/ssl/gonghui/privkey.pem", str(key))
            .replace("/var/log/nginx/", f"{tmp_path}/"))  # fmt: skip
    (tmp_path / "gonghui.conf").write_text(conf)
    (tmp_path / "main.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  include {tmp_path}/gonghui.conf;\n}}\n"
    )
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "main.conf")],  # noqa: S603
                            capture_output=True, text=True, timeout=30)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_units_say_what_they_must():
    assert {u.name for u in UNITS} == {"gonghui-web.service", "gonghui-worker.service"}
    web, worker = (
        (DEPLOY / "systemd" / name).read_text() for name in ("gonghui-web.service", "gonghui-worker.service")
    )
    assert "ExecStart=/srv/gonghui/.venv/bin/gunicorn -c gunicorn.conf.py gonghui.wsgi" in web
    assert "ExecStart=/srv/gonghui/.venv/bin/python manage.py task_worker" in worker
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/gonghui/gonghui.env" in unit  # settings only from the environment
        assert "User=gonghui" in unit and "NoNewPrivileges=true" in unit and "UMask=0077" in unit
        assert re.search(r"^Restart=", unit, re.M)


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed here")
def test_systemd_accepts_the_units(tmp_path):
    venv_bin = Path(sys.executable).parent
    for unit in UNITS:
        text = (unit.read_text().replace("/srv/gonghui/.venv/bin/python", sys.executable)
                .replace("/srv/gonghui/.venv/bin/gunicorn", str(venv_bin / "gunicorn")))  # fmt: skip
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", "--man=no", *(str(tmp_path / u.name) for u in UNITS)],  # noqa: S603
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    problems = [line for line in (result.stdout + result.stderr).splitlines() if "gonghui-" in line]
    assert problems == [], problems
    assert result.returncode == 0, result.stderr
