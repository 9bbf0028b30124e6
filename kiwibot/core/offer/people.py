"""The people an offer's `Co-Geber:in:` line names, as references for the platform to resolve.

A person picked from the client's suggestions arrives as a link in the HTML (its plain text shows only a display
name, which may be anyone's); a person written out arrives as a word ("@anna:example.org"). Both are handed on
as they are: the platform says whom a link or word names (`Platform.person`), and every word it does not know is
refused, because co-givers get rights and a guess could hand them to the wrong person.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from kiwibot.core.offer.syntax import ALIASES, LINE, key_form, single_line, strip_markers, without_hint

NOBODY = frozenset({"-", "–", "—", "kein", "keine", "keiner", "niemand", "ohne", "none", "nobody", "no one", "no"})
MAX_COGIVERS = 3

# Between people: commas, semicolons, "&", "+", "und", "and", "sowie"; or just spaces between ids and pills.
_SEPARATOR = re.compile(r"\s*(?:[,;&+]|\bund\b|\band\b|\bsowie\b)\s*", re.I)
# Where a link stood in the line's text: private-use characters no one types, kept by `single_line`.
_MARK = re.compile("\ue000(\\d+)\ue001")
# A word that is an id or a link ("@anna:example.org", "https://…") stands alone; other words are part of a name.
_ALONE = re.compile(r"^@|[:/]")
_LINE_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "blockquote", "pre", "tr", "h1", "h2", "h3", "h4"})


def cogiver_refs(value: str, html: str | None) -> tuple[str, ...]:
    """The references a co-giver line names, in order: links from its HTML, other words as written.

    Empty for "-", "keine", "none" or nothing at all (an offer without co-givers, an edit that removes them).
    """
    found = _line_in_html(html) if html else None
    text, links = found if found is not None else (value, [])
    text = without_hint(text)
    if text.strip().casefold() in NOBODY or not text.strip():
        return ()
    refs: list[str] = []
    for part in _SEPARATOR.split(text):
        name: list[str] = []  # words of a name typed without its pill ("Ben Müller"): one reference, as typed
        for word in part.split():
            mark = _MARK.fullmatch(word)
            if mark is None and not _ALONE.search(word):
                name.append(word)
                continue
            if name:
                refs.append(" ".join(name))
                name = []
            refs.append(links[int(mark[1])] if mark else word)
        if name:
            refs.append(" ".join(name))
    return tuple(refs)


class _Lines(HTMLParser):
    """An HTML message line by line: the text as shown, and the same with each link replaced by a mark."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, str]] = [("", "")]
        self.links: list[str] = []
        self._in_link = 0

    def _new_line(self) -> None:
        self.lines.append(("", ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LINE_TAGS:
            self._new_line()
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            shown, marked = self.lines[-1]
            self.lines[-1] = (shown, f"{marked} \ue000{len(self.links)}\ue001 ")
            self.links.append(href)
            self._in_link += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _LINE_TAGS:
            self._new_line()
        elif tag == "a" and self._in_link:
            self._in_link -= 1

    def handle_data(self, data: str) -> None:
        for number, part in enumerate(data.split("\n")):
            if number:
                self._new_line()
            shown, marked = self.lines[-1]
            self.lines[-1] = (shown + part, marked if self._in_link else marked + part)


def _line_in_html(html: str) -> tuple[str, list[str]] | None:
    """The value of the first co-giver line in the HTML with its links marked, and the links; None if none."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    for shown, marked in parser.lines:
        match = LINE.match(single_line(shown))
        if match is None or ALIASES.get(key_form(match["key"])) != "cogivers":
            continue
        value = LINE.match(single_line(marked))
        if value is None:
            return None
        return strip_markers(value["value"], value["pre"], value["mid"]), parser.links
    return None
