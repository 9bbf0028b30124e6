"""Tokens that prove a form was sent from the person's own programme page.

The token is an HMAC over the person's link secret under a key only the server knows: a page elsewhere
cannot forge it (it lacks the key), and new links (`!kalender neu`) make old forms stale. No state is kept.
"""

from __future__ import annotations

import hashlib
import hmac

_PURPOSE = b"kiwibot programme form\x00"


class Csrf:
    def __init__(self, key: bytes) -> None:
        """`key`: the server's secret, at least 32 random bytes (kept stable across restarts, or open forms
        fail once after a restart, with a friendly message)."""
        if len(key) < 32:
            raise ValueError("the CSRF key needs at least 32 bytes")
        self._key = key

    def token(self, secret: str) -> str:
        """The token for forms on the page behind the link `secret`."""
        return hmac.new(self._key, _PURPOSE + secret.encode(), hashlib.sha256).hexdigest()

    def check(self, secret: str, token: object) -> bool:
        """Whether `token` was made for `secret`; compared in constant time, anything but a string is refused."""
        if not isinstance(token, str) or not token.isascii():
            return False
        return hmac.compare_digest(self.token(secret), token)
