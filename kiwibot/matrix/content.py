"""Reading what an event's content means, as clients send it: reply fallbacks, pills, edits, threads, reactions.

Pure functions of the event's JSON, so each client quirk is tested without a homeserver.
"""

from __future__ import annotations

import re
from enum import Enum
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from kiwibot.core.reactions import base_emoji


def normalise_key(key: object) -> str:
    """Clients differ in sending 👍 with or without the variation selector, and in a skin tone or none."""
    return base_emoji(key)


class _Pills(HTMLParser):
    """The users a message's HTML links to (pills), outside the quoted reply (<mx-reply>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.users: list[str] = []
        self._quoted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mx-reply":
            self._quoted += 1  # an unclosed one hides the rest: better nobody than the replied-to sender
        elif tag == "a" and not self._quoted:
            user = linked_user(dict(attrs).get("href") or "")
            if user and user not in self.users:
                self.users.append(user)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mx-reply" and self._quoted:
            self._quoted -= 1


def linked_user(href: str) -> str | None:
    """The user id of a matrix.to or matrix: link to a user; None for rooms, events and other links."""
    if href.startswith("https://matrix.to/#/"):
        target = unquote(href.removeprefix("https://matrix.to/#/").split("?")[0].split("/")[0])
    elif href.startswith("matrix:u/"):
        target = "@" + unquote(href.removeprefix("matrix:u/").split("?")[0])
    else:
        return None
    return target if target.startswith("@") and ":" in target else None


def named_users(html: str | None) -> tuple[str, ...]:
    """The people a command's text names by pill, in order. Deliberately not its m.mentions: a reply lists
    the replied-to message's sender there (Element does), who is not the person the command is about."""
    if not html:
        return ()
    parser = _Pills()
    parser.feed(html)
    parser.close()
    return tuple(parser.users)


def strip_reply_fallback(body: str, relates: dict[str, Any]) -> str:
    """Older clients quote the replied-to message as '> ' lines before the text."""
    if "m.in_reply_to" not in relates or not body.startswith("> "):
        return body
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")


_MX_REPLY = re.compile(r"<mx-reply\b.*?</mx-reply\s*>", re.I | re.S)


def strip_html_reply_fallback(html: str) -> str:
    """The quoted message a reply carries in its HTML (<mx-reply>) is not the writer's text: the core never sees it."""
    return _MX_REPLY.sub("", html)


def thread_root(relates: dict[str, Any]) -> str | None:
    """The thread an event was written in (its root event id); None outside threads."""
    root = relates.get("event_id")
    return root if relates.get("rel_type") == "m.thread" and isinstance(root, str) and root else None


def posts_answered(relates: dict[str, Any]) -> tuple[str, ...]:
    """The events a message answers, nearest first: the one it replies to, then its thread's root.

    In a thread a client's reply target may be only the thread's last message (a fallback), so the root is
    looked at as well.
    """
    replied = (relates.get("m.in_reply_to") or {}).get("event_id")
    found = [replied] if isinstance(replied, str) and replied else []
    root = thread_root(relates)
    return tuple(found + ([root] if root and root not in found else []))


def replaced(content: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(the original's event id, its new content) of an edit (m.replace); None for anything else."""
    relates = content.get("m.relates_to") or {}
    original, new = relates.get("event_id"), content.get("m.new_content")
    if relates.get("rel_type") != "m.replace" or not isinstance(original, str) or not isinstance(new, dict):
        return None
    return original, new


class Original(Enum):
    """What became of the message an edit changes."""

    NO_COMMAND = "no command"
    FAILED = "failed"  # answered with an error (or refused)
    SUCCEEDED = "succeeded"
    NOTED = "succeeded, an edit was answered"


class EditAction(Enum):
    IGNORE = "ignore"
    RUN = "run"  # the edited text is a new command
    NOTE = "note"  # say once that edits are not applied


def classify_edit(original: Original, *, edit_is_command: bool) -> EditAction:
    """A succeeded command never runs twice; a failed one (or chat) may be corrected by editing it."""
    if original is Original.SUCCEEDED:
        return EditAction.NOTE
    if original is Original.NOTED or not edit_is_command:
        return EditAction.IGNORE
    return EditAction.RUN
