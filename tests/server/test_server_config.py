"""Settings come from options, then the environment, then the config file, then defaults; the
SMTP password only ever from the environment or the file."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from server.cli import build_parser, main
from server.config import ConfigError, resolve


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_embedded_defaults(tmp_path: Path) -> None:
    settings = resolve(tmp_path, environ={})
    assert settings.database_url.endswith("keepsake.db") and settings.database_url.startswith(
        "sqlite:///"
    )
    assert settings.storage_url == str(tmp_path.resolve() / "packs")
    assert settings.copy_storage_url is None and settings.smtp is None
    assert settings.trusted_proxies == ()


def test_options_beat_environment_beat_file(tmp_path: Path) -> None:
    write(
        tmp_path / "keepsake-server.toml",
        'storage_url = "/from/file"\ncopy_storage_url = "/copy/from/file"\n'
        'database_url = "sqlite:////from/file.db"\ntrusted_proxies = ["10.0.0.0/8"]\n',
    )
    env = {"KEEPSAKE_STORAGE_URL": "/from/env", "KEEPSAKE_TRUSTED_PROXIES": "192.0.2.1, ::1"}
    settings = resolve(tmp_path, storage_url="/from/option", environ=env)
    assert settings.storage_url == "/from/option"
    assert settings.copy_storage_url == "/copy/from/file"
    assert settings.database_url == "sqlite:////from/file.db"
    assert settings.trusted_proxies == (
        ipaddress.ip_network("192.0.2.1/32"),
        ipaddress.ip_network("::1/128"),
    )
    assert resolve(tmp_path, environ={}).storage_url == "/from/file"
    option = resolve(tmp_path, trusted_proxies=["172.16.0.0/12"], environ=env)
    assert option.trusted_proxies == (ipaddress.ip_network("172.16.0.0/12"),)


def test_smtp_from_file_with_environment_overrides(tmp_path: Path) -> None:
    config = write(
        tmp_path / "other.toml",
        '[smtp]\nhost = "mail.example.org"\nport = 465\nfrom = "Keepsake <k@example.org>"\n'
        'ssl = true\nstarttls = false\nusername = "keepsake"\npassword = "from the file"\n',
    )
    smtp = resolve(tmp_path, config_file=config, environ={}).smtp
    assert smtp is not None
    assert (smtp.host, smtp.port, smtp.ssl, smtp.starttls) == ("mail.example.org", 465, True, False)
    assert (smtp.username, smtp.password) == ("keepsake", "from the file")
    assert "from the file" not in repr(smtp)
    env = {"KEEPSAKE_SMTP_PASSWORD": "from the environment", "KEEPSAKE_SMTP_PORT": "2525"}
    smtp = resolve(tmp_path, config_file=config, environ=env).smtp
    assert smtp is not None and smtp.password == "from the environment" and smtp.port == 2525


@pytest.mark.parametrize(
    ("text", "env", "problem"),
    [
        ("[smtp]\nhost = 'mail.example.org'\n", {}, "sender address"),
        ("trusted_proxies = ['not an address']\n", {}, "not an IP address"),
        ("this is not toml", {}, "not valid TOML"),
        ("[smtp]\nhost='h'\nfrom='f'\nport='many'\n", {}, "invalid SMTP setting"),
        (
            "",
            {"KEEPSAKE_SMTP_HOST": "h", "KEEPSAKE_SMTP_FROM": "f", "KEEPSAKE_SMTP_SSL": "perhaps"},
            "yes/no",
        ),
    ],
)
def test_bad_settings_are_refused_with_a_sentence(
    tmp_path: Path, text: str, env: dict[str, str], problem: str
) -> None:
    config = write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError, match=problem):
        resolve(tmp_path, config_file=config, environ=env)


def test_a_missing_explicit_config_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["admin", "--data-dir", str(tmp_path), "--config", str(tmp_path / "no.toml"), "stats"]
    )
    assert code == 2 and "does not exist" in capsys.readouterr().err


def test_no_secret_is_ever_a_command_line_option() -> None:
    parser = build_parser()
    options = set()
    for action in parser._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        options.update(o for a in action._actions for o in a.option_strings)
    assert not [o for o in options if "password" in o or "secret" in o or "smtp" in o]
    assert {"--trusted-proxy", "--copy-storage-url", "--config"} <= options
