"""What the bot wants to say, before it is said: catalogue keys with typed parameters.

The core decides *what* to say as values; each chat platform's renderer turns them into that platform's
messages (escaping, mentions, links to posts) in the reader's language. Keeping them values keeps the core
free of HTML and of any one platform.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TypeAlias


@dataclass(frozen=True, slots=True)
class Msg:
    """A catalogue message: `key` names the template, `params` fill it."""

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, **params: Param) -> Msg:
        """Parameters as keywords read like the template they fill."""
        return cls(key, params)


@dataclass(frozen=True, slots=True)
class Mention:
    """A person, shown as the platform shows people. Only `ping=True` notifies them."""

    user_id: str
    name: str | None = None
    ping: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """A web link, maybe with its own text: a value, so each platform renders it safely in its own way."""

    url: str
    text: str | Msg | None = None


@dataclass(frozen=True, slots=True)
class PostLink:
    """A link to a message the bot posted (a session's news post): `event` in `room`, as the platform names them.

    The renderer knows how its platform links to a message; the core only knows where the post is.
    """

    room: str
    event: str


@dataclass(frozen=True, slots=True)
class Moment:
    """A point in time, shown in the configured zone and the reader's language."""

    at: datetime
    style: Literal["datetime", "date", "time", "weekday_date", "month", "month_name"] = "datetime"


@dataclass(frozen=True, slots=True)
class Lines:
    """Several messages, one per line."""

    items: Sequence[Param]


@dataclass(frozen=True, slots=True)
class Code:
    """Literal text shown as code (command names, templates to copy)."""

    text: str


@dataclass(frozen=True, slots=True)
class RichText:
    """User-formatted text: sanitised HTML with its plain twin (sanitised again when rendered)."""

    html: str
    plain: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message (an export, a table, a chart): kept as bytes, each platform uploads it its way.

    `image_size` (width, height in pixels) makes it an image that clients show inline; without it, a file.
    """

    filename: str
    mimetype: str
    data: bytes = field(repr=False)  # an export holds personal data: never in a log line
    image_size: tuple[int, int] | None = None


Text: TypeAlias = "Msg | Lines | Mention | Link | PostLink | Moment | RichText | Code | str"
"""Anything a platform can render as (part of) a message."""

Param: TypeAlias = "Text | datetime | int | float | Sequence[Param] | None"
"""A value that fills a catalogue placeholder: text, a time, a number, or several of them (shown as a list)."""
