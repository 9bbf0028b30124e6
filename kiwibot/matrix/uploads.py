"""Files sent with a message (an export, a table, a chart): queued as events, uploaded right before they are sent.

Each file is one outbox row right after its message's row, in the same room and thread, so the order is kept.
The row holds the m.file / m.image event without the upload's address; the bytes wait in the store until the
row is sent or failed (then they are deleted). Uploading only when sending means a file queued while the
homeserver is away goes out like any message, and the room decides at that moment how it is sent: encrypted
(the event carries the keys under `file`) or plain (`url`).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from nio import AsyncClient, UploadResponse

from kiwibot.core.messages import Attachment
from kiwibot.storage import OutboxItem, Store

log = logging.getLogger(__name__)

FILE_MSGTYPES = ("m.file", "m.image")


class UploadRefused(Exception):
    """The homeserver refused the bytes (too large, not allowed): that file's row fails, the others go on."""


def file_content(attachment: Attachment, relation: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event of one file as queued: everything but where the bytes are (known once they are uploaded)."""
    info: dict[str, Any] = {"mimetype": attachment.mimetype, "size": len(attachment.data)}
    if attachment.image_size is not None:
        info["w"], info["h"] = attachment.image_size
    content: dict[str, Any] = {
        "msgtype": "m.image" if attachment.image_size is not None else "m.file",
        "body": attachment.filename,
        "filename": attachment.filename,
        "info": info,
        "m.mentions": {},  # a file pings nobody; the message before it did what it meant to
    }
    if relation:
        content["m.relates_to"] = dict(relation)
    return content


def queue_files(
    store: Store, room_id: str, files: Iterable[Attachment], relation: dict[str, Any] | None, *, at: datetime
) -> None:
    """Queue `files` after the message just queued to `room_id`, with its relation (reply, thread).

    They carry no purpose: what follows a message's delivery (a news post's id, a digest's record) follows the
    message, never its files."""
    for attachment in files:
        store.enqueue_file(room_id, file_content(attachment, relation), attachment.data, at=at)


async def with_upload(
    client: AsyncClient, store: Store, item: OutboxItem, room_id: str, encrypted_if_unknown: bool
) -> dict[str, Any]:
    """The content to send for `item`: as queued; for a file, with the bytes uploaded and their address in it.

    `encrypted_if_unknown`: a room nio has not seen yet (a direct chat just opened) is not sent to before the
    next sync when end-to-end encryption is on, so an upload for it is encrypted, never plain by mistake.
    Network errors propagate (the row is postponed like a send); a refusal raises `UploadRefused`.
    """
    content = item.content
    if item.event_type != "m.room.message" or content.get("msgtype") not in FILE_MSGTYPES:
        return content
    data = store.outbox_file(item.id)
    if data is None:
        raise UploadRefused("the file's bytes are no longer stored")
    room = client.rooms.get(room_id)
    encrypt = bool(room.encrypted) if room is not None else encrypted_if_unknown
    info = content.get("info") or {}
    response, keys = await client.upload(
        io.BytesIO(data),
        content_type=str(info.get("mimetype") or "application/octet-stream"),
        filename=str(content.get("filename") or content.get("body") or "file"),
        encrypt=encrypt,
        filesize=len(data),
    )
    if not isinstance(response, UploadResponse):
        raise UploadRefused(f"upload refused: {response.status_code} {response.message}")
    log.info("file of message %d uploaded (%d bytes, %s)", item.id, len(data), "encrypted" if encrypt else "plain")
    if encrypt:
        if keys is None:  # nio returns the keys of every encrypted upload; without them nobody could read it
            raise UploadRefused("the encrypted upload came back without its keys")
        return {**content, "file": {"url": response.content_uri, **keys}}
    return {**content, "url": response.content_uri}
