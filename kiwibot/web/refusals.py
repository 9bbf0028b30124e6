"""The pages a person sees when a link leads nowhere (404) or their address asked too often (429).

Whoever opens a dead link is most likely a member with an old one: the page says, in German and English (the
reader's language is unknown: the link names nobody any more), how to get new links, and nothing about why this
one does not work (revoked, mistyped, never existed look the same). Plain HTML, no script or style, `lang` set.
"""

from __future__ import annotations

from html import escape

from aiohttp import web

from kiwibot.i18n import template

_PAGE = """<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_de} – {title_en}</title>
</head>
<body>
<main>
<h1>{title_de}</h1>
<p>{text_de}</p>
<section lang="en">
<h2>{title_en}</h2>
<p>{text_en}</p>
</section>
</main>
</body>
</html>
"""


def page(kind: str) -> str:
    """The page for `kind` ("not_found" or "too_many"), both languages, the catalogue's words escaped."""
    words = {
        f"{part}_{language}": escape(template(language, f"web.{kind}_{part}"))
        for part in ("title", "text")
        for language in ("de", "en")
    }
    return _PAGE.format(**words)


def not_found() -> web.HTTPNotFound:
    """404 with the page: the same for every path and secret that leads nowhere."""
    return web.HTTPNotFound(text=page("not_found"), content_type="text/html")


def too_many(retry_after: int) -> web.HTTPTooManyRequests:
    """429 with the page and when to try again."""
    return web.HTTPTooManyRequests(
        text=page("too_many"), content_type="text/html", headers={"Retry-After": str(retry_after)}
    )
