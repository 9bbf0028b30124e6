"""Property tests: no text a person can type makes a parser or command handler crash, and every refusal
is a message from the catalogue (in both languages, with its placeholders filled)."""

from __future__ import annotations

import asyncio
import inspect
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiwibot.commands.builtin import build_registry
from kiwibot.commands.registry import Context
from kiwibot.core.clock import FixedClock
from kiwibot.core.dates import parse_when
from kiwibot.core.errors import UserError
from kiwibot.core.offer import parse_offer
from kiwibot.core.service import Kiwi, Settings
from kiwibot.i18n import CATALOGUE, placeholders
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.render import Renderer
from kiwibot.storage import Store

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/Berlin")
REGISTRY = build_registry("!")
RENDERER = Renderer(TZ)

words = st.sampled_from(
    [
        "morgen",
        "14:00",
        "3.12.",
        "Uhr",
        "pm",
        "Donnerstag",
        "Titel:",
        "Termin:",
        "Dauer:",
        "60",
        "Format:",
        "impuls",
        "Link:",
        "https://x.y",
        "Plätze:",
        "-1",
        "Beschreibung:",
        "\n",
        "am",
        "um",
        "nächsten",
        "31.02.",
        "@room",
        "<b>",
        "2026-13-01",
        "0",
        "999999999999",
        "ü",
        "\u200b",
        "\u202e",
    ]
)
texts = st.one_of(st.text(max_size=300), st.lists(words, max_size=30).map(" ".join))


def assert_catalogued(err: UserError) -> None:
    for problem in (err, *err.problems):
        for language in ("de", "en"):
            template = CATALOGUE[language][problem.key]
            assert placeholders(template) <= set(problem.params), (problem.key, problem.params)
        RENDERER.render(problem.as_msg(), "de")


@given(texts)
@settings(max_examples=400, deadline=None)
def test_date_parser_never_crashes(text: str) -> None:
    try:
        result = parse_when(text, NOW, TZ)
    except UserError as err:
        assert_catalogued(err)
    else:
        assert result.tzinfo is not None


@given(texts, st.one_of(st.none(), st.text(max_size=200)), st.booleans())
@settings(max_examples=400, deadline=None)
def test_offer_parser_never_crashes(text: str, html: str | None, partial: bool) -> None:
    try:
        parse_offer(text, html, NOW, TZ, partial=partial)
    except UserError as err:
        assert_catalogued(err)


@given(st.sampled_from([a for c in REGISTRY.commands for a in c.all_aliases()]), texts)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_command_handler_answers_or_refuses_with_a_catalogue_message(
    tmp_path_factory, word: str, text: str
) -> None:
    store = Store.open(Path(tmp_path_factory.mktemp("p")) / "k.db")
    kiwi = Kiwi(store, FixedClock(NOW), Settings(timezone=TZ), MatrixPlatform())
    invocation = REGISTRY.match(f"!{word} {text}")
    if invocation is None or invocation.command is None:
        return
    ctx = Context(kiwi=kiwi, registry=REGISTRY, sender="@a:x", room_id="!r:x", language="de", now=NOW, event_id="$e")
    try:
        args = REGISTRY.parse_args(invocation.command, invocation.text, "de")
        result = invocation.command.handler(ctx, *args)
        if inspect.iscoroutine(result):  # a slow command (statistics) is awaited by the adapter
            result = asyncio.run(result)
    except UserError as err:
        assert_catalogued(err)
    else:
        reply = getattr(result, "reply", result)
        if reply is not None:
            RENDERER.render(reply, "de")
    finally:
        store.close()
