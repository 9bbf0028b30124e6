"""The `!meinedaten` file (`kiwi-meine-daten.json`, in English `kiwi-my-data.json`; Art. 15 DSGVO): every kind the
bot stores about a person.

Two readers: a program, and the person (or a data-protection officer) opening it in an editor. The keys and the
fixed values ("seat", "waiting_list", "giver", …) are English and stay the same whatever the language, so a program
reads every export alike (README lists them); the explanations are in the person's language, and `labels` and
`value_labels` at the end say in it what each key and each fixed value means.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from kiwibot.core.messages import Attachment
from kiwibot.core.model import Session
from kiwibot.core.privacy_rules import (
    CONFIRM_WITHIN,
    REQUEST_KEPT,
    TECHNICAL_KEEP,
    PersonRecord,
    export_file_name,
    names_removed_after,
    session_status,
    stamp,
)
from kiwibot.core.wishnumbers import wish_label
from kiwibot.i18n import template

EXPORT_FORMAT = "kiwibot-personal-data/1"
# Every key the file can hold, in the order a reader meets them: each has a label `privacy.export.key.<key>`.
KEYS = (
    "format",
    "language",
    "about",
    "user_id",
    "exported_at",
    "retention_days",
    "deleted_after_null_means",
    "times_are",
    "sessions_given",
    "sessions_cogiven",
    "signups",
    "feedback",
    "wishes",
    "wish_interest",
    "materials",
    "preferences",
    "calendar_links",
    "direct_chat",
    "patron",
    "technical",
    "labels",
    "value_labels",
    "number",
    "title",
    "starts_at",
    "ends_at",
    "status",
    "role",
    "place",
    "signed_up_at",
    "via",
    "rating",
    "comment",
    "given_at",
    "after_deletion",
    "wish",
    "topic",
    "description",
    "created_at",
    "since",
    "url",
    "added_at",
    "reminders",
    "exist",
    "exists",
    "commands",
    "handled_at",
    "queued_messages_to_you",
    "forget_request",
    "requested_at",
    "expires_at",
    "deleted_after",
)
# The fixed values, each with a label `privacy.export.value.<value>` (session and wish status share "open").
VALUES: tuple[str, ...] = ("open", "running", "held", "cancelled", "fulfilled", "closed", "giver", "cogiver", "seat")
VALUES += ("waiting_list",)
VALUES += ("reaction", "command", "thread", "dm", "off")


def _session(session: Session, now: datetime, tz: ZoneInfo) -> dict[str, object]:
    return {
        "number": session.id,
        "title": session.title,
        "starts_at": stamp(session.starts_at, tz),
        "ends_at": stamp(session.ends_at, tz),
        "status": session_status(session, now),
    }


def export_data(
    record: PersonRecord, now: datetime, retention_days: int, tz: ZoneInfo, language: str
) -> dict[str, object]:
    """The export as plain data: every kind the bot stores, each item with `deleted_after` (null: kept until the
    person asks to be forgotten). Times are in `tz`, the programme's zone, with its offset; the explanations and
    labels in `language`, the person's."""
    days = retention_days
    technical = TECHNICAL_KEEP

    def at(moment: datetime | None) -> str | None:
        return stamp(moment, tz)

    def said(key: str, **params: object) -> str:
        return template(language, f"privacy.export.{key}", params).format(**params)

    return {
        "format": EXPORT_FORMAT,
        "language": language,
        "about": said("about"),
        "user_id": record.user_id,
        "exported_at": at(now),
        "retention_days": days,
        "deleted_after_null_means": said("null_means"),
        "times_are": said("times_are", zone=tz.key),
        "sessions_given": [{**_session(s, now, tz), "role": "giver", "deleted_after": None} for s in record.given],
        "sessions_cogiven": [
            {**_session(s, now, tz), "role": "cogiver", "deleted_after": None} for s in record.cogiven
        ],
        "signups": [
            {
                **_session(s.session, now, tz),
                "place": "waiting_list" if s.waiting else "seat",
                "signed_up_at": at(s.signed_up_at),
                "via": list(s.via),
                "deleted_after": at(names_removed_after(s.session, days)),
            }
            for s in record.signups
        ],
        "feedback": [
            {
                **_session(f.session, now, tz),
                "rating": f.rating,
                "comment": f.comment,
                "given_at": at(f.given_at),
                "deleted_after": at(names_removed_after(f.session, days)),
                "after_deletion": said("after_deletion"),
            }
            for f in record.feedback
        ],
        "wishes": [
            {
                "wish": wish_label(w.id),
                "topic": w.topic,
                "description": w.description,
                "status": w.status.value,
                "created_at": at(w.created_at),
                "deleted_after": None,
            }
            for w in record.wishes
        ],
        "wish_interest": [
            {"wish": wish_label(i.wish.id), "topic": i.wish.topic, "since": at(i.since), "deleted_after": None}
            for i in record.interest
        ],
        "materials": [
            {
                "number": m.session.id,
                "title": m.session.title,
                "url": m.url,
                "description": m.description,
                "added_at": at(m.added_at),
                "deleted_after": None,
            }
            for m in record.materials
        ],
        "preferences": {"language": record.language, "reminders": record.reminders, "deleted_after": None},
        "calendar_links": {"exist": record.calendar_links, "deleted_after": None},
        "direct_chat": {"exists": record.direct_chat, "deleted_after": None},
        "patron": {"since": at(record.patron_since), "deleted_after": None} if record.patron_since else None,
        "technical": {
            "commands": [{"handled_at": at(c), "deleted_after": at(c + technical)} for c in record.commands],
            "queued_messages_to_you": record.queued_messages,
            "forget_request": (
                {
                    "requested_at": at(record.forget_requested),
                    "expires_at": at(record.forget_requested + CONFIRM_WITHIN),
                    "deleted_after": at(record.forget_requested + REQUEST_KEPT),
                }
                if record.forget_requested
                else None
            ),
        },
        "labels": {key: said(f"key.{key}") for key in KEYS},
        "value_labels": {value: said(f"value.{value}") for value in VALUES},
    }


def export_file(record: PersonRecord, now: datetime, retention_days: int, tz: ZoneInfo, language: str) -> Attachment:
    """The JSON file: UTF-8, indented; keys in English, explanations, labels and the file's name in `language`."""
    text = json.dumps(export_data(record, now, retention_days, tz, language), ensure_ascii=False, indent=2)
    return Attachment(export_file_name(language), "application/json", (text + "\n").encode("utf-8"))
