"""Read and validate the YAML configuration file.

The people running kiwibot are administrators, not Python developers, so a bad config must never
end in a traceback: every problem becomes one line naming the key, what was found and what is
expected, and all of them are reported at once so one edit round fixes everything.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml

__all__ = [
    "AccessConfig",
    "Config",
    "ConfigError",
    "DigestConfig",
    "LimitsConfig",
    "RolesConfig",
    "RoomsConfig",
    "load_config",
    "parse_config",
]

ENV_PASSWORD = "KIWIBOT_PASSWORD"
ENV_ACCESS_TOKEN = "KIWIBOT_ACCESS_TOKEN"

LANGUAGES = ("de", "en")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
MAX_REMINDER_MINUTES = 43200  # 30 days
MAX_DAYS_AHEAD = 60


# --- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoomsConfig:
    """Where the bot works: offers are made in `programme`, the daily overview goes to `digest`."""

    programme: str
    digest: str


@dataclass(frozen=True, slots=True)
class DigestConfig:
    """When the daily overview is posted and how far it looks ahead."""

    time: datetime.time = datetime.time(8, 0)
    days_ahead: int = 7
    post_when_empty: bool = False


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """Abuse limits: commands per person and minute, upcoming sessions per giver."""

    commands_per_minute: int = 10
    open_offers_per_user: int = 10


@dataclass(frozen=True, slots=True)
class AccessConfig:
    """Who may use the bot; empty means no restriction by server or space membership."""

    allowed_servers: tuple[str, ...] = ()
    space: str | None = None


@dataclass(frozen=True, slots=True)
class RolesConfig:
    """People with extra rights, by Matrix user id."""

    admins: tuple[str, ...] = ()
    patrons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EncryptionConfig:
    """End-to-end encryption: on by default, since Element opens direct chats encrypted."""

    enabled: bool = True
    store_path: Path | None = None  # None: `crypto/` beside the database
    trust: str = "tofu"  # "tofu": trust each device on first sight; "all": send to every device unverified


def _berlin() -> ZoneInfo:
    return ZoneInfo("Europe/Berlin")


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """The whole validated configuration.

    Keyword-only so the fields can keep the order of the config file despite mixed defaults.
    The secrets are left out of repr() so that logging a Config cannot leak them.
    """

    homeserver: str
    user_id: str
    password: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    device_name: str = "kiwibot"
    database: Path = Path("kiwibot.db")
    language: str = "de"
    timezone: ZoneInfo = field(default_factory=_berlin)
    command_prefix: str = "!"
    rooms: RoomsConfig
    signup_reactions: tuple[str, ...] = ("👍",)
    reminders: tuple[int, ...] = (1440, 15)
    digest: DigestConfig = field(default_factory=DigestConfig)
    access: AccessConfig = field(default_factory=AccessConfig)
    roles: RolesConfig = field(default_factory=RolesConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    encryption: EncryptionConfig = field(default_factory=EncryptionConfig)
    log_level: str = "INFO"


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


# --- loading ------------------------------------------------------------------------------------


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
                        f"duplicate key {_show(key)} at line {key_node.start_mark.line + 1}"
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

_SERVER_RE = re.compile(
    r"(?:\[[0-9A-Fa-f:.]{2,45}\]"  # IPv6 literal
    r"|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)"
    r"(?::(?P<port>[0-9]{1,5}))?"
)
_OPAQUE = r"[!-9;-~]+"  # printable ASCII except ":" (historical Matrix localparts allow all of these)
_USER_ID_RE = re.compile(rf"@{_OPAQUE}:(?P<server>.+)")
_ROOM_ID_RE = re.compile(rf"!{_OPAQUE}(?::(?P<server>.+))?")  # room version 12 ids have no server part
_ALIAS_RE = re.compile(r"#[^\s:]+:(?P<server>.+)")
_TIME_RE = re.compile(r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})")

_EXPECT_TOP = 'expected a mapping of keys such as "homeserver: https://matrix.example.org"'
_EXPECT_ROOM = 'a room id ("!abc:example.org") or alias ("#kiwi:example.org")'
_EXPECT_SPACE = 'a space\'s room id ("!abc:example.org") or alias ("#kiwi:example.org")'
_EXPECT_USER = 'a Matrix user id such as "@anna:example.org"'
_EXPECT_SERVER = 'a server name such as "example.org" or "localhost:8448"'
_EXPECT_TIME = 'a time as "HH:MM", e.g. "08:00"'
_EXPECT_REMINDER = f"a whole number of minutes (1–{MAX_REMINDER_MINUTES})"

_TOP_KEYS = (
    "homeserver",
    "user_id",
    "password",
    "access_token",
    "device_name",
    "database",
    "language",
    "timezone",
    "command_prefix",
    "rooms",
    "signup_reactions",
    "reminders",
    "digest",
    "access",
    "roles",
    "limits",
    "encryption",
    "log_level",
)
_ROOMS_KEYS = ("programme", "digest")
_DIGEST_KEYS = ("time", "days_ahead", "post_when_empty")
_ACCESS_KEYS = ("allowed_servers", "space")
_ROLES_KEYS = ("admins", "patrons")
_LIMITS_KEYS = ("commands_per_minute", "open_offers_per_user")
_ENCRYPTION_KEYS = ("enabled", "store_path", "trust")
TRUST_POLICIES = ("tofu", "all")


class _Missing:
    """Marks a key that is absent, as distinct from one present with an empty (None) value."""


_MISSING = _Missing()


def _show(value: object) -> str:
    """Render a found value for a message: short, YAML-flavoured, never a Python repr of containers."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(text, ensure_ascii=False)
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.datetime | datetime.date):
        return f"a date ({value.isoformat()})"
    return f"a value of type {type(value).__name__}"


def _is_server_name(text: str) -> bool:
    match = _SERVER_RE.fullmatch(text)
    if match is None:
        return False
    port = match.group("port")
    return port is None or 1 <= int(port) <= 65535


def _is_user_id(text: object) -> bool:
    """`@localpart:server`."""
    if not isinstance(text, str) or len(text) > 255:
        return False
    match = _USER_ID_RE.fullmatch(text)
    return match is not None and _is_server_name(match.group("server"))


def _is_room(text: object) -> bool:
    """Room id or alias."""
    if not isinstance(text, str) or len(text) > 255:
        return False
    match = _ROOM_ID_RE.fullmatch(text) or _ALIAS_RE.fullmatch(text)
    if match is None:
        return False
    server = match.group("server")
    return server is None or _is_server_name(server)


class _Checker:
    """Collects problems while reading so that all of them can be reported together."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def bad(self, key: str, value: object, expected: str, *, secret: bool = False) -> None:
        got = f"a value of type {type(value).__name__}" if secret else _show(value)
        self.problems.append(f"{key}: got {got}, expected {expected}")

    def missing(self, key: str, expected: str) -> None:
        self.problems.append(f"{key}: missing, expected {expected}")

    def section(self, data: Mapping[object, object], name: str, known: tuple[str, ...]) -> dict[str, object]:
        """A nested mapping; an empty value (all children commented out) counts as an empty mapping."""
        value = data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad(name, value, f"a mapping with the keys {', '.join(known)}")
            return {}
        self.unknown_keys(value, known, prefix=f"{name}.")
        return value

    def unknown_keys(self, data: Mapping[object, object], known: tuple[str, ...], prefix: str = "") -> None:
        for key in data:
            if isinstance(key, str) and key in known:
                continue
            if not isinstance(key, str):  # e.g. `yes:` or `1:`, which YAML reads as a bool or an int
                where = f' in "{prefix[:-1]}"' if prefix else ""
                self.problems.append(f"unknown key {_show(key)}{where}")
                continue
            line = f'unknown key "{prefix}{key}"'
            close = difflib.get_close_matches(key, known, n=1)
            if close:
                line += f' (did you mean "{prefix}{close[0]}"?)'
            self.problems.append(line)

    # -- typed readers: each returns the default (or None) after recording a problem --

    def text(self, value: object, key: str, expected: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.bad(key, value, expected)
        return None

    def choice(self, value: object, key: str, choices: tuple[str, ...], *, upper: bool) -> str | None:
        if isinstance(value, str):
            normal = value.strip().upper() if upper else value.strip().lower()
            if normal in choices:
                return normal
        quoted = [f'"{c}"' for c in choices]
        self.bad(key, value, f"{', '.join(quoted[:-1])} or {quoted[-1]}")
        return None

    def whole(self, value: object, key: str, low: int, high: int, expected: str) -> int | None:
        # bool is a subclass of int: `days_ahead: true` must not become 1.
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.bad(key, value, expected)
        return None

    def flag(self, value: object, key: str) -> bool | None:
        if isinstance(value, bool):
            return value
        self.bad(key, value, "true or false")
        return None

    def str_list(self, value: object, key: str, expected_list: str) -> list[tuple[str, object]] | None:
        """The entries of a list with their dotted keys; an empty value counts as an empty list."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(key, value, expected_list)
            return None
        return [(f"{key}[{i}]", item) for i, item in enumerate(value)]

    def ids(
        self, value: object, key: str, valid: Callable[[str], bool], expected_list: str, expected: str
    ) -> tuple[str, ...]:
        """A list of identifiers, each checked by `valid`."""
        entries = self.str_list(value, key, expected_list)
        result: list[str] = []
        for item_key, item in entries or []:
            if isinstance(item, str) and valid(item):
                result.append(item)
            else:
                self.bad(item_key, item, expected)
        return tuple(result)


def parse_config(data: object, base_dir: Path, env: Mapping[str, str]) -> Config:
    """Validate already-parsed YAML data; relative paths are resolved against `base_dir`.

    Raises ConfigError listing every problem found, not just the first.
    """
    if not isinstance(data, dict):
        raise ConfigError([f"the top level is {_show(data)}, {_EXPECT_TOP}"])
    check = _Checker()
    check.unknown_keys(data, _TOP_KEYS)

    homeserver = _read_homeserver(check, data.get("homeserver", _MISSING))
    user_id = _read_user_id(check, data.get("user_id", _MISSING))
    password, access_token = _read_secrets(check, data, env)

    device_name = "kiwibot"
    if "device_name" in data:
        device_name = check.text(data["device_name"], "device_name", 'a non-empty name, e.g. "kiwibot"') or ""

    database = _read_database(check, data.get("database", "kiwibot.db"), base_dir)

    language = "de"
    if "language" in data:
        language = check.choice(data["language"], "language", LANGUAGES, upper=False) or language

    timezone = _read_timezone(check, data.get("timezone", "Europe/Berlin"))

    command_prefix = "!"
    if "command_prefix" in data:
        value = data["command_prefix"]
        if isinstance(value, str) and re.fullmatch(r"\S{1,3}", value):
            command_prefix = value
        else:
            check.bad("command_prefix", value, '1 to 3 characters without spaces, in quotes, e.g. "!"')

    rooms = _read_rooms(check, data)

    signup_reactions: tuple[str, ...] = ("👍",)
    if "signup_reactions" in data:
        signup_reactions = _read_reactions(check, data["signup_reactions"])

    reminders: tuple[int, ...] = (1440, 15)
    if "reminders" in data:
        reminders = _read_reminders(check, data["reminders"])

    digest = _read_digest(check, data)
    access = _read_access(check, data)
    roles = _read_roles(check, data)
    limits = _read_limits(check, data)
    encryption = _read_encryption(check, data, base_dir)

    log_level = "INFO"
    if "log_level" in data:
        log_level = check.choice(data["log_level"], "log_level", LOG_LEVELS, upper=True) or log_level

    if check.problems:
        raise ConfigError(check.problems)
    assert homeserver is not None and user_id is not None and rooms is not None and timezone is not None
    return Config(
        homeserver=homeserver,
        user_id=user_id,
        password=password,
        access_token=access_token,
        device_name=device_name,
        database=database,
        language=language,
        timezone=timezone,
        command_prefix=command_prefix,
        rooms=rooms,
        signup_reactions=signup_reactions,
        reminders=reminders,
        digest=digest,
        access=access,
        roles=roles,
        limits=limits,
        encryption=encryption,
        log_level=log_level,
    )


def _read_homeserver(check: _Checker, value: object) -> str | None:
    expected = 'an http(s) URL such as "https://matrix.example.org"'
    if isinstance(value, _Missing):
        check.missing("homeserver", expected)
        return None
    if isinstance(value, str):
        url = value.strip().rstrip("/")
        try:
            parts = urlsplit(url)
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            parts, port_ok = None, False
        if (
            parts is not None
            and port_ok
            and parts.scheme.lower() in ("http", "https")
            and parts.hostname
            and not parts.username
            and not parts.query
            and not parts.fragment
            and not re.search(r"\s", url)
        ):
            return url
    check.bad("homeserver", value, expected)
    return None


def _read_user_id(check: _Checker, value: object) -> str | None:
    expected = 'the bot\'s Matrix user id such as "@kiwibot:example.org"'
    if isinstance(value, _Missing):
        check.missing("user_id", expected)
        return None
    if _is_user_id(value):
        assert isinstance(value, str)
        return value
    check.bad("user_id", value, expected)
    return None


def _read_secrets(
    check: _Checker, data: Mapping[object, object], env: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """File value first, environment as fallback; values never appear in messages."""
    found: list[str | None] = []
    wrong_type = False
    for key, env_name in (("password", ENV_PASSWORD), ("access_token", ENV_ACCESS_TOKEN)):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            check.bad(key, value, "a string (put it in quotes)", secret=True)
            wrong_type = True
            found.append(None)
        elif value:
            found.append(value)
        else:  # absent, empty or "" all mean "not set", like a commented-out line
            found.append(env.get(env_name) or None)
    password, access_token = found
    if password is None and access_token is None and not wrong_type:
        check.problems.append(
            f"password / access_token: missing, expected one of them in the file or in the environment"
            f" variable {ENV_PASSWORD} or {ENV_ACCESS_TOKEN}"
        )
    return password, access_token


def _read_database(check: _Checker, value: object, base_dir: Path) -> Path:
    if isinstance(value, str) and value.strip():
        path = Path(value.strip()).expanduser()
        return path if path.is_absolute() else base_dir / path
    check.bad("database", value, 'a file path such as "kiwibot.db"')
    return base_dir / "kiwibot.db"


def _read_timezone(check: _Checker, value: object) -> ZoneInfo | None:
    expected = 'an IANA time zone name such as "Europe/Berlin"'
    if isinstance(value, str) and value.strip():
        try:
            return ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError, OSError):
            close = difflib.get_close_matches(value.strip(), sorted(available_timezones()), n=1)
            if close:
                expected += f' (did you mean "{close[0]}"?)'
    check.bad("timezone", value, expected)
    return None


def _read_rooms(check: _Checker, data: Mapping[object, object]) -> RoomsConfig | None:
    if "rooms" not in data:
        check.missing("rooms", 'a mapping with "programme" and "digest" rooms')
        return None
    section = check.section(data, "rooms", _ROOMS_KEYS)
    if not isinstance(data["rooms"], dict | None):
        return None
    rooms: dict[str, str] = {}
    for name in _ROOMS_KEYS:
        key = f"rooms.{name}"
        if name not in section:
            check.missing(key, _EXPECT_ROOM)
        elif _is_room(section[name]):
            rooms[name] = str(section[name])
        else:
            check.bad(key, section[name], _EXPECT_ROOM)
    if len(rooms) != len(_ROOMS_KEYS):
        return None
    return RoomsConfig(programme=rooms["programme"], digest=rooms["digest"])


def _read_reactions(check: _Checker, value: object) -> tuple[str, ...]:
    expected_list = 'a non-empty list of reactions such as ["👍"]'
    if not isinstance(value, list) or not value:
        check.bad("signup_reactions", value, expected_list)
        return ()
    result: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            result.append(item.strip())
        else:
            check.bad(f"signup_reactions[{i}]", item, 'a non-empty reaction such as "👍"')
    return tuple(result)


def _read_reminders(check: _Checker, value: object) -> tuple[int, ...]:
    """An empty list is allowed and means no reminders; stored longest lead time first."""
    entries = check.str_list(value, "reminders", "a list of minutes before the start, e.g. [1440, 15]")
    seen: set[int] = set()
    for key, item in entries or []:
        minutes = check.whole(item, key, 1, MAX_REMINDER_MINUTES, _EXPECT_REMINDER)
        if minutes is None:
            continue
        if minutes in seen:
            check.problems.append(f"{key}: got {minutes} a second time, expected each reminder only once")
        seen.add(minutes)
    return tuple(sorted(seen, reverse=True))


def _read_time(check: _Checker, value: object) -> datetime.time | None:
    """Accept "HH:MM", and the int YAML 1.1 makes of an unquoted 8:00 (8*60+0 = 480, base 60).

    Unquoted times from 1:00 on become such ints (values 60..1439); smaller ints cannot come from
    that quirk and are most likely a bare hour like `8`, so they are rejected rather than read as 00:08.
    """
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, str):
        match = _TIME_RE.fullmatch(value.strip())
        if match and int(match["h"]) < 24 and int(match["m"]) < 60:
            return datetime.time(int(match["h"]), int(match["m"]))
    elif isinstance(value, int) and not isinstance(value, bool) and 60 <= value < 24 * 60:
        return datetime.time(value // 60, value % 60)
    check.bad("digest.time", value, _EXPECT_TIME)
    return None


def _read_digest(check: _Checker, data: Mapping[object, object]) -> DigestConfig:
    section = check.section(data, "digest", _DIGEST_KEYS)
    default = DigestConfig()
    time = _read_time(check, section["time"]) if "time" in section else default.time
    days_ahead: int | None = default.days_ahead
    if "days_ahead" in section:
        expected = f"a whole number of days (0–{MAX_DAYS_AHEAD})"
        days_ahead = check.whole(section["days_ahead"], "digest.days_ahead", 0, MAX_DAYS_AHEAD, expected)
    post_when_empty: bool | None = default.post_when_empty
    if "post_when_empty" in section:
        post_when_empty = check.flag(section["post_when_empty"], "digest.post_when_empty")
    # After a problem the placeholder defaults below are never used: parse_config raises.
    return DigestConfig(
        time=time or default.time,
        days_ahead=default.days_ahead if days_ahead is None else days_ahead,
        post_when_empty=bool(post_when_empty),
    )


def _read_limits(check: _Checker, data: Mapping[object, object]) -> LimitsConfig:
    section = check.section(data, "limits", _LIMITS_KEYS)
    default = LimitsConfig()
    values = {}
    for key, high in (("commands_per_minute", 1000), ("open_offers_per_user", 1000)):
        if key in section:
            values[key] = check.whole(section[key], f"limits.{key}", 1, high, f"a whole number (1–{high})")
    return LimitsConfig(
        commands_per_minute=values.get("commands_per_minute") or default.commands_per_minute,
        open_offers_per_user=values.get("open_offers_per_user") or default.open_offers_per_user,
    )


def _read_access(check: _Checker, data: Mapping[object, object]) -> AccessConfig:
    section = check.section(data, "access", _ACCESS_KEYS)
    servers = check.ids(
        section.get("allowed_servers"),
        "access.allowed_servers",
        _is_server_name,
        'a list of server names such as ["example.org"]',
        _EXPECT_SERVER,
    )
    space = section.get("space")
    if space is not None and not _is_room(space):
        check.bad("access.space", space, _EXPECT_SPACE)
        space = None
    return AccessConfig(allowed_servers=servers, space=space if isinstance(space, str) else None)


def _read_roles(check: _Checker, data: Mapping[object, object]) -> RolesConfig:
    section = check.section(data, "roles", _ROLES_KEYS)
    admins, patrons = (
        check.ids(
            section.get(name),
            f"roles.{name}",
            _is_user_id,
            'a list of Matrix user ids such as ["@anna:example.org"]',
            _EXPECT_USER,
        )
        for name in _ROLES_KEYS
    )
    return RolesConfig(admins=admins, patrons=patrons)


def _read_encryption(check: _Checker, data: Mapping[object, object], base_dir: Path) -> EncryptionConfig:
    section = check.section(data, "encryption", _ENCRYPTION_KEYS)
    default = EncryptionConfig()
    enabled = check.flag(section["enabled"], "encryption.enabled") if "enabled" in section else default.enabled
    store: Path | None = None
    if section.get("store_path") is not None:
        value = section["store_path"]
        if isinstance(value, str) and value.strip():
            store = Path(value.strip()).expanduser()
            store = store if store.is_absolute() else base_dir / store
        else:
            check.bad("encryption.store_path", value, 'a folder path such as "crypto"')
    trust = default.trust
    if "trust" in section:
        trust = check.choice(section["trust"], "encryption.trust", TRUST_POLICIES, upper=False) or trust
    return EncryptionConfig(enabled=default.enabled if enabled is None else enabled, store_path=store, trust=trust)
