"""Which emoji a reaction means, whatever the sender's keyboard added to it."""

from __future__ import annotations

# Emoji presentation selectors (text U+FE0E, emoji U+FE0F) and the five Fitzpatrick skin tones (U+1F3FB–U+1F3FF).
# Phone keyboards send 👍 in the person's default skin tone; some clients add U+FE0F, some do not.
_DECORATIONS = frozenset({"\ufe0e", "\ufe0f", *map(chr, range(0x1F3FB, 0x1F400))})


def base_emoji(key: object) -> str:
    """The reaction key without presentation selectors and skin tones: 👍🏽, 👍️ and 👍 are all 👍."""
    return "".join(ch for ch in str(key or "") if ch not in _DECORATIONS).strip()
