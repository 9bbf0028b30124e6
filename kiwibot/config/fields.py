"""The value types of the config file, each with the words an operator reads when a value is wrong.

pydantic does the checking; the `Expect` marker on a type turns whatever pydantic found wrong at that
spot into one "expected …" phrase, so every problem line reads the same whatever check failed.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError, core_schema

MAX_REMINDER_MINUTES = 43200  # 30 days
MAX_DAYS_AHEAD = 60
MAX_RETENTION_DAYS = 3660  # ten years: longer is no deletion concept

PROBLEM = "kiwibot_config"  # the pydantic error type of a problem already worded for the operator

EXPECT_ROOM = 'a room id ("!abc:example.org") or alias ("#kiwi:example.org")'
EXPECT_USER = 'a Matrix user id such as "@anna:example.org"'


def problem(expected: str, got: str | None = None) -> PydanticCustomError:
    """A finished problem: `got` replaces the shown value (for secrets and repeated values)."""
    context = {"expected": expected} if got is None else {"expected": expected, "got": got}
    return PydanticCustomError(PROBLEM, "expected {expected}", context)


def show(value: object) -> str:
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
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.datetime | datetime.date):
        return f"a date ({value.isoformat()})"
    return f"a value of type {type(value).__name__}"


@dataclasses.dataclass(frozen=True)
class Expect:
    """Annotated marker: any problem pydantic finds with this very value reads "expected <text>".

    Problems of entries inside (a list's items, a section's keys) keep their own wording.
    `secret` shows only the type of a wrong value, never the value.
    """

    text: str
    secret: bool = False

    def expects(self, source: object) -> str:
        return self.text

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_wrap_validator_function(self._validate, handler(source))

    def _validate(self, value: object, handler: ValidatorFunctionWrapHandler) -> object:
        try:
            return handler(value)
        except ValidationError as exc:
            if any(error["loc"] or error["type"] == PROBLEM for error in exc.errors()):
                raise
            got = f"a value of type {type(value).__name__}" if self.secret else None
            raise problem(self.text, got) from None


@dataclasses.dataclass(frozen=True)
class Section:
    """Annotated marker for a nested mapping; an empty value (all children commented out) is an empty one."""

    missing: str | None = None  # the words for a missing section, if better than naming its keys

    def expects(self, source: Any) -> str:
        return self.missing or self._keys(source)

    @staticmethod
    def _keys(source: Any) -> str:
        return f"a mapping with the keys {', '.join(field.name for field in dataclasses.fields(source))}"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        expected = self._keys(source)

        def mapping(value: object) -> object:
            if value is None:
                return {}
            if isinstance(value, dict | source):
                return value
            raise problem(expected)

        return core_schema.no_info_before_validator_function(mapping, handler(source))


def _holds(check: Callable[[str], bool]) -> AfterValidator:
    def validate(value: str) -> str:
        if not check(value):
            raise ValueError("no match")
        return value

    return AfterValidator(validate)


# --- Matrix identifiers ---------------------------------------------------------------------------

_SERVER_RE = re.compile(
    r"(?:\[[0-9A-Fa-f:.]{2,45}\]"  # IPv6 literal
    r"|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)"
    r"(?::(?P<port>[0-9]{1,5}))?"
)
_OPAQUE = r"[!-9;-~]+"  # printable ASCII except ":" (historical Matrix localparts allow all of these)
_USER_ID_RE = re.compile(rf"@{_OPAQUE}:(?P<server>.+)")
_ROOM_ID_RE = re.compile(rf"!{_OPAQUE}(?::(?P<server>.+))?")  # room version 12 ids have no server part
_ALIAS_RE = re.compile(r"#[^\s:]+:(?P<server>.+)")


def is_server_name(text: str) -> bool:
    match = _SERVER_RE.fullmatch(text)
    return match is not None and (match["port"] is None or 1 <= int(match["port"]) <= 65535)


def is_user_id(text: str) -> bool:
    """`@localpart:server`."""
    match = _USER_ID_RE.fullmatch(text) if len(text) <= 255 else None
    return match is not None and is_server_name(match["server"])


def is_room(text: str) -> bool:
    """Room id or alias."""
    match = (_ROOM_ID_RE.fullmatch(text) or _ALIAS_RE.fullmatch(text)) if len(text) <= 255 else None
    return match is not None and (match["server"] is None or is_server_name(match["server"]))


def _homeserver(value: str) -> str:
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.port == 0 or re.search(r"\s", url):  # .port raises ValueError beyond 65535
        raise ValueError("bad port or blank")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL")
    if parts.username or parts.query or parts.fragment:
        raise ValueError("user, query or fragment")
    return url


def _listen(value: str) -> str:
    """`host:port` (an IPv6 host in brackets) for the web server to bind; kept as written, checked here."""
    text = value.strip()
    host, port = split_listen(text)
    if not host or not 1 <= port <= 65535:
        raise ValueError("bad address")
    return text


def split_listen(text: str) -> tuple[str, int]:
    """ "127.0.0.1:8080" → ("127.0.0.1", 8080); "[::1]:8080" → ("::1", 8080); ValueError for anything else."""
    match = re.fullmatch(
        r"(?:\[(?P<v6>[0-9A-Fa-f:.]{2,45})\]|(?P<host>[A-Za-z0-9.-]{1,253})):(?P<port>[0-9]{1,5})", text
    )
    if match is None:
        raise ValueError("not host:port")
    return match["v6"] or match["host"], int(match["port"])


# --- time, zone, path -----------------------------------------------------------------------------

_TIME_RE = re.compile(r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})")
EXPECT_ZONE = 'an IANA time zone name such as "Europe/Berlin"'


def _time(value: object) -> datetime.time:
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
    raise ValueError("not a time")


def _zone(value: object) -> ZoneInfo:
    if isinstance(value, ZoneInfo):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError, OSError):
            close = difflib.get_close_matches(value.strip(), sorted(available_timezones()), n=1)
            if close:
                raise problem(f'{EXPECT_ZONE} (did you mean "{close[0]}"?)') from None
    raise ValueError("not a zone")


def _path(value: object, info: ValidationInfo) -> Path:
    """A relative path is relative to the config file's folder (`base_dir` in the validation context)."""
    if isinstance(value, str) and value.strip():
        path = Path(value.strip()).expanduser()
    elif isinstance(value, Path):
        path = value
    else:
        raise ValueError("not a path")
    base_dir = (info.context or {}).get("base_dir")
    return path if path.is_absolute() or base_dir is None else base_dir / path


# --- reminders ------------------------------------------------------------------------------------


def _once_each_longest_first(value: object, handler: ValidatorFunctionWrapHandler) -> tuple[int, ...]:
    """Each lead time once, reported beside the entries' own problems; stored longest first.

    Repeats are found in the raw list, so that a bad entry (which stops the handler) cannot hide them.
    """
    items = value if isinstance(value, list | tuple) else []
    numbers = [m if type(m) is int and 1 <= m <= MAX_REMINDER_MINUTES else None for m in items]
    problems: list[InitErrorDetails] = [
        {"type": problem("each reminder only once", got=f"{m} a second time"), "loc": (i,), "input": m}
        for i, m in enumerate(numbers)
        if m is not None and m in numbers[:i]
    ]
    try:
        minutes: tuple[int, ...] = handler(value)
    except ValidationError as exc:
        if not problems:
            raise
        problems += [
            {"type": problem(**error["ctx"]), "loc": error["loc"], "input": error["input"]}
            for error in exc.errors()
            if error["type"] == PROBLEM  # every entry's problem is: `Minutes` words its own
        ]
    if problems:
        raise ValidationError.from_exception_data("reminders", sorted(problems, key=lambda p: p["loc"]))
    return tuple(sorted(minutes, reverse=True))


def _none_is_empty(value: object) -> object:
    return () if value is None else value


def _not_empty(value: object) -> object:
    if value == []:
        raise ValueError("empty")
    return value


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


# --- the types the config classes use -------------------------------------------------------------

Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
UserId = Annotated[StrictStr, _holds(is_user_id), Expect(EXPECT_USER)]
ServerName = Annotated[
    StrictStr, _holds(is_server_name), Expect('a server name such as "example.org" or "localhost:8448"')
]
Room = Annotated[StrictStr, _holds(is_room), Expect(EXPECT_ROOM)]

Homeserver = Annotated[
    StrictStr, AfterValidator(_homeserver), Expect('an http(s) URL such as "https://matrix.example.org"')
]
BotUserId = Annotated[StrictStr, _holds(is_user_id), Expect('the bot\'s Matrix user id such as "@kiwibot:example.org"')]
Secret = Annotated[StrictStr | None, Expect("a string (put it in quotes)", secret=True)]
DeviceName = Annotated[Text, Expect('a non-empty name, e.g. "kiwibot"')]
DatabasePath = Annotated[Path, PlainValidator(_path), Expect('a file path such as "kiwibot.db"')]
StorePath = Annotated[Annotated[Path, PlainValidator(_path)] | None, Expect('a folder path such as "crypto"')]
Language = Annotated[Literal["de", "en"], BeforeValidator(_lower), Expect('"de" or "en"')]
LogLevel = Annotated[
    Literal["DEBUG", "INFO", "WARNING", "ERROR"],
    BeforeValidator(_upper),
    Expect('"DEBUG", "INFO", "WARNING" or "ERROR"'),
]
Trust = Annotated[Literal["tofu", "all"], BeforeValidator(_lower), Expect('"tofu" or "all"')]
Zone = Annotated[ZoneInfo, PlainValidator(_zone), Expect(EXPECT_ZONE)]
CommandPrefix = Annotated[
    StrictStr, StringConstraints(pattern=r"^\S{1,3}$"), Expect('1 to 3 characters without spaces, in quotes, e.g. "!"')
]
Reactions = Annotated[
    tuple[Annotated[Text, Expect('a non-empty reaction such as "👍"')], ...],
    BeforeValidator(_not_empty),
    Expect('a non-empty list of reactions such as ["👍"]'),
]
Minutes = Annotated[
    StrictInt, Field(ge=1, le=MAX_REMINDER_MINUTES), Expect(f"a whole number of minutes (1–{MAX_REMINDER_MINUTES})")
]
Reminders = Annotated[
    tuple[Minutes, ...],
    WrapValidator(_once_each_longest_first),
    BeforeValidator(_none_is_empty),
    Expect("a list of minutes before the start, e.g. [1440, 15]"),
]
ClockTime = Annotated[datetime.time, PlainValidator(_time), Expect('a time as "HH:MM", e.g. "08:00"')]
DaysAhead = Annotated[StrictInt, Field(ge=0, le=MAX_DAYS_AHEAD), Expect(f"a whole number of days (0–{MAX_DAYS_AHEAD})")]
RetentionDays = Annotated[
    StrictInt, Field(ge=1, le=MAX_RETENTION_DAYS), Expect(f"a whole number of days (1–{MAX_RETENTION_DAYS})")
]
Flag = Annotated[StrictBool, Expect("true or false")]
OptionalRoom = Annotated[
    Annotated[StrictStr, _holds(is_room)] | None, Expect(f"{EXPECT_ROOM}, or nothing (no such room)")
]


def _needs_room(value: bool, info: ValidationInfo) -> bool:
    """`reports.monthly: true` without `reports.room`: the report would have nowhere to go."""
    if value and "room" in info.data and info.data["room"] is None:
        raise problem("false while reports.room is not set (set reports.room to the room the report goes to)")
    return value


ReportsFlag = Annotated[StrictBool, AfterValidator(_needs_room), Expect("true or false")]
Listen = Annotated[
    StrictStr, AfterValidator(_listen), Expect('an address and port such as "127.0.0.1:8080" or "[::1]:8080"')
]
BaseUrl = Annotated[
    StrictStr,
    AfterValidator(_homeserver),
    Expect('the public http(s) URL of the web side such as "https://kiwi.example.org"'),
]
Limit = Annotated[StrictInt, Field(ge=1, le=1000), Expect("a whole number (1–1000)")]
ServerNames = Annotated[
    tuple[ServerName, ...],
    BeforeValidator(_none_is_empty),
    Expect('a list of server names such as ["example.org"]'),
]
Space = Annotated[
    Annotated[StrictStr, _holds(is_room)] | None,
    Expect('a space\'s room id ("!abc:example.org") or alias ("#kiwi:example.org")'),
]
UserIds = Annotated[
    tuple[UserId, ...],
    BeforeValidator(_none_is_empty),
    Expect('a list of Matrix user ids such as ["@anna:example.org"]'),
]
