"""Config loading: good files give a Config, every bad value gives one line naming its key."""

from __future__ import annotations

import copy
import datetime
import logging
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from kiwibot.__main__ import main
from kiwibot.config import (
    AccessConfig,
    Config,
    ConfigError,
    DigestConfig,
    EncryptionConfig,
    LimitsConfig,
    ReportsConfig,
    RolesConfig,
    RoomsConfig,
    WebConfig,
    load_config,
    parse_config,
)

REPO = Path(__file__).resolve().parents[2]
SECRET = "Geheim-Passwort-1234"
ENV = {"KIWIBOT_PASSWORD": SECRET}

MINIMAL: dict[str, Any] = {
    "homeserver": "https://matrix.example.org",
    "user_id": "@kiwibot:example.org",
    "rooms": {"programme": "!abc:example.org", "digest": "#kiwi:example.org"},
}


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def parse(overrides: dict[str, Any] | None = None, env: dict[str, str] | None = None, **kw: Any) -> Config:
    data = copy.deepcopy(MINIMAL)
    data.update(overrides or {})
    data.update(kw)
    return parse_config(data, Path("/srv/kiwi"), ENV if env is None else env)


def problems(overrides: dict[str, Any] | None = None, env: dict[str, str] | None = None, **kw: Any) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as info:
        parse(overrides, env, **kw)
    return info.value.problems


def only_problem(overrides: dict[str, Any] | None = None, **kw: Any) -> str:
    found = problems(overrides, **kw)
    assert len(found) == 1, found
    return found[0]


# --- good configurations ------------------------------------------------------------------------


def test_example_file_loads_with_env_password() -> None:
    config = load_config(REPO / "config.example.yaml", env=ENV)
    assert config.homeserver == "https://matrix.example.org"
    assert config.user_id == "@kiwibot:example.org"
    assert config.password == SECRET
    assert config.database == REPO / "kiwibot.db"
    assert config.digest.time == datetime.time(8, 0)
    assert config.rooms.programme.startswith("#") and config.rooms.digest.startswith("#")


def test_example_file_mentions_every_key() -> None:
    text = (REPO / "config.example.yaml").read_text(encoding="utf-8")
    for key in (
        *Config.__slots__,
        *RoomsConfig.__slots__,
        *DigestConfig.__slots__,
        *ReportsConfig.__slots__,
        *AccessConfig.__slots__,
        *RolesConfig.__slots__,
        *EncryptionConfig.__slots__,
        *WebConfig.__slots__,
    ):
        assert f"{key}:" in text, key
    assert "# password:" in text and "KIWIBOT_PASSWORD" in text


def test_example_file_without_any_secret_names_the_env_variable() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(REPO / "config.example.yaml", env={})
    assert len(info.value.problems) == 1
    assert "KIWIBOT_PASSWORD" in info.value.problems[0]


def test_minimal_config_gets_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, yaml.safe_dump(MINIMAL))
    config = load_config(path, env=ENV)
    assert config == Config(
        homeserver="https://matrix.example.org",
        user_id="@kiwibot:example.org",
        password=SECRET,
        rooms=RoomsConfig(programme="!abc:example.org", digest="#kiwi:example.org"),
        database=tmp_path / "kiwibot.db",
    )
    assert config.access_token is None
    assert config.device_name == "kiwibot"
    assert config.language == "de"
    assert config.timezone == ZoneInfo("Europe/Berlin")
    assert config.command_prefix == "!"
    assert config.signup_reactions == ("👍",)
    assert config.reminders == (1440, 15)
    assert config.digest == DigestConfig(time=datetime.time(8, 0), days_ahead=7, post_when_empty=False)
    assert config.access == AccessConfig(allowed_servers=(), space=None)
    assert config.roles == RolesConfig(admins=(), patrons=())
    assert config.log_level == "INFO"
    assert config.encryption == EncryptionConfig(enabled=True, store_path=None, trust="tofu")


def test_encryption_section(tmp_path: Path) -> None:
    data = {**MINIMAL, "encryption": {"enabled": False, "store_path": "keys", "trust": "ALL"}}
    config = parse_config(data, tmp_path, ENV)
    assert config.encryption == EncryptionConfig(enabled=False, store_path=tmp_path / "keys", trust="all")
    bad = {**MINIMAL, "encryption": {"enabled": "ja", "store_path": 3, "trust": "nobody", "trst": 1}}
    with pytest.raises(ConfigError) as info:
        parse_config(bad, tmp_path, ENV)
    problems = "\n".join(info.value.problems)
    for key in ("encryption.enabled", "encryption.store_path", "encryption.trust", '"encryption.trust"?'):
        assert key in problems, problems


def test_web_section_defaults_and_values() -> None:
    assert parse().web == WebConfig(True, "127.0.0.1:8080", "http://127.0.0.1:8080")
    web = parse(web={"enabled": False, "listen": "[::1]:9000", "base_url": "https://kiwi.example.org/"}).web
    assert web == WebConfig(False, "[::1]:9000", "https://kiwi.example.org")


@pytest.mark.parametrize(
    ("web", "expected"),
    [
        ({"listen": "8080"}, 'web.listen: got "8080", expected an address and port such as "127.0.0.1:8080"'),
        ({"listen": "localhost:0"}, 'web.listen: got "localhost:0", expected an address and port'),
        ({"listen": "127.0.0.1:70000"}, "web.listen: got"),
        ({"listen": 8080}, "web.listen: got 8080, expected an address and port"),
        ({"base_url": "kiwi.example.org"}, 'web.base_url: got "kiwi.example.org", expected the public http(s) URL'),
        ({"base_url": "https://kiwi.example.org/?x=1"}, "web.base_url: got"),
        ({"enabled": "ja"}, 'web.enabled: got "ja", expected true or false'),
        ({"lisen": "127.0.0.1:8080"}, 'unknown key "web.lisen" (did you mean "web.listen"?)'),
    ],
)
def test_bad_web_values_are_named(web: dict[str, Any], expected: str) -> None:
    assert only_problem(web=web).startswith(expected)


def test_config_is_frozen() -> None:
    config = parse()
    with pytest.raises(AttributeError):
        config.language = "en"  # type: ignore[misc]


def test_relative_database_resolved_against_config_folder(tmp_path: Path) -> None:
    folder = tmp_path / "etc" / "kiwi"
    folder.mkdir(parents=True)
    path = write(folder, yaml.safe_dump({**MINIMAL, "database": "data/kiwi.db"}))
    assert load_config(path, env=ENV).database == folder / "data" / "kiwi.db"


def test_absolute_database_kept(tmp_path: Path) -> None:
    assert parse(database=str(tmp_path / "x.db")).database == tmp_path / "x.db"


def test_homeserver_trailing_slash_stripped() -> None:
    assert parse(homeserver="https://matrix.example.org/").homeserver == "https://matrix.example.org"
    assert parse(homeserver="http://localhost:8008").homeserver == "http://localhost:8008"


def test_full_config_values(tmp_path: Path) -> None:
    text = """
homeserver: "https://matrix.example.org"
user_id: "@kiwibot:example.org"
access_token: "syt_token"
device_name: "kiwi-prod"
language: "en"
timezone: "UTC"
command_prefix: "kw!"
rooms: {programme: "!abc:example.org", digest: "!def:example.org"}
signup_reactions: ["👍", "✅"]
reminders: [15, 60, 1440]
digest: {time: "18:30", days_ahead: 0, post_when_empty: true}
access: {allowed_servers: ["example.org", "localhost:8448"], space: "!space:example.org"}
roles: {admins: ["@anna:example.org"], patrons: ["@ben:example.org", "@cem:other.example"]}
log_level: "debug"
"""
    config = load_config(write(tmp_path, text), env={})
    assert config.password is None and config.access_token == "syt_token"
    assert config.language == "en" and config.timezone == ZoneInfo("UTC")
    assert config.command_prefix == "kw!"
    assert config.signup_reactions == ("👍", "✅")
    assert config.reminders == (1440, 60, 15)  # sorted descending
    assert config.digest == DigestConfig(datetime.time(18, 30), 0, True)
    assert config.access == AccessConfig(("example.org", "localhost:8448"), "!space:example.org")
    assert config.roles == RolesConfig(("@anna:example.org",), ("@ben:example.org", "@cem:other.example"))
    assert config.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [
        ('"08:00"', datetime.time(8, 0)),
        ("08:00", datetime.time(8, 0)),  # leading zero: YAML keeps it a string
        ("8:00", datetime.time(8, 0)),  # YAML 1.1 base 60: the int 480
        ("18:45", datetime.time(18, 45)),  # the int 1125
        ('"0:05"', datetime.time(0, 5)),
        ('"23:59"', datetime.time(23, 59)),
    ],
)
def test_digest_time_forms(tmp_path: Path, yaml_value: str, expected: datetime.time) -> None:
    config = load_config(write(tmp_path, yaml.safe_dump(MINIMAL) + f"digest:\n  time: {yaml_value}\n"), env=ENV)
    assert config.digest.time == expected


def test_empty_sections_and_lists_mean_defaults(tmp_path: Path) -> None:
    text = yaml.safe_dump(MINIMAL) + "digest:\naccess:\n  allowed_servers:\nroles:\n  admins: []\nreminders: []\n"
    config = load_config(write(tmp_path, text), env=ENV)
    assert config.digest == DigestConfig()
    assert config.access == AccessConfig()
    assert config.roles == RolesConfig()
    assert config.reminders == ()


def test_secrets_not_in_repr() -> None:
    config = parse(access_token="syt_very_secret")
    assert SECRET not in repr(config) and "syt_very_secret" not in repr(config)


# --- secrets from the environment ---------------------------------------------------------------


def test_env_fills_password() -> None:
    config = parse(env={"KIWIBOT_PASSWORD": "from-env"})
    assert config.password == "from-env" and config.access_token is None


def test_env_fills_access_token() -> None:
    config = parse(env={"KIWIBOT_ACCESS_TOKEN": "tok-env"})
    assert config.access_token == "tok-env" and config.password is None


def test_file_value_wins_over_env() -> None:
    env = {"KIWIBOT_PASSWORD": "from-env", "KIWIBOT_ACCESS_TOKEN": "tok-env"}
    config = parse(env=env, password="from-file", access_token="tok-file")
    assert config.password == "from-file" and config.access_token == "tok-file"


def test_empty_file_value_falls_back_to_env() -> None:
    assert parse(env={"KIWIBOT_PASSWORD": "from-env"}, password="").password == "from-env"


def test_no_secret_anywhere_is_a_problem() -> None:
    (line,) = problems(env={"KIWIBOT_PASSWORD": ""})
    assert "password" in line and "access_token" in line and "KIWIBOT_ACCESS_TOKEN" in line


def test_load_config_defaults_to_os_environ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIWIBOT_PASSWORD", "os-env")
    monkeypatch.delenv("KIWIBOT_ACCESS_TOKEN", raising=False)
    assert load_config(write(tmp_path, yaml.safe_dump(MINIMAL))).password == "os-env"


@pytest.mark.parametrize("key", ["password", "access_token"])
@pytest.mark.parametrize("value", [12345678, ["Geheim"], {"x": "Geheim"}, True])
def test_secret_value_never_in_message(key: str, value: object) -> None:
    line = only_problem({key: value})
    assert line == f"{key}: got a value of type {type(value).__name__}, expected a string (put it in quotes)"
    assert "12345678" not in line and "Geheim" not in line


def test_secret_never_in_any_message(tmp_path: Path) -> None:
    text = yaml.safe_dump({**MINIMAL, "password": SECRET, "access_token": SECRET, "language": "xx"})
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), env=ENV)
    assert SECRET not in str(info.value) and all(SECRET not in p for p in info.value.problems)


# --- one problem per bad value, naming its key ---------------------------------------------------

BAD_VALUES: list[tuple[dict[str, Any], str]] = [
    ({"homeserver": "matrix.example.org"}, "homeserver: got"),
    ({"homeserver": "ftp://example.org"}, "homeserver: got"),
    ({"homeserver": "https://"}, "homeserver: got"),
    ({"homeserver": "https://ex ample.org"}, "homeserver: got"),
    ({"homeserver": "https://example.org:99999"}, "homeserver: got"),
    ({"homeserver": 5}, "homeserver: got 5,"),
    ({"user_id": "kiwibot"}, "user_id: got"),
    ({"user_id": "@kiwibot"}, "user_id: got"),
    ({"user_id": "@kiwi bot:example.org"}, "user_id: got"),
    ({"device_name": ""}, "device_name: got"),
    ({"device_name": 7}, "device_name: got 7,"),
    ({"database": ""}, "database: got"),
    ({"database": ["a"]}, "database: got a list,"),
    ({"language": "fr"}, 'language: got "fr", expected "de" or "en"'),
    ({"language": False}, "language: got false,"),  # YAML 1.1 turns a bare `no` into false
    ({"timezone": "Europe/Berlinn"}, 'did you mean "Europe/Berlin"?'),
    ({"timezone": "Mars/Olympus"}, "timezone: got"),
    ({"timezone": "../../etc/passwd"}, "timezone: got"),
    ({"timezone": "Europe"}, "timezone: got"),
    ({"timezone": 1}, "timezone: got 1,"),
    ({"command_prefix": ""}, "command_prefix: got"),
    ({"command_prefix": "!!!!"}, "command_prefix: got"),
    ({"command_prefix": "! "}, "command_prefix: got"),
    ({"command_prefix": 1}, "command_prefix: got 1,"),
    ({"rooms": {"programme": "kiwi", "digest": "#kiwi:example.org"}}, "rooms.programme: got"),
    ({"rooms": {"programme": "!abc:example.org", "digest": "#kiwi"}}, "rooms.digest: got"),
    ({"rooms": {"programme": "!abc:example.org", "digest": 3}}, "rooms.digest: got 3,"),
    ({"rooms": {"programme": "!abc:example.org"}}, "rooms.digest: missing, expected a room id"),
    ({"rooms": "!abc:example.org"}, "rooms: got"),
    ({"signup_reactions": []}, "signup_reactions: got an empty list, expected a non-empty list"),
    ({"signup_reactions": "👍"}, 'signup_reactions: got "👍"'),
    ({"signup_reactions": ["👍", ""]}, "signup_reactions[1]: got"),
    ({"signup_reactions": ["👍", 5]}, "signup_reactions[1]: got 5,"),
    ({"reminders": "15"}, 'reminders: got "15", expected a list'),
    ({"reminders": [15, "soon"]}, 'reminders[1]: got "soon", expected a whole number of minutes (1–43200)'),
    ({"reminders": [0]}, "reminders[0]: got 0,"),
    ({"reminders": [43201]}, "reminders[0]: got 43201,"),
    ({"reminders": [1.5]}, "reminders[0]: got 1.5,"),
    ({"reminders": [True]}, "reminders[0]: got true,"),
    ({"reminders": [15, 60, 15]}, "reminders[2]: got 15 a second time"),
    ({"digest": 5}, "digest: got 5, expected a mapping"),
    ({"digest": {"time": "8 Uhr"}}, 'digest.time: got "8 Uhr", expected a time as "HH:MM", e.g. "08:00"'),
    ({"digest": {"time": "24:00"}}, "digest.time: got"),
    ({"digest": {"time": "12:60"}}, "digest.time: got"),
    ({"digest": {"time": 8}}, "digest.time: got 8,"),  # a bare hour, not base-60
    ({"digest": {"time": 1440}}, "digest.time: got 1440,"),
    ({"digest": {"time": True}}, "digest.time: got true,"),
    ({"digest": {"days_ahead": 61}}, "digest.days_ahead: got 61, expected a whole number of days (0–60)"),
    ({"digest": {"days_ahead": -1}}, "digest.days_ahead: got -1,"),
    ({"digest": {"days_ahead": True}}, "digest.days_ahead: got true,"),
    ({"digest": {"days_ahead": "7"}}, 'digest.days_ahead: got "7",'),
    ({"digest": {"post_when_empty": "yes"}}, 'digest.post_when_empty: got "yes", expected true or false'),
    ({"digest": {"post_when_empty": 1}}, "digest.post_when_empty: got 1,"),
    ({"access": []}, "access: got an empty list,"),
    ({"access": ["x"]}, "access: got a list,"),
    ({"access": {"allowed_servers": "example.org"}}, 'access.allowed_servers: got "example.org"'),
    ({"access": {"allowed_servers": ["https://example.org"]}}, "access.allowed_servers[0]: got"),
    ({"access": {"allowed_servers": ["example.org", "bad server"]}}, "access.allowed_servers[1]: got"),
    ({"access": {"allowed_servers": ["example.org:0"]}}, "access.allowed_servers[0]: got"),
    ({"access": {"space": "verwaltung"}}, 'access.space: got "verwaltung"'),
    ({"access": {"space": 1}}, "access.space: got 1,"),
    ({"roles": {"admins": ["anna"]}}, 'roles.admins[0]: got "anna", expected a Matrix user id'),
    ({"roles": {"patrons": ["@ben:example.org", "#room:example.org"]}}, "roles.patrons[1]: got"),
    ({"roles": {"patrons": "@ben:example.org"}}, "roles.patrons: got"),
    ({"log_level": "VERBOSE"}, 'log_level: got "VERBOSE", expected "DEBUG", "INFO", "WARNING" or "ERROR"'),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_VALUES, ids=[repr(o) for o, _ in BAD_VALUES])
def test_bad_value_gives_one_line_naming_the_key(overrides: dict[str, Any], expected: str) -> None:
    line = only_problem(overrides)
    assert expected in line
    assert "\n" not in line


@pytest.mark.parametrize("key", ["homeserver", "user_id", "rooms"])
def test_required_key_missing(key: str) -> None:
    data = copy.deepcopy(MINIMAL)
    del data[key]
    with pytest.raises(ConfigError) as info:
        parse_config(data, Path("/srv"), ENV)
    assert info.value.problems == (info.value.problems[0],)
    assert info.value.problems[0].startswith(f"{key}: missing, expected")


def test_missing_room_message_is_exact() -> None:
    line = only_problem(rooms={"digest": "#kiwi:example.org"})
    assert line == 'rooms.programme: missing, expected a room id ("!abc:example.org") or alias ("#kiwi:example.org")'


def test_empty_rooms_reports_both_rooms() -> None:
    found = problems(rooms=None)
    assert [p.split(":")[0] for p in found] == ["rooms.programme", "rooms.digest"]


@pytest.mark.parametrize("room", ["!abc:example.org", "!opaque_v12_id", "#kiwi:localhost:8448", "!a:[::1]:8448"])
def test_room_forms_accepted(room: str) -> None:
    assert parse(rooms={"programme": room, "digest": room}).rooms.programme == room


@pytest.mark.parametrize(
    ("yaml_key", "expected_bad"),
    [("days_ahead: true", "got true"), ("days_ahead: yes", "got true"), ("post_when_empty: 1", "got 1")],
)
def test_bool_and_int_are_not_interchangeable(tmp_path: Path, yaml_key: str, expected_bad: str) -> None:
    path = write(tmp_path, yaml.safe_dump(MINIMAL) + f"digest:\n  {yaml_key}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env=ENV)
    (line,) = info.value.problems
    assert line.startswith("digest.") and expected_bad in line


# --- all problems together ----------------------------------------------------------------------


def test_all_problems_reported_together(tmp_path: Path) -> None:
    text = """
homeserver: "matrix.example.org"
user_id: "@kiwibot:example.org"
language: "fr"
rooms:
  programme: "!abc:example.org"
reminders: [15, "soon"]
digest:
  time: "8 Uhr"
  days_ahead: true
remindrs: [5]
"""
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), env={})
    found = info.value.problems
    keys = [
        "homeserver:",
        "password / access_token:",
        "language:",
        "rooms.digest:",
        "reminders[1]:",
        "digest.time:",
        "digest.days_ahead:",
        'unknown key "remindrs"',
    ]
    for key in keys:
        assert sum(p.startswith(key) for p in found) == 1, (key, found)
    assert len(found) == len(keys)
    message = str(info.value)
    assert f"({len(keys)} problems)" in message and str(tmp_path / "config.yaml") in message
    assert all(p in message for p in found)


# --- unknown keys -------------------------------------------------------------------------------


def test_unknown_top_level_key_with_suggestion() -> None:
    assert only_problem(remindrs=[15]) == 'unknown key "remindrs" (did you mean "reminders"?)'


def test_unknown_nested_key_with_suggestion() -> None:
    line = only_problem(digest={"day_ahead": 3})
    assert line == 'unknown key "digest.day_ahead" (did you mean "digest.days_ahead"?)'
    line = only_problem(roles={"admin": ["@anna:example.org"]})
    assert line == 'unknown key "roles.admin" (did you mean "roles.admins"?)'


def test_unknown_key_without_suggestion() -> None:
    assert only_problem(colour="blue") == 'unknown key "colour"'
    assert only_problem({1: "x"}) == "unknown key 1"  # type: ignore[dict-item]
    assert only_problem(digest={True: 1}) == 'unknown key true in "digest"'


def test_unknown_room_key() -> None:
    rooms = {"programme": "!a:example.org", "digest": "!b:example.org", "programm": "!c:example.org"}
    assert only_problem(rooms=rooms) == 'unknown key "rooms.programm" (did you mean "rooms.programme"?)'


# --- unreadable files ---------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.yaml", env=ENV)
    (line,) = info.value.problems
    assert "not found" in line and "nope.yaml" in line


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, env=ENV)
    (line,) = info.value.problems
    assert line.startswith("cannot read config file")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"homeserver: \xff\xfe\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env=ENV)
    assert "UTF-8" in info.value.problems[0]


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'homeserver: "https://example.org"\nuser_id: "@a:example.org"\nrooms: [unclosed\n')
    with pytest.raises(ConfigError) as info:
        load_config(path, env=ENV)
    (line,) = info.value.problems
    assert line.startswith("YAML syntax error at line ")
    assert "\n" not in line


def test_yaml_syntax_error_line_number(tmp_path: Path) -> None:
    path = write(tmp_path, "homeserver: x\nuser_id: a: b\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env=ENV)
    assert info.value.problems[0].startswith("YAML syntax error at line 2,")


def test_unquoted_bang_prefix_is_reported_not_raised(tmp_path: Path) -> None:
    # A bare ! is a YAML tag: it parses to an empty value (or fails), never to "!".
    path = write(tmp_path, yaml.safe_dump(MINIMAL) + "command_prefix: !\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env=ENV)
    assert len(info.value.problems) == 1


@pytest.mark.parametrize(("text", "expected"), [("", "empty"), ("- a\n- b\n", "a list"), ("hello\n", '"hello"')])
def test_top_level_not_a_mapping(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), env=ENV)
    (line,) = info.value.problems
    assert expected in line and "expected a mapping" in line


def test_parse_config_rejects_non_mapping() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(["x"], Path("/srv"), ENV)
    assert len(info.value.problems) == 1


def test_duplicate_key_reported(tmp_path: Path) -> None:
    path = write(tmp_path, yaml.safe_dump(MINIMAL) + "reminders: [15]\nreminders: [30]\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env=ENV)
    (line,) = info.value.problems
    assert line.startswith('duplicate key "reminders" at line ')


def test_yaml_merge_keys_are_not_duplicates(tmp_path: Path) -> None:
    text = yaml.safe_dump(MINIMAL) + "digest: &d\n  days_ahead: 3\naccess:\n  space: '#s:example.org'\n"
    text += "roles: {<<: {admins: ['@a:example.org']}, admins: ['@b:example.org']}\n"
    config = load_config(write(tmp_path, text), env=ENV)
    assert config.roles.admins == ("@b:example.org",)


def test_config_error_single_problem_message() -> None:
    error = ConfigError(['language: got "fr", expected "de" or "en"'], Path("/etc/kiwi.yaml"))
    assert str(error) == 'invalid configuration in /etc/kiwi.yaml: language: got "fr", expected "de" or "en"'
    assert error.problems == ('language: got "fr", expected "de" or "en"',)


# --- the wording holds for any value (pydantic's own texts never reach an operator) --------------

ODD_VALUES: list[object] = [None, "", " x ", 0, -1, 1.5, True, [], ["a"], [1, 1], {}, {"a": 1}, "!", "@a:b"]
_LINE = re.compile(r"(unknown key |password / access_token: missing, )|[a-z_]+(\.[a-z_]+)?(\[\d+\])?: (got|missing)")


SECTIONS = {
    "rooms": RoomsConfig,
    "digest": DigestConfig,
    "access": AccessConfig,
    "roles": RolesConfig,
    "limits": LimitsConfig,
    "encryption": EncryptionConfig,
}
EVERY_KEY = [(name,) for name in Config.__slots__] + [
    (name, child) for name, section in SECTIONS.items() for child in section.__slots__
]


@pytest.mark.parametrize("key", EVERY_KEY, ids=".".join)
def test_every_problem_line_is_worded_by_us(key: tuple[str, ...]) -> None:
    for value in [*ODD_VALUES, *([value] for value in ODD_VALUES)]:
        data = copy.deepcopy(MINIMAL)
        target = data
        for part in key[:-1]:
            target = target.setdefault(part, {})
        target[key[-1]] = value
        try:
            parse_config(data, Path("/srv"), {})
        except ConfigError as err:
            for line in err.problems:
                assert _LINE.match(line) and "Input should" not in line and "\n" not in line, (key, value, line)


def test_problems_follow_the_order_of_the_keys() -> None:
    found = problems({"language": "fr", "homeserver": "x", "zzz": 1, "digest": {"time": "x", "tme": 1}}, env={})
    assert [line.split(":")[0].split(" (")[0] for line in found] == [
        'unknown key "zzz"',
        "homeserver",
        "password / access_token",
        "language",
        'unknown key "digest.tme"',
        "digest.time",
    ]


def test_repeated_reminder_reported_beside_a_bad_entry() -> None:
    assert problems(reminders=[15, "bald", 15]) == (
        'reminders[1]: got "bald", expected a whole number of minutes (1–43200)',
        "reminders[2]: got 15 a second time, expected each reminder only once",
    )


def test_secrets_never_in_str_format_or_log(caplog: pytest.LogCaptureFixture) -> None:
    config = parse(password="pw-very-secret", access_token="syt_very_secret")
    logging.getLogger("kiwibot.test").warning("config: %s %r", config, config)
    for text in (str(config), f"{config}", caplog.text):
        assert "very_secret" not in text and "very-secret" not in text
    assert config.password == "pw-very-secret" and config.access_token == "syt_very_secret"  # plain for login


@pytest.mark.parametrize("command", [["run"], ["check"], ["backup", "out.db"]])
def test_every_command_prints_config_problems_alike(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, 'homeserver: "ftp://nope"\nlanguage: "fr"\n')
    assert main([command[0], "--config", str(path), *command[1:]]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"kiwibot: the configuration {path} has problems:",
        '  - homeserver: got "ftp://nope", expected an http(s) URL such as "https://matrix.example.org"',
        '  - user_id: missing, expected the bot\'s Matrix user id such as "@kiwibot:example.org"',
        "  - password / access_token: missing, expected one of them in the file or in the environment variable"
        " KIWIBOT_PASSWORD or KIWIBOT_ACCESS_TOKEN",
        '  - language: got "fr", expected "de" or "en"',
        '  - rooms: missing, expected a mapping with "programme" and "digest" rooms',
    ]
