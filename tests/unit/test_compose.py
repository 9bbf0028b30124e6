"""compose.yaml agrees with the image and the config loader: a wrong name here would fail only at an operator's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from kiwibot.config.load import ENV_ACCESS_TOKEN, ENV_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def service() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert list(compose["services"]) == ["kiwibot"]  # the bot only: the homeserver is the operator's
    bot: dict[str, Any] = compose["services"]["kiwibot"]
    return bot


def test_the_secrets_are_the_variables_the_config_loader_reads() -> None:
    environment = service()["environment"]
    assert set(environment) == {ENV_PASSWORD, ENV_ACCESS_TOKEN}
    assert all(value == f"${{{name}:-}}" for name, value in environment.items())  # from the environment only


def test_volume_port_and_build_argument_are_the_images() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    bot = service()
    assert bot["volumes"] == ["./data:/data"] and 'VOLUME ["/data"]' in dockerfile
    (port,) = bot["ports"]
    assert port.endswith(":8080") and re.search(r"^EXPOSE 8080$", dockerfile, re.MULTILINE)
    assert set(bot["build"]["args"]) == {"EXTRA_CA_CERTS"}
    assert 'ARG EXTRA_CA_CERTS=""' in dockerfile


def test_it_restarts_and_stops_cleanly() -> None:
    bot = service()
    assert bot["restart"] == "unless-stopped"
    assert bot["stop_grace_period"] == "10s"
