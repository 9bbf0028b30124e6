"""Message values → Matrix content: plain `body`, HTML `formatted_body`, and intentional `m.mentions`.

Templates come from our own catalogue and may use **bold**, `code` and newlines. Every parameter is
user data until proven otherwise: it is escaped for HTML, and in the plain body an `@` gets a word
joiner so that no client that still scans bodies for mentions pings anyone we did not mean.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal

from kiwibot.core.messages import Code, Lines, Link, Mention, Moment, Msg, PostLink, RichText, Text
from kiwibot.core.offer import sanitize_html
from kiwibot.core.pseudonyms import is_pseudonym, shown_as
from kiwibot.core.text import strip_hidden
from kiwibot.i18n import template

_SENTINEL = "\x00{}\x00"
_SENTINEL_RE = re.compile("\x00(\\d+)\x00")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_CODE = re.compile(r"`([^`]+)`")
_AT = re.compile(r"@(?=\w)")


# The homeserver refuses events over 65,536 bytes (the whole event, not just the content); this leaves room
# for the envelope, `m.mentions` and, for edits, `m.new_content` carrying the text twice.
EVENT_BUDGET = 28_000


def _size(plain: str, markup: str) -> int:
    return len(plain.encode()) + len(markup.encode())


@dataclass(frozen=True, slots=True)
class Rendered:
    body: str
    html: str
    mentions: frozenset[str]

    def content(self, msgtype: str = "m.notice") -> dict[str, Any]:
        return {
            "msgtype": msgtype,
            "body": self.body,
            "format": "org.matrix.custom.html",
            "formatted_body": self.html,
            "m.mentions": {"user_ids": sorted(self.mentions)} if self.mentions else {},
        }


# Control characters (but newline and tab), zero-width characters, bidi embeddings/overrides and tag
# characters: they hide or reorder text. Isolates (U+2066–2069) stay: the bot itself uses them to keep RTL
# text in its place. A ZWJ inside an emoji (👩‍💻) and the tags of a subdivision flag stay too.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\ufeff\U000e0000-\U000e007f]")


def clean(text: str) -> str:
    return strip_hidden(text, _INVISIBLE)


def defuse_plain(text: str) -> str:
    """`@room` or `@user:server` inside user text must not read as a mention in the plain body."""
    return _AT.sub("@\u2060", text)


def pill_url(user_id: str) -> str:
    return "https://matrix.to/#/" + quote(user_id, safe="@:")


def post_url(room_id: str, event_id: str) -> str:
    return f"https://matrix.to/#/{room_id}/{event_id}"


# Links to Matrix users, rooms and events become pills in clients: user text must never make them.
_PILL = re.compile(r"^\s*https?://(?:www\.)?matrix\.to/#/(?:@|!|#|\+|%40|%21|%23|%2b)", re.I)


def is_pill(url: str) -> bool:
    """Whether clients show this link as a pill (a user, room or event) rather than as a web link."""
    return _PILL.match(url) is not None


def safe_url(url: str) -> str | None:
    return url if re.match(r"^(?:https?|webcal)://[^\s<>\"']+$", url, re.I) else None  # webcal: subscribe


def localpart(user_id: str) -> str:
    return user_id.removeprefix("@").partition(":")[0] or user_id


@lru_cache(maxsize=2048)
def _skeleton(text: str) -> tuple[str, str, tuple[str, ...]]:
    """A catalogue template as plain text and HTML with numbered holes, and the parameter name of each hole.

    Pure in the template text, so kept: a waiting-list notice per signup rendered it again every time (#15).
    """
    parts: list[str] = []
    names: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        parts.append(literal.replace("\x00", ""))
        if name is not None:
            parts.append(_SENTINEL.format(len(names)))
            names.append(name)
    joined = "".join(parts)
    plain = _BOLD.sub(r"\1", joined)
    markup = html.escape(joined, quote=False)
    markup = _BOLD.sub(r"<strong>\1</strong>", markup)
    markup = _CODE.sub(r"<code>\1</code>", markup)
    return plain, markup.replace("\n", "<br>\n"), tuple(names)


class Renderer:
    def __init__(self, timezone: ZoneInfo, names: Callable[[str], str] = localpart) -> None:
        self.timezone = timezone
        self.names = names

    def render(self, message: Text, language: str) -> Rendered:
        mentions: set[str] = set()
        if isinstance(message, Lines):
            plain, markup = self._lines_within(message, language, mentions)
        else:
            plain, markup = self._value(message, language, mentions)
        if _size(plain, markup) > EVENT_BUDGET:
            # One giant item: keep a readable plain text; the homeserver refuses events over 64 KiB.
            plain = plain.encode()[: EVENT_BUDGET // 2].decode(errors="ignore").rstrip() + " …"
            markup = html.escape(plain).replace("\n", "<br>\n")
        return Rendered(plain, markup, frozenset(mentions))

    def _lines_within(self, lines: Lines, language: str, mentions: set[str]) -> tuple[str, str]:
        """A long list (participants of a big session) is cut so the message still fits in one event,
        with a last line that says how many were left out."""
        rendered = [self._value(item, language, mentions) for item in lines.items]
        used, kept = 0, 0
        for item_plain, item_html in rendered:
            used += _size(item_plain, item_html) + 8
            if used > EVENT_BUDGET - 1024:
                break
            kept += 1
        if kept < len(rendered):
            rendered = rendered[:kept]
            rendered.append(self._value(Msg.of("message.more", count=len(lines.items) - kept), language, mentions))
        return "\n".join(p for p, _ in rendered), "<br>\n".join(h for _, h in rendered)

    def _template(self, msg: Msg, language: str, mentions: set[str]) -> tuple[str, str]:
        plain, markup, names = _skeleton(template(language, msg.key, msg.params))
        values = [self._value(msg.params.get(name, ""), language, mentions) for name in names]
        if not values:
            return plain, markup
        plain = _SENTINEL_RE.sub(lambda m: values[int(m.group(1))][0], plain)
        markup = _SENTINEL_RE.sub(lambda m: values[int(m.group(1))][1], markup)
        return plain, markup

    def _value(self, value: Any, language: str, mentions: set[str]) -> tuple[str, str]:
        if isinstance(value, Msg):
            return self._template(value, language, mentions)
        if isinstance(value, str):
            value = clean(value)
            # HTML ignores line breaks: a description typed over several lines must keep them.
            return defuse_plain(value), html.escape(value).replace("\n", "<br>\n")
        if isinstance(value, Mention):
            if is_pseudonym(value.user_id):  # a forgotten member, a removed name: words, never a pill or a ping
                return self._template(Msg.of(shown_as(value.user_id)), language, mentions)
            if value.ping:
                mentions.add(value.user_id)
            name = clean(value.name or self.names(value.user_id)) or value.user_id
            return (
                defuse_plain(name),  # a display name is the person's own text: "@room" in it must not ping
                f'<a href="{html.escape(pill_url(value.user_id))}">{html.escape(name)}</a>',
            )
        if isinstance(value, Link):
            text_plain, text_html = (
                self._value(value.text, language, mentions) if value.text is not None else (value.url, "")
            )
            url = safe_url(value.url)
            if url is None:
                return self._value(value.url, language, mentions)
            if value.text is None:
                text_html = html.escape(url)
                return url, f'<a href="{html.escape(url)}">{text_html}</a>'
            return f"{text_plain} ({url})", f'<a href="{html.escape(url)}">{text_html}</a>'
        if isinstance(value, PostLink):
            return self._value(Link(post_url(value.room, value.event), Msg.of("post.link_text")), language, mentions)
        if isinstance(value, Moment | datetime):
            moment = value if isinstance(value, Moment) else Moment(value)
            pattern = template(language, f"format.{moment.style}")
            text = format_datetime(moment.at, pattern, tzinfo=self.timezone, locale=language)
            return text, html.escape(text)
        if isinstance(value, RichText):
            return defuse_plain(clean(value.plain)), clean(sanitize_html(value.html, is_pill))
        if isinstance(value, Code):
            if "\n" in value.text:
                return value.text, f"<pre><code>{html.escape(value.text)}</code></pre>"
            return f"`{value.text}`", f"<code>{html.escape(value.text)}</code>"
        if isinstance(value, Lines):
            rendered = [self._value(item, language, mentions) for item in value.items]
            return "\n".join(p for p, _ in rendered), "<br>\n".join(h for _, h in rendered)
        if isinstance(value, bool):
            return str(value), str(value)
        if isinstance(value, float):  # an average: at least one decimal, in the reader's way ("4,3" in German)
            text = format_decimal(value, "0.0##", locale=language)
            return text, text
        if isinstance(value, int):
            text = str(value)
            return text, text
        if isinstance(value, Iterable):
            rendered = [self._value(item, language, mentions) for item in value]
            return ", ".join(p for p, _ in rendered), ", ".join(h for _, h in rendered)
        return self._value(str(value), language, mentions)
