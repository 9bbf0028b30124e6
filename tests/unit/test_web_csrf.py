"""CSRF tokens of the programme page: bound to the person's link and the server's key, checked in constant time."""

from __future__ import annotations

import pytest

from kiwibot.web.csrf import Csrf

KEY = bytes(range(32))


def test_a_token_is_stable_for_its_link_and_accepted() -> None:
    csrf = Csrf(KEY)
    assert csrf.token("link-a") == Csrf(KEY).token("link-a")  # no state: a restart with the same key keeps forms
    assert csrf.check("link-a", csrf.token("link-a"))


def test_another_link_or_key_makes_another_token() -> None:
    csrf = Csrf(KEY)
    assert csrf.token("link-a") != csrf.token("link-b")
    assert not csrf.check("link-b", csrf.token("link-a"))  # a token from one person's page is no good on another's
    assert not Csrf(bytes(32)).check("link-a", csrf.token("link-a"))


@pytest.mark.parametrize("token", [None, "", "0" * 64, 42, ["x"], "ä" * 64])
def test_missing_malformed_or_guessed_tokens_are_refused(token: object) -> None:
    assert not Csrf(KEY).check("link-a", token)


def test_a_changed_character_is_refused() -> None:
    csrf = Csrf(KEY)
    good = csrf.token("link-a")
    assert not csrf.check("link-a", ("0" if good[0] != "0" else "1") + good[1:])
    assert not csrf.check("link-a", good[:-1])


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Csrf(b"short")
