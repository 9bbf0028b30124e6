"""When to edit a living post: debounced, with a lag that grows while changes keep coming.

A post is edited once it has been quiet for a second, but no later than its allowed lag after the first
change it does not show yet; while changes keep coming that lag doubles (2, 4, 8 … 30 s), so a rush of any
length gives a handful of edits per post instead of one a second. Pure bookkeeping on the times it is
given (monotonic seconds), so it is tested without waiting.
"""

from __future__ import annotations

DEBOUNCE_SECONDS = 1.0
FIRST_LAG = 2.0
MAX_LAG = 30.0

PostKey = int | str  # a session id, or the name of another post (the overview)


class Debounce:
    def __init__(self) -> None:
        # Posts with changes not shown yet → (first such change, allowed lag).
        self._since: dict[PostKey, tuple[float, float]] = {}
        self._last: dict[PostKey, float] = {}  # post → its latest change
        self._lags: dict[PostKey, tuple[float, float]] = {}  # post → (lag of its last edit, when it was made)

    def touch(self, post: PostKey, now: float) -> None:
        """A change the post does not show yet."""
        if post not in self._since:
            lag, edited = self._lags.get(post, (0.0, -MAX_LAG))
            # A change within the lag of the last edit continues a rush: allow twice as long this time.
            self._since[post] = (now, min(MAX_LAG, lag * 2) if now - edited < lag else FIRST_LAG)
        self._last[post] = now

    def __bool__(self) -> bool:
        """Does any post wait for an edit?"""
        return bool(self._since)

    def next_due(self) -> float:
        """When the earliest waiting post is due (only while one waits)."""
        return min(self._due(post) for post in self._since)

    def take_due(self, now: float) -> list[PostKey]:
        """The posts due at `now`, no longer waiting: the caller edits them now."""
        due = [post for post in self._since if self._due(post) <= now]
        for post in due:
            self._lags[post] = (self._since.pop(post)[1], now)
            del self._last[post]
        if len(self._lags) > 1000:
            self._lags = {p: v for p, v in self._lags.items() if now - v[1] < MAX_LAG}
        return due

    def _due(self, post: PostKey) -> float:
        since, lag = self._since[post]
        return min(self._last[post] + DEBOUNCE_SECONDS, since + lag)
