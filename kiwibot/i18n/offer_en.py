"""English: offers (`!offer`), their error messages and the names of the formats.

Merged with the other entries in `kiwibot.i18n`; `offer_de.py` has the same keys.
"""

MESSAGES: dict[str, str] = {
    # the offer and its template
    "offer.invalid": "Your offer is not quite right yet – please correct:",
    "offer.template": (
        "To offer a session, copy this template, replace the title and description with your own, adapt "
        "the rest and send it to me as one message. Link, seats and co-hosts are optional; the description may "
        "run over several lines. Text in brackets is only a hint and may stay.\n"
        "{template}"
    ),
    # the template's lines (each `Field: value`, as the parser reads them); title and description are examples
    "offer.template.title": "Title: Title of your session",
    "offer.template.when": "When: {when}",
    "offer.template.duration": "Duration: 60 (30, 60 or 90 minutes)",
    "offer.template.format": "Format: {first} ({formats})",
    "offer.template.or": "or",
    "offer.template.link": "Link: (optional: link to the video room, https://…)",
    "offer.template.seats": "Seats: unlimited (or a number, e.g. 20)",
    "offer.template.cogivers": "Co-host: (optional: up to three people who give the session with you, e.g. @name)",
    "offer.template.description": (
        "Description: What is it about? Who is it for? What should participants bring? (Several lines are fine.)"
    ),
    "offer.template_unfilled": (
        "These fields still hold the template's example text: {fields}. Please replace it with your own "
        "details – the template is only a pattern."
    ),
    "offer.nothing_to_change": (
        "I don't see anything to change. Put each change on its own line as `Field: value`, "
        "e.g. `When: 3.12. 14:00` or `Seats: 20`."
    ),
    # fields that are missing
    "offer.missing_title": "The title is missing, e.g. `Title: Introduction to the e-file`.",
    "offer.missing_when": "The date and time are missing, e.g. `When: 3.12. 14:00`.",
    "offer.missing_duration": "The duration is missing: 30, 60 or 90 minutes, e.g. `Duration: 60`.",
    "offer.missing_format": "The format is missing, e.g. `Format: talk`. Available: {formats}.",
    # values that do not fit
    "offer.when_past": "The date {value} is in the past. Please choose a time in the future.",
    "offer.when_too_far": (
        "The date {value} is more than a year ahead. Sessions can be offered at most 365 days in advance."
    ),
    "offer.bad_duration": (
        "The duration “{value}” isn't possible. Choose 30, 60 or 90 minutes, "
        "e.g. `Duration: 60`, `Duration: 90 min` or `Duration: 1.5 h`."
    ),
    "offer.duration_conflict": (
        "The time range lasts {minutes} minutes, but the duration says {duration}. "
        "Please make them agree or leave out the duration line."
    ),
    "offer.bad_format": "I don't know the format “{value}”. Available: {formats}.",
    "offer.format_choice": "{words} ({name})",
    "offer.bad_link": (
        "The link “{value}” doesn't work like this. It must start with https:// (or http://) and contain "
        "no spaces, e.g. `Link: https://meet.example.org/kiwi`. Without a link, just leave the line out."
    ),
    "offer.bad_seats": (
        "I don't understand “{value}” as a number of seats. Use a whole number from 1 to {max}, "
        "e.g. `Seats: 20`, or `Seats: unlimited`."
    ),
    "offer.title_too_long": (
        "The title is {length} characters long; at most {max} are possible. "
        "Please shorten it – details fit well into the description."
    ),
    "offer.description_too_long": (
        "The description is {length} characters long; at most {max} are possible. Please shorten it a little."
    ),
    # the shape of the message
    "offer.duplicate": "The field “{field}” appears more than once. Please give each detail only once.",
    "offer.duplicate_after_description": (
        "I read the line “{line}” after the description as the field “{field}” – but that is already given "
        "above. Please give each detail only once. If the line belongs to the description, rephrase it "
        "without the colon after “{name}”."
    ),
    "offer.unknown_field": (
        "I don't know the field “{field}”. Available: Title, When, Duration, Format, Link, Seats, Co-host, Description and Wish."
    ),
    "offer.not_a_field": (
        "I don't understand the line “{line}”. Each detail is written as `Field: value`, on its own line "
        "or one after another on a line that starts with a field, e.g. `Title: E-file Duration: 60`. Longer text belongs in the description: `Description:` may be followed by "
        "as many lines as you like."
    ),
    "offer.missing_colon": "The line “{line}” lacks the colon after the field name. Like this: {example}",
    # formats
    "format.talk.name": "Short talk",
    "format.talk.about": "a brief input, then a discussion",
    "format.ama.name": "Ask me Anything",
    "format.ama.about": "open Q&A: all questions on the topic are welcome",
    "format.exchange.name": "Experience exchange",
    "format.exchange.about": "sharing what we have learnt about one question",
    "format.workshop.name": "Workshop",
    "format.workshop.about": "hands-on: try a method or a tool together",
    "format.group.name": "Open group meeting",
    "format.group.about": "open to all, e.g. to found a working group",
}
