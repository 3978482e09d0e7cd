"""`make prod`'s first step: the environment file of the loopback production mode, and its database.

Writes ``var/prod.env`` once (mode 0600, under var/, never committed) with newly generated keys and the loopback
defaults, and keeps it afterwards: the keys of a database must not change. Creates the PostgreSQL database named
by DATABASE_URL (default postgres://root@127.0.0.1:5432/gonghui_prod) with the C collation if it is missing.
Standard library and psycopg only: it runs before Django is configured."""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = Path(os.environ.get("GONGHUI_PROD_ENV", ROOT / "var" / "prod.env"))
DEFAULTS = {
    "GONGHUI_ENV": "production",
    "DATABASE_URL": "postgres://root@127.0.0.1:5432/gonghui_prod",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CSRF_TRUSTED_ORIGINS": "http://127.0.0.1:8001,http://localhost:8001",
    "GONGHUI_BIND": "127.0.0.1:8001",
    # Loopback without TLS: no redirect to https. Behind nginx with TLS leave both at their defaults.
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "GONGHUI_VAR_DIR": str(ROOT / "var" / "prod"),
}


def generated() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GONGHUI_DATA_KEYS": f"k1:{secrets.token_hex(16)}",
        "GONGHUI_INDEX_KEY": secrets.token_hex(32),
        "GONGHUI_AUDIT_KEYS": f"a1:{secrets.token_hex(32)}",
    }


def read_env(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def write_env(path: Path) -> dict[str, str]:
    values = {name: os.environ.get(name) or value for name, value in DEFAULTS.items()} | generated()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("# Gonghui loopback production mode (make prod). Generated once; keep the keys with the database.\n")
        out.writelines(f"{name}={value}\n" for name, value in values.items())
    return values


def create_database(url: str) -> bool:
    """Creates the database of ``url`` if it does not exist; True if it did now."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                             "LC_CTYPE 'C.UTF-8'").format(sql.Identifier(name)))  # fmt: skip
    return True


def main() -> int:
    if ENV_FILE.exists():
        values = read_env(ENV_FILE)
        print(f"使用已有的环境文件 {ENV_FILE}")
    else:
        values = write_env(ENV_FILE)
        print(f"已生成环境文件 {ENV_FILE}（含新密钥，请妥善备份，切勿提交到代码库）")
    if create_database(values["DATABASE_URL"]):
        print(f"已创建数据库 {urlsplit(values['DATABASE_URL']).path.lstrip('/')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
