"""English: the learning loop – materials (`!materials`), the archive (`!archive`) and topic wishes (`!wish`).

Merged with the other entries in `kiwibot.i18n`; `loop_de.py` has the same keys.
"""

from kiwibot.i18n.plurals import Plural, plural

MESSAGES: dict[str, str | Plural] = {
    # commands
    "cmd.material": (
        "shares a link to materials of a session, with a description if you like – after the session too "
        "(session givers, co-hosts, patrons, admins); `remove 2` takes no. 2 out, without a link it lists them all"
    ),
    "cmd.archive": "searches past sessions, e.g. `!archive e-file` or `!archive e-file 2` for page 2",
    "cmd.wish": (
        "wishes for a topic (first line: the topic, below it a description if you like); `close W7` (or `delete`, "
        "`withdraw`) takes a wish back"
    ),
    "cmd.wishes": "shows the open topic wishes, most wanted first",
    "arg.material": "link [description]",
    "arg.search": "search word",
    "arg.topic": "topic",
    "error.wish_number": (
        "“{value}” is the number of a topic wish. A session number is needed here, e.g. 7 – "
        "`!programme` shows the sessions, `!wishes` the wishes."
    ),
    # materials
    "news.materials": "**Materials:**",
    "material.line": "📎 {position}. {link}",
    "material.header": "**Materials of session {number} “{title}”** {post}",
    "material.none": "Session {number} has no materials yet. Share some with {usage}.",
    "material.added": plural(
        "count",
        one=(
            "Thank you! The materials are no. {position} of session {number}; the announcement shows them, "
            "and {count} participant is told."
        ),
        other=(
            "Thank you! The materials are no. {position} of session {number}; the announcement shows them, "
            "and {count} participants are told."
        ),
    ),
    "material.added_nobody_yet": (
        "Thank you! The materials are no. {position} of session {number}; the announcement shows them. "
        "Whoever signs up later finds them there."
    ),
    "material.notice": "📎 New materials for session {number} “{title}”: {material}",
    "material.removed": "Material no. {position} ({material}) is removed from session {number}.",
    "material.forbidden": (
        "Only the session giver, co-hosts, patrons and admins may share materials of session {number}. "
        "Have something that fits? Send it to the session giver."
    ),
    "material.cancelled": "Session {number} “{title}” is cancelled – no materials can be shared for it.",
    "material.bad_link": (
        "I can't take the link “{value}”: materials must be a web link starting with https:// (or http://) "
        "without spaces, e.g. `https://cloud.example.org/slides.pdf`."
    ),
    "material.text_too_long": "The description is {length} characters long, at most {max} are possible. Please shorten it.",
    "material.duplicate": "This link is already no. {position} of session {number}.",
    "material.too_many": (
        "Session {number} already has {max} materials – that is the limit. Remove one with "
        "`!materials {number} remove <no.>` or collect the links in one place."
    ),
    "material.which": "Which material should go? Give its number, e.g. {usage}.",
    "material.no_such": plural(
        "count",
        one="Session {number} has only {count} material – there is no no. {position}.",
        other="Session {number} has {count} materials – there is no no. {position}.",
    ),
    "material.none_to_remove": "Session {number} has no materials to remove.",
    # the archive
    "archive.header": "**KIWI archive: past sessions** (page {page} of {pages})",
    "archive.header_search": plural(
        "count",
        one="**KIWI archive: {count} session for “{query}”** (page {page} of {pages})",
        other="**KIWI archive: {count} sessions for “{query}”** (page {page} of {pages})",
    ),
    "archive.line": "**{when}** · no. {number} · {title} ({format}) · {giver} · {count} · {post}",
    "archive.material": "    {line}",
    "archive.more": "More: {next}",
    "archive.empty": "The archive is still empty: no session has taken place yet.",
    "archive.nothing_found": (
        "I found no session for “{query}” in the archive. Try another word or the start of one – "
        "{all} shows every past session."
    ),
    "archive.no_page": plural(
        "pages",
        one="There is no page {page} – the archive has only {pages} page.",
        other="There is no page {page} – the archive has {pages} pages.",
    ),
    "archive.no_page_search": plural(
        "pages",
        one="There is no page {page} – “{query}” has only {pages} page.",
        other="There is no page {page} – “{query}” has {pages} pages.",
    ),
    "archive.query_too_long": "The search is {length} characters long, at most {max} are possible. A word or two will do.",
    "archive.query_empty": "“{value}” has no word I could search for. Try e.g. `!archive e-file`.",
    # wishes
    "wish.usage": (
        "Wish for a topic: {usage} – the topic on the first line, below it what interests you about it. "
        "{wishes} shows the open wishes."
    ),
    "wish.created": (
        "Thank you! Your wish is number **{wish}**: “{topic}”. I'll post it in the programme room – "
        "whoever is interested too reacts with 👍."
    ),
    "wish.similar": (
        "There are similar wishes already – does one of them fit your topic? Then show your interest there with 👍 and take "
        "yours back with `!wish close {wish}`, so the interest adds up in one place:"
    ),
    "wish.similar_line": "• **{wish}** “{topic}” {post}",
    "wish.empty": "What would you like? Write the topic after the command, e.g. `!wish Accessible PDFs`.",
    "wish.session_number_as_topic": (
        "“{value}” is a number, not a topic. Write the topic in words, e.g. `!wish Accessible PDFs`; "
        "to join a session, write `!join {value}`."
    ),
    "wish.number_as_topic": (
        "“{value}” is a wish number, not a topic. To close a wish: `!wish close {value}`; "
        "`!wishes` shows all open wishes."
    ),
    "wish.command_as_topic": (
        "“{value}” is no topic but looks like a command – I won't post it as a wish. "
        "To take a wish back: {usage}; `!wishes` shows all open wishes."
    ),
    "wish.topic_too_long": (
        "The topic is {length} characters long, at most {max} are possible. Please shorten it – "
        "details fit on the lines below."
    ),
    "wish.description_too_long": "The description is {length} characters long, at most {max} are possible. Please shorten it.",
    "wish.already_wished": "You already wished for this: **{wish}** “{topic}”.",
    "wish.wished_by_others": "Others wish for this already: **{wish}** “{topic}”. Show your interest with 👍 on the wish: {post}",
    "wish.too_many": plural(
        "max",
        one="You already have {max} open wish. Once it is fulfilled or closed you can wish for something new.",
        other="You already have {max} open wishes. Once one is fulfilled or closed you can wish for something new.",
    ),
    "wish.unknown": "There is no wish {wish}. `!wishes` shows the open wishes.",
    "wish.bad_number": "“{value}” is no wish number. Wish numbers look like W7 – `!wishes` shows the open wishes.",
    "wish.session_number": (
        "“{value}” is a session number. The number of a topic wish is needed here, e.g. W7 – "
        "`!wishes` shows the open wishes."
    ),
    "wish.which": "Which wish do you mean? Give its number, e.g. {usage}.",
    "wish.close_some_failed": "These wishes I did not close:",
    "wish.already_fulfilled": "Wish {wish} is already fulfilled – by session {number}.",
    "wish.already_closed": "Wish {wish} is already closed.",
    "wish.close_forbidden": "Only the person who made wish {wish}, patrons and admins may close it.",
    "wish.closed": "Wish {wish} “{topic}” is closed.",
    "wish.closed_told": "{actor} closed your wish {wish} “{topic}”.",
    "wish.fulfilled_notice": (
        "💡 Wish {wish} “{topic}” comes true: session {number} “{title}” on {when}. "
        "Sign up with 👍 on its {post} or with `!join {number}`."
    ),
    "wish.reopened_cancelled": (
        "↩️ Session {number} “{title}” is cancelled. Wish {wish} “{topic}” is open again – "
        "your interest still counts: {post}"
    ),
    "wish.reopened_changed": (
        "↩️ Session {number} “{title}” no longer takes up wish {wish} “{topic}”. The wish is open again – "
        "your interest still counts: {post}"
    ),
    "wish.post_title": "💡 **Topic wish {wish}: {topic}**",
    "wish.post_title_fulfilled": "✅ **Fulfilled – topic wish {wish}: {topic}**",
    "wish.post_title_closed": "🔒 **Closed – topic wish {wish}: {topic}**",
    "wish.post_by": "Wished for by {wisher}",
    "wish.post_by_former": "Wished for by a former member",
    "wish.interest": plural("count", one="{count} person interested", other="{count} people interested"),
    "wish.post_react": "React with {reaction} if you are interested too.",
    "wish.post_offer": "You could give a session on it? Offer it with {offer} and add the line `Wish: {wish}`.",
    "wish.post_session": "There is a session on it now: session {number} “{title}” on {when}: {post}",
    "wishes.header": plural(
        "count",
        one="**Open topic wishes** ({count})",
        other="**Open topic wishes** ({count}, most wanted first)",
    ),
    "wishes.line": "**{wish}** · {topic} · {count} · by {wisher} on {when} · {post}",
    "wishes.line_former": "**{wish}** · {topic} · {count} · by a former member on {when} · {post}",
    "wishes.more": "… and {count} more",
    "wishes.footer": "Show interest: 👍 on the wish. Offer a session on it: {offer} with the line `Wish: W…`.",
    "wishes.none": "There are no open topic wishes at the moment. Wish for something yourself: {wish}",
}
