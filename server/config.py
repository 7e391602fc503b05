"""The service's settings, declared once: where data lives, the safety copy, proxies and SMTP.

Each setting comes from, in order: an explicit command-line option, the environment
(`KEEPSAKE_*`), the config file (TOML: `--config`, `KEEPSAKE_CONFIG`, or `DATA_DIR/keepsake-server.toml`
when it exists), then the embedded default. Secrets (a database password inside its URL, the SMTP
password) belong in the environment or the config file, never on a command line, where every user
of the machine can read them in the process list.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from server.db.engine import sqlite_url

DATABASE_ENV = "KEEPSAKE_DATABASE_URL"  # keeps a database password off the command line
STORAGE_ENV = "KEEPSAKE_STORAGE_URL"
COPY_STORAGE_ENV = "KEEPSAKE_COPY_STORAGE_URL"
TRUSTED_PROXIES_ENV = "KEEPSAKE_TRUSTED_PROXIES"  # comma-separated addresses or networks
CONFIG_ENV = "KEEPSAKE_CONFIG"
CONFIG_NAME = "keepsake-server.toml"
SMTP_ENV_PREFIX = "KEEPSAKE_SMTP_"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigError(ValueError):
    """A setting that cannot be used; the message names it."""


@dataclass(frozen=True)
class SmtpSettings:
    """How warning e-mails leave the service. `starttls` upgrades a plain connection (port 587);
    `ssl` connects with TLS from the start (port 465); neither is only for a relay on loopback."""

    host: str
    sender: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    cafile: str | None = None  # a private relay's CA; else the system's certificate store


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    storage_url: str
    copy_storage_url: str | None = None
    trusted_proxies: tuple[Network, ...] = ()
    smtp: SmtpSettings | None = None


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("keepsake-server", appauthor=False))


def resolve(
    data_dir: Path | None,
    database_url: str | None = None,
    storage_url: str | None = None,
    *,
    copy_storage_url: str | None = None,
    trusted_proxies: Iterable[str] = (),
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Explicit options win, then the environment, then the config file, then the defaults."""
    env = os.environ if environ is None else environ
    folder = (data_dir or default_data_dir()).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    file = _read_config(
        config_file or _path(env.get(CONFIG_ENV)) or folder / CONFIG_NAME,
        required=config_file is not None or bool(env.get(CONFIG_ENV)),
    )

    def pick(option: str | None, env_name: str, key: str) -> str | None:
        value = option or env.get(env_name) or file.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{key} must be a string")
        return value or None

    proxies = list(trusted_proxies)
    if not proxies and env.get(TRUSTED_PROXIES_ENV):
        proxies = [p for p in env[TRUSTED_PROXIES_ENV].split(",") if p.strip()]
    if not proxies:
        listed = file.get("trusted_proxies", [])
        if not isinstance(listed, list):
            raise ConfigError("trusted_proxies must be a list of addresses or networks")
        proxies = [str(p) for p in listed]
    return Settings(
        data_dir=folder,
        database_url=pick(database_url, DATABASE_ENV, "database_url")
        or sqlite_url(folder / "keepsake.db"),
        storage_url=pick(storage_url, STORAGE_ENV, "storage_url") or str(folder / "packs"),
        copy_storage_url=pick(copy_storage_url, COPY_STORAGE_ENV, "copy_storage_url"),
        trusted_proxies=parse_networks(proxies),
        smtp=_smtp(env, file.get("smtp", {})),
    )


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """`10.0.0.5`, `10.0.0.0/8`, `::1`: a bare address is a network of one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ConfigError(f"not an IP address or network: {value.strip()!r}") from None
    return tuple(networks)


def _smtp(env: Mapping[str, str], section: Any) -> SmtpSettings | None:
    if not isinstance(section, dict):
        raise ConfigError("[smtp] must be a table")

    def value(name: str) -> Any:
        from_env = env.get(SMTP_ENV_PREFIX + name.upper())
        return from_env if from_env is not None else section.get(name)

    host, sender = value("host"), value("from")
    if not host:
        return None
    if not sender:
        raise ConfigError("SMTP needs a sender address: smtp.from or KEEPSAKE_SMTP_FROM")
    try:
        return SmtpSettings(
            host=str(host),
            sender=str(sender),
            port=int(value("port") or 587),
            starttls=_flag(value("starttls"), default=True),
            ssl=_flag(value("ssl"), default=False),
            username=str(value("username")) if value("username") else None,
            password=str(value("password")) if value("password") else None,
            timeout=float(value("timeout") or 30.0),
            cafile=str(value("cafile")) if value("cafile") else None,
        )
    except ValueError as exc:
        raise ConfigError(f"invalid SMTP setting: {exc}") from None


def _flag(raw: Any, default: bool) -> bool:
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{raw!r} is not a yes/no value")


def _path(text: str | None) -> Path | None:
    return Path(text).expanduser() if text else None


def _read_config(path: Path, required: bool) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            values = tomllib.load(handle)
            mode = os.fstat(handle.fileno()).st_mode
        smtp = values.get("smtp")
        if isinstance(smtp, dict) and smtp.get("password") and mode & 0o077:
            logging.getLogger("keepsake.server").warning(
                "the config file holds the SMTP password and others may read it: chmod 600 it",
                extra={"config": str(path)},
            )
        return values
    except FileNotFoundError:
        if required:
            raise ConfigError(f"the config file {path} does not exist") from None
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the config file {path} is not valid TOML: {exc}") from None
