"""User HTML made safe to send again, and the formatted description cut out of an offer's HTML.

The cut must agree with the plain-text reading: it starts at the same "Beschreibung:" and leaves out the same
field lines, so the formatted and the plain description say the same.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable

import nh3

from kiwibot.core.offer.fields import DESCRIPTION_HIDDEN, DESCRIPTION_MAX
from kiwibot.core.offer.syntax import ALIASES, is_field_line, key_form, single_line
from kiwibot.core.offer.template import template_values
from kiwibot.core.text import strip_hidden

_ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "s", "del", "code", "pre", "p", "br", "ul", "ol", "li", "blockquote", "a"}
)
# Removed together with their content (everything else not allowed is unwrapped, its text kept).
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "title"}
)
_HREFLESS_A = re.compile(r'<a(?: rel="noopener noreferrer")?>(.*?)</a>', re.S)
_EMPTY_P = re.compile(r"<p>(?:\s|<br>)*</p>")
_EDGE = r"(?:\s|<br>|&nbsp;)+"
_LEADING_EDGE = re.compile("^" + _EDGE)
_TRAILING_EDGE = re.compile(_EDGE + "$")


def _no_link_refused(url: str) -> bool:
    return False


def sanitize_html(html: str, refuse_link: Callable[[str], bool] = _no_link_refused) -> str:
    """User HTML reduced to simple text formatting and plain http(s) links; safe to send again as is.

    `refuse_link` names links that must lose their target though they are web links: those the platform
    shows as mentions (`Platform.is_mention_link`). Idempotent: sanitising the result again with the same
    rule changes nothing (the renderer does exactly that).
    """

    def keep_attribute(element: str, attribute: str, value: str) -> str | None:
        if element == "a" and attribute == "href" and refuse_link(value):
            return None
        return value

    cleaned = nh3.clean(
        html,
        tags=set(_ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={"a": {"href"}},
        attribute_filter=keep_attribute,
        url_schemes={"http", "https"},
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An <a> whose href was refused (a mention, javascript:, relative) keeps only its text.
    cleaned = _HREFLESS_A.sub(r"\1", cleaned)
    cleaned = _EMPTY_P.sub("", cleaned)
    cleaned = _LEADING_EDGE.sub("", cleaned)
    return _TRAILING_EDGE.sub("", cleaned)


_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|$)"
    r"|<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
    r"|[^<]+|<",
    re.S,
)
# Tags that start a new line as far as finding "Beschreibung:" at a line start is concerned.
_LINE_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "blockquote", "pre", "hr", "table", "tr", "td", "th", "dl", "dt", "dd"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "section", "details", "summary"}
)
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "source", "area", "col", "embed"})
_AFTER_COLON = re.compile(r"\s+|<br\s*/?>|</(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)\s*>", re.I)
_KEY_DECORATION = re.compile(r"^\s*(?:![^\s:]+\s+)?(?:[-*•]\s+)?[*_]*|[\s*_]+$")
_DESCRIPTION_KEYS = frozenset(key for key, field in ALIASES.items() if field == "description")
_HTML_TEXT_MAX = 5 * DESCRIPTION_MAX


def formatted_description(html: str) -> str | None:
    """The formatted description: everything after the first "Beschreibung:" at a line start, sanitised.

    Tags that are open at the key (the paragraph, a quote, bold around the whole text) are opened
    again in front of the cut, so the fragment keeps its shape. None if the key is not found or the
    HTML holds far more text than a description may (then it does not match the plain text anyway).
    """
    stack: list[tuple[str, str]] = []  # open allowed tags since the start: (name, the tag as written)
    line, looking = "", True  # text since the line started; False once the line cannot start with the key
    for token in _HTML_TOKEN.finditer(html):
        if token.group(0).startswith("<!--"):
            continue
        name = token["name"]
        if name:
            name = name.lower()
            if name in _LINE_TAGS:
                line, looking = "", True
            if token["close"]:
                _close(stack, name)
            elif name in _ALLOWED_TAGS and name not in _VOID_TAGS and not token.group(0).endswith("/>"):
                stack.append((name, token.group(0)))
            continue
        offset = token.start()
        for number, segment in enumerate(token.group(0).split("\n")):
            if number:
                line, looking = "", True
            if looking:
                colon = segment.find(":")
                if colon < 0:
                    line += htmllib.unescape(segment)
                    looking = len(line) < 60
                elif _is_description_key(line + htmllib.unescape(segment[:colon])):
                    return _fragment(stack, html[offset + colon + 1 :])
                else:
                    looking = False
            offset += len(segment) + 1
    return None


def _close(stack: list[tuple[str, str]], name: str) -> None:
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == name:
            del stack[index:]
            return


def _is_description_key(text: str) -> bool:
    return key_form(_KEY_DECORATION.sub("", text)) in _DESCRIPTION_KEYS


def _fragment(stack: list[tuple[str, str]], rest: str) -> str | None:
    """Reopen the tags still open at the cut (minus those closed right after the colon), then sanitise
    and cut out the field lines the plain text read as fields."""
    open_tags = list(stack)
    key_line_has_text = True  # False when the description starts on the line after the key
    while (match := _AFTER_COLON.match(rest)) and match.group(0):
        piece, name = match.group(0), (match["name"] or "").lower()
        if name:
            _close(open_tags, name)
        if "\n" in piece or piece.lower().startswith("<br") or name in _LINE_TAGS:
            key_line_has_text = False
        rest = rest[match.end() :]
    cleaned = sanitize_html("".join(tag for _, tag in open_tags) + rest)
    if len(cleaned) > _HTML_TEXT_MAX:
        return None
    cleaned = strip_hidden(_without_field_lines(cleaned, key_line_has_text), DESCRIPTION_HIDDEN)
    for _example, hint in template_values("description"):
        if hint:
            cleaned = cleaned.replace(htmllib.escape(hint, quote=False), "")
    cleaned = sanitize_html(cleaned)
    text = htmllib.unescape(re.sub(r"<[^>]*>", "", cleaned)).strip()
    if not text or len(text) > DESCRIPTION_MAX:
        return None
    return cleaned


# Sanitised HTML in pieces: a line break (with the newline after it), a block tag, another tag, text, and
# anything else (a stray "<") kept as it is.
_HTML_PIECE = re.compile(
    r"(?P<br><br>[ \t]*\n?|\n)|(?P<block></?(?:p|ul|ol|li|blockquote|pre)\b[^>]*>)|(?P<tag><[^>]*>)"
    r"|(?P<text>[^<\n]+)|(?P<other>.)",
    re.S,
)
_EMPTY_ELEMENT = re.compile(
    r"<(?P<name>b|strong|i|em|u|s|del|code|a|li|ul|ol|blockquote|pre|p)\b[^>]*>(?:\s|<br>)*</(?P=name)>"
)


def _without_field_lines(html: str, skip_first: bool) -> str:
    """Sanitised description HTML without the lines that are known `Feld: Wert` lines (with their break).

    `skip_first`: the first line with text is the rest of the "Beschreibung:" line and always stays,
    as in the plain text. Tags are kept (elements left empty are removed), so the HTML stays balanced.
    """
    pieces = [(match.lastgroup or "text", match.group()) for match in _HTML_PIECE.finditer(html)]
    lines: list[list[int]] = [[]]  # the pieces (text and inline tags) of each line
    breaks: list[int | None] = [None]  # the piece that starts each line
    for index, (kind, _) in enumerate(pieces):
        if kind in ("br", "block"):
            lines.append([])
            breaks.append(index)
        else:
            lines[-1].append(index)
    drop: set[int] = set()
    for number, members in enumerate(lines):
        text = htmllib.unescape("".join(pieces[i][1] for i in members if pieces[i][0] == "text"))
        if not text.strip():
            continue
        if skip_first:
            skip_first = False
            continue
        if not is_field_line(single_line(text)):
            continue
        drop.update(i for i in members if pieces[i][0] == "text")
        before = breaks[number]
        after = breaks[number + 1] if number + 1 < len(lines) else None
        if before is not None and pieces[before][0] == "br" and before not in drop:
            drop.add(before)
        elif after is not None and pieces[after][0] == "br":
            drop.add(after)
    kept = "".join(piece for index, (_, piece) in enumerate(pieces) if index not in drop)
    while (emptied := _EMPTY_ELEMENT.sub("", kept)) != kept:
        kept = emptied
    return kept
