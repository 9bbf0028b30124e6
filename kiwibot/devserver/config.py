"""What the throwaway Synapse runs with: homeserver.yaml and log.yaml, written without a YAML library."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HEADER = "# Written by kiwibot.devserver; rewritten on every start.\n"
RELAXED = {"per_second": 10000, "burst_count": 10000}
# The rate limits Synapse applies to clients; default values make nio sleep on every 429.
# Nested ones are limited per sub-key.
RATE_LIMITS: dict[str, tuple[str, ...]] = {
    "rc_message": (),
    "rc_registration": (),
    "rc_login": ("address", "account", "failed_attempts"),
    "rc_joins": ("local", "remote"),
    "rc_joins_per_room": (),
    "rc_invites": ("per_room", "per_user", "per_issuer"),
    "rc_room_creation": (),
    "rc_admin_redaction": (),
    "rc_key_requests": (),
    "rc_3pid_validation": (),
    "rc_presence": ("per_user",),
    "rc_media_create": (),
    "rc_profile": (),
    "rc_reports": (),
    "rc_user_directory": (),
    "rc_delayed_event_mgmt": (),
}


def homeserver_config(
    base_dir: Path, *, server_name: str, port: int, shared_secret: str, relaxed_rate_limits: bool
) -> dict[str, Any]:
    """A Synapse on 127.0.0.1:`port` with all its state in `base_dir`, registration by shared secret only."""
    d = base_dir
    config: dict[str, Any] = {
        "server_name": server_name,
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "pid_file": str(d / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(d / "homeserver.db")}},
        "media_store_path": str(d / "media_store"),
        # Synapse creates the key on first start and reuses it after; we never write it.
        "signing_key_path": str(d / f"{server_name}.signing.key"),
        "log_config": str(d / "log.yaml"),
        "registration_shared_secret": shared_secret,
        "report_stats": False,
        "trusted_key_servers": [],
        "enable_registration": False,
        "bcrypt_rounds": 4,  # ~15 ms per registration/login instead of ~0.5 s
        "presence": {"enabled": False},
        "max_upload_size": "10M",
        "url_preview_enabled": False,
    }
    if relaxed_rate_limits:
        for key, sub_keys in RATE_LIMITS.items():
            config[key] = {sub: dict(RELAXED) for sub in sub_keys} if sub_keys else dict(RELAXED)
    return config


def log_config(log_path: Path) -> dict[str, Any]:
    """Synapse's warnings and errors into `log_path`, where a failed start's report reads them."""
    return {
        "version": 1,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {
            "file": {
                "class": "logging.FileHandler",
                "formatter": "plain",
                "filename": str(log_path),
                "encoding": "utf8",
            }
        },
        "root": {"level": "WARNING", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }


def write_config(
    base_dir: Path,
    config_path: Path,
    log_path: Path,
    *,
    server_name: str,
    port: int,
    shared_secret: str,
    relaxed_rate_limits: bool,
) -> None:
    """(Re)write homeserver.yaml (at `config_path`) and log.yaml (in `base_dir`)."""
    config = homeserver_config(
        base_dir,
        server_name=server_name,
        port=port,
        shared_secret=shared_secret,
        relaxed_rate_limits=relaxed_rate_limits,
    )
    config_path.write_text(HEADER + "\n".join(to_yaml(config)) + "\n", encoding="utf-8")
    log_yaml = "\n".join(to_yaml(log_config(log_path))) + "\n"
    (base_dir / "log.yaml").write_text(HEADER + log_yaml, encoding="utf-8")


def to_yaml(mapping: dict[str, Any], indent: int = 0) -> list[str]:
    """Render a config dict as YAML without a YAML library.

    Scalars, lists and flat dicts are written as JSON, which is valid YAML flow syntax and
    quotes paths safely; dicts that contain dicts become block mappings so the file stays readable.
    """
    pad = " " * indent
    lines: list[str] = []
    for key, value in mapping.items():
        if isinstance(value, dict) and any(isinstance(v, dict) for v in value.values()):
            lines.append(f"{pad}{key}:")
            lines.extend(to_yaml(value, indent + 2))
        else:
            lines.append(f"{pad}{key}: {json.dumps(value, ensure_ascii=False)}")
    return lines
