"""The validated configuration: frozen pydantic dataclasses in the order and with the keys of the file.

pydantic dataclasses (not BaseModel) keep what the rest of the code relies on: plain attribute access,
positional construction, `==`, and `FrozenInstanceError` on assignment.
"""

from __future__ import annotations

import datetime
from dataclasses import field
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import ConfigDict, Field
from pydantic.dataclasses import dataclass

from kiwibot.config.fields import (
    BaseUrl,
    BotUserId,
    ClockTime,
    CommandPrefix,
    DatabasePath,
    DaysAhead,
    DeviceName,
    Flag,
    Homeserver,
    Language,
    Limit,
    Listen,
    LogLevel,
    OptionalRoom,
    Reactions,
    Reminders,
    ReportsFlag,
    RetentionDays,
    Room,
    Secret,
    Section,
    ServerNames,
    Space,
    StorePath,
    Trust,
    UserIds,
    Zone,
)

# Unknown keys are errors (typos must not pass silently); leaves are strict (`days_ahead: "7"` or
# `true` is no number), which the field types say themselves.
_RULES = ConfigDict(extra="forbid")


@dataclass(frozen=True, slots=True, config=_RULES)
class RoomsConfig:
    """Where the bot works: offers are made in `programme`, the daily overview goes to `digest`."""

    programme: Room
    digest: Room


@dataclass(frozen=True, slots=True, config=_RULES)
class DigestConfig:
    """When the daily overview is posted and how far it looks ahead."""

    time: ClockTime = datetime.time(8, 0)
    days_ahead: DaysAhead = 7
    post_when_empty: Flag = False


@dataclass(frozen=True, slots=True, config=_RULES)
class ReportsConfig:
    """The monthly statistics: on the 1st (at the digest time) last month's figures are posted in `room`."""

    room: OptionalRoom = None
    monthly: ReportsFlag = False


@dataclass(frozen=True, slots=True, config=_RULES)
class LimitsConfig:
    """Abuse limits: commands per person and minute, upcoming sessions per giver."""

    commands_per_minute: Limit = 10
    open_offers_per_user: Limit = 10


@dataclass(frozen=True, slots=True, config=_RULES)
class PrivacyConfig:
    """The deletion concept: participants' names go this many days after their session ended (counts stay)."""

    retention_days: RetentionDays = 90


@dataclass(frozen=True, slots=True, config=_RULES)
class AccessConfig:
    """Who may use the bot; empty means no restriction by server or space membership."""

    allowed_servers: ServerNames = ()
    space: Space = None


@dataclass(frozen=True, slots=True, config=_RULES)
class RolesConfig:
    """People with extra rights, by Matrix user id."""

    admins: UserIds = ()
    patrons: UserIds = ()


@dataclass(frozen=True, slots=True, config=_RULES)
class EncryptionConfig:
    """End-to-end encryption: on by default, since Element opens direct chats encrypted."""

    enabled: Flag = True
    store_path: StorePath = None  # None: `crypto/` beside the database
    trust: Trust = "tofu"  # "tofu": trust each device on first sight; "all": send to every device unverified


@dataclass(frozen=True, slots=True, config=_RULES)
class WebConfig:
    """The web side (calendar feeds, programme page): where it listens and the public URL links use."""

    enabled: Flag = True
    listen: Listen = "127.0.0.1:8080"  # behind a reverse proxy that adds TLS
    base_url: BaseUrl = "http://127.0.0.1:8080"


def _berlin() -> ZoneInfo:
    return ZoneInfo("Europe/Berlin")


@dataclass(frozen=True, slots=True, kw_only=True, config=_RULES)
class Config:
    """The whole validated configuration.

    Keyword-only so the fields can keep the order of the config file despite mixed defaults.
    The secrets are plain strings for the login calls but left out of repr() and str(), so that
    logging a Config cannot leak them; no problem line ever shows their value either.
    """

    homeserver: Homeserver
    user_id: BotUserId
    password: Secret = field(default=None, repr=False)
    access_token: Secret = field(default=None, repr=False)
    device_name: DeviceName = "kiwibot"
    database: DatabasePath = Field(default=Path("kiwibot.db"), validate_default=True)
    language: Language = "de"
    timezone: Zone = field(default_factory=_berlin)
    command_prefix: CommandPrefix = "!"
    rooms: Annotated[RoomsConfig, Section(missing='a mapping with "programme" and "digest" rooms')]
    signup_reactions: Reactions = ("👍",)
    reminders: Reminders = (1440, 15)
    digest: Annotated[DigestConfig, Section()] = field(default_factory=DigestConfig)
    reports: Annotated[ReportsConfig, Section()] = field(default_factory=ReportsConfig)
    access: Annotated[AccessConfig, Section()] = field(default_factory=AccessConfig)
    roles: Annotated[RolesConfig, Section()] = field(default_factory=RolesConfig)
    limits: Annotated[LimitsConfig, Section()] = field(default_factory=LimitsConfig)
    privacy: Annotated[PrivacyConfig, Section()] = field(default_factory=PrivacyConfig)
    encryption: Annotated[EncryptionConfig, Section()] = field(default_factory=EncryptionConfig)
    web: Annotated[WebConfig, Section()] = field(default_factory=WebConfig)
    log_level: LogLevel = "INFO"
