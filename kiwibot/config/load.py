"""Read the YAML file, add secrets from the environment, validate, and word every problem for an operator."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from kiwibot.config.fields import PROBLEM, show
from kiwibot.config.model import Config

ENV_PASSWORD = "KIWIBOT_PASSWORD"
ENV_ACCESS_TOKEN = "KIWIBOT_ACCESS_TOKEN"
_SECRETS = {"password": ENV_PASSWORD, "access_token": ENV_ACCESS_TOKEN}
_EXPECT_TOP = 'expected a mapping of keys such as "homeserver: https://matrix.example.org"'

_VALIDATOR = TypeAdapter(Config)


class ConfigError(Exception):
    """The configuration cannot be used; `problems` holds one human-readable line per problem."""

    def __init__(self, problems: Iterable[str], path: Path | None = None) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.path = path
        super().__init__(self._message())

    def _message(self) -> str:
        where = f" in {self.path}" if self.path is not None else ""
        if len(self.problems) == 1:
            return f"invalid configuration{where}: {self.problems[0]}"
        lines = [f"invalid configuration{where} ({len(self.problems)} problems):"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


# --- the file -----------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader that notes duplicate keys, which plain YAML would silently resolve to the last one."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[str] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = self.construct_object(key_node)
                if isinstance(key, str | int | float | bool) and key in seen:
                    self.duplicates.append(
                        f"duplicate key {show(key)} at line {key_node.start_mark.line + 1}"
                        " (only one of the values would be used)"
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_config(path: str | Path, env: Mapping[str, str] | None = None) -> Config:
    """Read, parse and validate the config file; `env` (default os.environ) supplies secrets."""
    path = Path(path).expanduser()
    if env is None:
        env = os.environ
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"config file not found: {path}"], path) from None
    except UnicodeDecodeError:
        raise ConfigError([f"config file is not UTF-8 text: {path}"], path) from None
    except OSError as exc:
        raise ConfigError([f"cannot read config file {path}: {exc.strerror or exc}"], path) from None

    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise ConfigError([_yaml_error_line(exc)], path) from None
    except yaml.YAMLError as exc:
        raise ConfigError([f"YAML syntax error: {exc}"], path) from None
    finally:
        loader.dispose()

    if data is None:
        raise ConfigError([f"the config file is empty, {_EXPECT_TOP}"], path)
    try:
        config = parse_config(data, path.absolute().parent, env)
    except ConfigError as exc:
        raise ConfigError([*loader.duplicates, *exc.problems], path) from None
    if loader.duplicates:
        raise ConfigError(loader.duplicates, path)
    return config


def _yaml_error_line(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    what = "; ".join(part for part in (exc.context, exc.problem) if part)
    return f"YAML syntax error{where}: {what or 'cannot parse'}"


# --- validation ---------------------------------------------------------------------------------


def parse_config(data: object, base_dir: Path, env: Mapping[str, str]) -> Config:
    """Validate already-parsed YAML data; relative paths are resolved against `base_dir`.

    A secret the file leaves empty is taken from the environment. Raises ConfigError listing every
    problem found, not just the first. pydantic's own error text is never passed on: it would
    quote the values, secrets included.
    """
    if not isinstance(data, dict):
        raise ConfigError([f"the top level is {show(data)}, {_EXPECT_TOP}"])
    data = {**data}
    for key, variable in _SECRETS.items():
        if data.get(key) in (None, ""):  # absent, empty or "" all mean "not set", like a commented-out line
            data[key] = env.get(variable) or None
    problems: list[tuple[tuple[int, ...], str]] = []
    try:
        config = _VALIDATOR.validate_python(data, context={"base_dir": base_dir})
    except ValidationError as exc:
        problems = [(_position(error["loc"]), _line(error)) for error in exc.errors(include_url=False)]
    if all(data[key] is None for key in _SECRETS):
        problems.append(
            (
                _position(("password",)),
                f"password / access_token: missing, expected one of them in the file or in the environment"
                f" variable {ENV_PASSWORD} or {ENV_ACCESS_TOKEN}",
            )
        )
    if problems:
        raise ConfigError(line for _, line in sorted(problems, key=lambda problem: problem[0]))
    return config


def _position(loc: tuple[int | str, ...]) -> tuple[int, ...]:
    """Sort key giving the order of the keys in Config (as in config.example.yaml), unknown keys first."""
    position = []
    for depth, part in enumerate(loc):
        names = list(_fields_at(loc[:depth]))
        if not names:  # inside a list: the entry's index
            position.append(part if isinstance(part, int) else 0)
        else:
            position.append(names.index(part) if part in names else -1)
    return tuple(position)


def _line(error: ErrorDetails) -> str:
    """One pydantic error as one line naming the key, what it got and what it expects."""
    loc, kind = error["loc"], error["type"]
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        return _unknown_key(loc)
    if kind == "invalid_key":  # e.g. `yes:` or `1:`, which YAML reads as a bool or an int
        where = f' in "{_dotted(loc[:-1])}"' if loc[:-1] else ""
        return f"unknown key {show(error['input'])}{where}"
    if kind in ("missing", "missing_keyword_only_argument"):
        return f"{_dotted(loc)}: missing, expected {_expected_at(loc)}"
    if kind == PROBLEM:
        context: dict[str, Any] = error.get("ctx") or {}
        got = context.get("got") or show(error["input"])
        return f"{_dotted(loc)}: got {got}, expected {context['expected']}"
    return f"{_dotted(loc)}: {error['msg']}"  # unworded (a bug in fields.py); pydantic's msg quotes no value


def _dotted(loc: tuple[int | str, ...]) -> str:
    """("digest", "time") → digest.time; ("reminders", 1) → reminders[1]."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def _fields_at(loc: tuple[int | str, ...]) -> dict[str, Any]:
    """The fields of the config section at `loc` (the top level for an empty one; none inside a list)."""
    fields: dict[str, Any] = getattr(Config, "__pydantic_fields__", {})
    for part in loc:
        fields = getattr(fields[part].annotation, "__pydantic_fields__", {}) if part in fields else {}
    return fields


def _expected_at(loc: tuple[int | str, ...]) -> str:
    info = _fields_at(loc[:-1])[str(loc[-1])]
    return next((m.expects(info.annotation) for m in info.metadata if hasattr(m, "expects")), "a value")


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    prefix = f"{_dotted(loc[:-1])}." if loc[:-1] else ""
    line = f'unknown key "{prefix}{loc[-1]}"'
    close = difflib.get_close_matches(str(loc[-1]), list(_fields_at(loc[:-1])), n=1)
    return f'{line} (did you mean "{prefix}{close[0]}"?)' if close else line
