"""Edits of the bot's living posts (news, wishes, the overview): the edit event, and the hash of what a post shows.

A hash of what was last posted is stored, so a restart edits only what is really stale; DELETED marks a post a
moderator removed, which is never edited again.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

DELETED = "deleted"


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def edit_of(event_id: str, new: dict[str, Any]) -> dict[str, Any]:
    """An m.replace edit; clients show m.new_content, the '*' fallback is for those that do not."""
    return {
        "msgtype": new["msgtype"],
        "body": "* " + new["body"],
        "format": new["format"],
        "formatted_body": "* " + new["formatted_body"],
        "m.new_content": new,
        "m.mentions": {},
        "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
    }
