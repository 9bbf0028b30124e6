"""English. Placeholders in {braces}, **bold**, `code`."""

MESSAGES: dict[str, str] = {
    "format.datetime": "EEE, MMM d, y, h:mm a",
    "format.weekday_date": "EEEE, MMMM d, y",
    "format.date": "MMM d, y",
    "format.time": "h:mm a",
    "help.header": "**KIWI – peer learning sessions.** Here is what I can do:",
    "help.line": "{usage} – {text}",
    "help.footer": "More about one command: {example}. Auf Deutsch antworten: {language}",
    "help.detail": "{usage}\n{text}",
    "help.aliases": "Also: {aliases}",
    "cmd.help": "shows this overview, or help on one command",
    "cmd.ping": "checks that I am here",
    "cmd.language": "sets the language I answer you in (de or en)",
    "arg.command": "command",
    "arg.language": "language",
    "ping.pong": "🏓 Pong! I am here.",
    "language.set": "All right: from now on I answer you in English.",
    "error.unknown_command": "I don't know the command {command}. Did you mean {suggestion}? All commands: {help}",
    "error.unknown_command_plain": "I don't know the command {command}. {help} lists all commands.",
    "error.usage": "This is how the command works: {usage}",
    "error.bad_number": "{value} is not a valid number. Expected a whole number, e.g. 7.",
    "error.bad_language": "I don't know the language {value}. Available: de (Deutsch), en (English).",
    "error.internal": (
        "Something went wrong on my side. Please try again later. "
        "If it happens again, give the admin team this reference: {ref}"
    ),
    "error.storage": "I can't save anything right now. Please try again in a few minutes.",
    "date.unknown": (
        "I don't understand the date {value}. Try e.g. 2026-12-03 14:00, 03.12.2026 14:00, "
        "3.12. 2pm, tomorrow 14:00 or thursday 2pm."
    ),
    "date.nonexistent": ("The time in {value} does not exist on that day (clocks change). Please pick another time."),
    "date.no_time": "The date {value} has no time, e.g. {value} 14:00.",
    "date.no_date": "The time {value} has no date, e.g. 3.12. {value}.",
}
