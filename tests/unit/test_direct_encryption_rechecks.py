"""How often the bot asks the homeserver whether a person with an unencrypted direct chat can decrypt by now:
at most once per interval per person, sooner after a sync said their devices changed, in bounded memory. (That
the chat is then switched to encryption: tests/integration/test_direct_encryption_live.py.)"""

from __future__ import annotations

from kiwibot.matrix.direct_encryption import Rechecks

BOB = "@bob:example.org"
CAROL = "@carol:example.org"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_person_is_asked_at_most_once_per_interval() -> None:
    clock = Clock()
    rechecks = Rechecks(interval=3600, clock=clock)
    assert rechecks.due(BOB)
    clock.now += 3599
    assert not rechecks.due(BOB)  # every message in between goes without a request
    assert rechecks.due(CAROL)  # each person on their own
    clock.now += 1
    assert rechecks.due(BOB)
    assert not rechecks.due(BOB)


def test_an_ask_elsewhere_counts_and_a_change_of_devices_makes_it_due_at_once() -> None:
    clock = Clock()
    rechecks = Rechecks(interval=3600, clock=clock)
    rechecks.asked(BOB)  # when the chat was opened
    assert not rechecks.due(BOB)
    rechecks.changed([BOB, CAROL])  # the sync's device_lists.changed: a new login
    assert rechecks.due(BOB)
    assert not rechecks.due(BOB)


def test_memory_is_bounded_forgetting_the_longest_asked() -> None:
    clock = Clock()
    rechecks = Rechecks(interval=3600, most=3, clock=clock)
    for n in range(10):
        clock.now += 1
        assert rechecks.due(f"@p{n}:example.org")
    assert len(rechecks) == 3
    assert not rechecks.due("@p9:example.org")  # asked last: still remembered
    assert rechecks.due("@p0:example.org")  # forgotten: asked a little early, nothing worse
