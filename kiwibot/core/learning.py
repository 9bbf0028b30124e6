"""The values and rules of the learning loop: materials of a session, topic wishes, and searching the archive.

Pure: no chat platform, no storage, no I/O. The areas (core/materials.py, core/archive.py, core/wishes.py) decide
with these rules; the store keeps the values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiwibot.core.errors import UserError
from kiwibot.core.offer.fields import DESCRIPTION_HIDDEN, is_web_link, trimmed_link, with_scheme
from kiwibot.core.offer.syntax import shown, single_line
from kiwibot.core.text import strip_hidden
from kiwibot.core.wishnumbers import is_number_only, is_wish_number

MATERIALS_MAX = 10  # links per session: slides, notes, a recording; more is a reading list, not materials
MATERIAL_TEXT_MAX = 200
WISH_TOPIC_MAX = 150
WISH_DESCRIPTION_MAX = 1000
OPEN_WISHES_MAX = 10  # open wishes per person: a slip or a script must not flood the programme room
SEARCH_MAX = 100
ARCHIVE_PAGE = 15


@dataclass(frozen=True, slots=True)
class Material:
    """A link shared for a session (slides, notes, a recording); its number is its place in the session's list."""

    position: int
    url: str
    description: str
    added_by: str


class WishStatus(StrEnum):
    """Open wishes collect interest; a fulfilled one names the session that took it up; a closed one is done."""

    OPEN = "open"
    FULFILLED = "fulfilled"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Wish:
    """A topic someone would like a session on. Its number is its own, shown as W7, never a session's number."""

    id: int
    wisher: str
    topic: str
    description: str
    status: WishStatus
    created_at: datetime
    session_id: int | None  # the session that fulfilled it
    post_room: str | None
    post_event: str | None


# -- materials ----------------------------------------------------------------------------------------


def material_link(text: str) -> str:
    """A material's link: http or https only (other schemes could run code or leave the web), as in an offer; the
    full stop of a sentence, or brackets and quotes around the link, are not part of it."""
    value = with_scheme(trimmed_link(text))
    if not is_web_link(value):
        raise UserError("material.bad_link", value=shown(value or text.strip()))
    return value


def material_text(text: str) -> str:
    """A material's description: one line, no hidden characters, not longer than a line of a list."""
    cleaned = single_line(strip_hidden(text, DESCRIPTION_HIDDEN))
    if len(cleaned) > MATERIAL_TEXT_MAX:
        raise UserError("material.text_too_long", length=len(cleaned), max=MATERIAL_TEXT_MAX)
    return cleaned


# -- wishes -------------------------------------------------------------------------------------------


def wish_text(text: str) -> tuple[str, str]:
    """(topic, description) of a wish: the first line is the topic, the lines below describe it."""
    first, _, rest = strip_hidden(text, DESCRIPTION_HIDDEN).strip().partition("\n")
    topic = single_line(first)
    description = "\n".join(line.rstrip() for line in rest.splitlines()).strip()
    if not topic:
        raise UserError("wish.empty")
    if is_wish_number(topic) and not description:
        raise UserError("wish.number_as_topic", value=topic)
    if is_number_only(topic):
        raise UserError("wish.session_number_as_topic", value=topic)
    if len(topic) > WISH_TOPIC_MAX:
        raise UserError("wish.topic_too_long", length=len(topic), max=WISH_TOPIC_MAX)
    if len(description) > WISH_DESCRIPTION_MAX:
        raise UserError("wish.description_too_long", length=len(description), max=WISH_DESCRIPTION_MAX)
    return topic, description


def same_topic(a: str, b: str) -> bool:
    """The same wish typed twice (case, spaces and umlaut spellings aside)."""
    return fold(" ".join(a.split())) == fold(" ".join(b.split()))


# Words that carry no topic of their own, folded as `fold` folds them ("für" → "fur"), German and English.
_FILLER_WORDS = (
    "und oder der die das den dem des ein eine einen einem einer im in am an auf aus bei mit fur von vom zu zum zur "
    "uber wie was mehr neu neue neues and or the a of for with to on at by how what about new more"
)
_FILLERS = frozenset(_FILLER_WORDS.split())


# A gender mark before "innen" joins the word ("Einsteiger:innen", "*innen", "_innen", "/innen" → "einsteigerinnen");
# a word written with hyphens ("Pivot-Tabellen") is its parts, or joined ("Pivottabellen") if the other topic has it so.
_GENDER_MARK = re.compile(r"(?<=\w)[:*_/\u00b7](?=innen\b)")
_COMPOUND = re.compile(r"\w+(?:[-\u2010\u2011/]\w+)+")


def _folded_topic(topic: str) -> str:
    return fold(_GENDER_MARK.sub("", topic.casefold()))


def topic_words(topic: str) -> frozenset[str]:
    """The words that make a topic, folded: "Pivot-Tabellen in Excel" → {pivot, tabellen, excel}."""
    return _kept(re.findall(r"\w+", _folded_topic(topic)))


def _kept(words: list[str]) -> frozenset[str]:
    return frozenset(w for w in words if w not in _FILLERS and not w.isdigit())


def _compounds(topic: str) -> list[tuple[str, frozenset[str]]]:
    """The words written with hyphens, joined and in parts: "Pivot-Tabellen" → ("pivottabellen", {pivot, tabellen})."""
    found = (re.findall(r"\w+", c) for c in _COMPOUND.findall(_folded_topic(topic)))
    return [("".join(parts), _kept(parts)) for parts in found]


def _split_as(words: frozenset[str], compounds: list[tuple[str, frozenset[str]]]) -> frozenset[str]:
    """The words, each written joined where the other topic has it in parts ("pivottabellen" → pivot, tabellen)."""
    split: set[str] = set()
    for word in words:
        parts = next((p for joined, p in compounds if p and _same_word(word, joined)), None)
        split |= parts if parts is not None else {word}
    return frozenset(split)


def _stem(word: str) -> str:
    """A word without the feminine plural ("einsteigerinnen" → "einsteiger"), so both forms are one word."""
    return word[: -len("innen")] if word.endswith("innen") and len(word) >= 9 else word


def _same_word(a: str, b: str) -> bool:
    """One word in two forms ("Tabelle", "Tabellen"; "Prompts", "Prompting"; "Einsteiger", "Einsteiger:innen"):
    a long common start and short endings, so that "Daten" and "Datenschutz" stay two words."""
    short, long = sorted((_stem(a), _stem(b)), key=len)
    common = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short == long or (common >= 4 and len(long) - common <= 3 and len(short) - common <= 1)


def topic_likeness(a: str, b: str) -> float:
    """How alike two topics are, 0 to 1: 1 when every word of the shorter one is in the longer one ("Excel" and
    "Excel-Pivot-Tabellen"), a half when two of four words are shared, 0 when none are. A word written joined in
    one and with a hyphen in the other ("Pivottabellen", "Pivot-Tabellen") is the same word."""
    words_a = _split_as(topic_words(a), _compounds(b))
    words_b = _split_as(topic_words(b), _compounds(a))
    if not words_a or not words_b:
        return 0.0
    fewer, more = sorted((words_a, words_b), key=len)
    shared = sum(1 for w in fewer if any(_same_word(w, v) for v in more))
    if shared == len(fewer):
        return 1.0
    return shared / len(more) if shared >= 2 else 0.0


def similar_wishes(topic: str, wishes: list[Wish], limit: int = 3) -> list[Wish]:
    """Open wishes that look like the same topic in other words, most alike first: a hint, never a refusal, as
    two people may mean different things by alike words."""
    rated = [(topic_likeness(topic, w.topic), w) for w in wishes]
    alike = sorted((r for r in rated if r[0] >= 0.5), key=lambda r: (-r[0], r[1].id))
    return [w for _, w in alike[:limit]]


# -- searching the archive ----------------------------------------------------------------------------

# German umlauts and their spelled-out forms are one letter for searching: "Übung", "Ubung" and "uebung" all
# become "ubung". The index is folded the same way: storage/folding.py writes these steps in SQL (a unit test
# holds the two equal). Case and other accents are folded by the search index's tokenizer.
FOLDS: tuple[tuple[str, str], ...] = (
    ("ä", "a"),
    ("ö", "o"),
    ("ü", "u"),
    ("Ä", "a"),
    ("Ö", "o"),
    ("Ü", "u"),
    ("ß", "ss"),
    ("ẞ", "ss"),
    ("ae", "a"),
    ("oe", "o"),
    ("ue", "u"),
)
# Marks inside a word that people write or leave out ("E-Akte", "eAkte"; "Einsteiger:innen", "Einsteigerinnen"):
# a search word with them also finds the word joined, and the index holds both (storage/folding.py `JOINERS`).
JOINERS: tuple[str, ...] = ("-", "\u2010", "\u2011", ":", "*", "_", "/", "\u00b7")
_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_WORDS = re.compile(r"\w+")
# One search word, and its ways of matching: "E-Akte" → ("e akte", "eakte").
SearchTerm = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Years:
    """Years a search names ("2026"): sessions that began in one of them (local time), or whose text names one."""

    spans: tuple[tuple[datetime, datetime], ...]
    words: tuple[str, ...]


def fold(text: str) -> str:
    """Text as the search compares it: ASCII lower case, then umlauts and their spellings made one."""
    folded = text.translate(_ASCII_UPPER)
    for before, after in FOLDS:
        folded = folded.replace(before, after)
    return folded


def without_joiners(text: str) -> str:
    """The text with the marks inside words left out: "E-Akte" → "EAkte"."""
    for mark in JOINERS:
        text = text.replace(mark, "")
    return text


def _phrase(text: str) -> str:
    return " ".join(_WORDS.findall(fold(text).replace("_", " ")))


def is_year(word: str) -> bool:
    """A search word that names the year sessions took place in ("2026"): four digits from 2000 on."""
    return len(word) == 4 and word.isascii() and word.isdigit() and int(word) >= 2000


def split_years(query: str) -> tuple[str, tuple[int, ...]]:
    """The words of a search apart from the years it names, and those years ("E-Akte 2026" → "E-Akte", (2026,))."""
    words = query.split()
    years = tuple(sorted({int(w.rstrip(".")) for w in words if is_year(w.rstrip("."))}))
    return " ".join(w for w in words if not is_year(w.rstrip("."))), years


def search_terms(query: str) -> tuple[SearchTerm, ...]:
    """The words of a search, folded, each once; each must occur, as the start of a word. A word with inner
    punctuation stays one phrase ("E-Akte" is "e akte": "e" right before a word starting with "akte"), or is
    found joined ("eakte"), as the index holds both."""
    value = " ".join(unicodedata.normalize("NFC", query).split())
    if len(value) > SEARCH_MAX:
        raise UserError("archive.query_too_long", length=len(value), max=SEARCH_MAX)
    found = (tuple(dict.fromkeys((_phrase(word), _phrase(without_joiners(word))))) for word in value.split())
    terms = tuple(dict.fromkeys(term for term in found if term[0]))
    if not terms:
        raise UserError("archive.query_empty", value=shown(value))
    return terms
