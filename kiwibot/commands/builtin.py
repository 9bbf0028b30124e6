"""The declarations of all commands and their thin handlers (arguments in, core call, message out)."""

from __future__ import annotations

from dataclasses import replace

from kiwibot.commands import feedback, loop, privacy, sessions
from kiwibot.commands.calendar import CalendarCommand
from kiwibot.commands.registry import Arg, Command, CommandRegistry, Context, Handler
from kiwibot.commands.statistics import Render, StatisticsCommand
from kiwibot.core.calendar import Calendars
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Lines, Msg


def _help(ctx: Context, topic: str | None) -> Msg | Lines:
    if topic is None:
        return ctx.registry.help(ctx.language)
    command = ctx.registry.find(topic)
    if command is None:
        raise UserError("error.unknown_command_plain", command=Code(topic), help=ctx.registry.help_code(ctx.language))
    return ctx.registry.help_for(command, ctx.language)


def _ping(ctx: Context) -> Msg:
    return Msg.of("ping.pong")


def _language(ctx: Context, language: str) -> Msg:
    ctx.kiwi.set_language(ctx.sender, language)
    return Msg.of("language.set")


def _de_en(de: str | tuple[str, ...], en: str | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {"de": (de,) if isinstance(de, str) else de, "en": (en,) if isinstance(en, str) else en}


# The one rule for session numbers: where several make sense (sign up, sign off) a command reads a list (a bad
# item in it is explained, the others are done); everywhere else exactly one, and a second number right after it
# is refused (`take_number`).
NUMBER = Arg("number", sessions.number, take=sessions.take_number)
NUMBERS = Arg("number", sessions.numbers, rest=True, many=True)
COMMANDS: tuple[Command, ...] = (
    Command("help", _de_en("hilfe", "help"), "cmd.help", _help, (Arg("command", required=False),)),
    Command(
        "offer", _de_en("anbieten", "offer"), "cmd.offer", sessions.offer, (Arg("offer", required=False, rest=True),)
    ),
    Command("join", _de_en("anmelden", "join"), "cmd.join", sessions.join, (NUMBERS,), number_from_post=True),
    Command("leave", _de_en("abmelden", "leave"), "cmd.leave", sessions.leave, (NUMBERS,), number_from_post=True),
    Command(
        "programme",
        _de_en("programm", ("program", "programme")),
        "cmd.programme",
        sessions.programme,
        (Arg("page", sessions.number, required=False),),
    ),
    Command("mine", _de_en("meine", "mine"), "cmd.mine", sessions.mine),
    Command(
        "calendar",
        _de_en("kalender", "calendar"),
        "cmd.calendar",
        CalendarCommand(None),  # given the calendar use cases by build_registry
        (Arg("new", required=False),),
    ),
    Command(
        "participants", _de_en("teilnehmende", "participants"), "cmd.participants", sessions.participants, (NUMBER,)
    ),
    Command(
        "edit",
        _de_en(("ändern", "aendern"), "edit"),
        "cmd.edit",
        sessions.edit,
        (NUMBER, Arg("changes", required=False, rest=True)),
    ),
    Command(
        "cancel",
        _de_en("absagen", "cancel"),
        "cmd.cancel",
        sessions.cancel,
        (NUMBER, Arg("reason", required=False, rest=True)),
    ),
    Command("repeat", _de_en("wiederholen", "repeat"), "cmd.repeat", sessions.repeat, (NUMBER, Arg("when", rest=True))),
    Command(
        "material",
        _de_en(("material", "unterlagen"), "materials"),
        "cmd.material",
        loop.material,
        (NUMBER, Arg("material", required=False, rest=True)),
    ),
    Command(
        "archive",
        _de_en("archiv", "archive"),
        "cmd.archive",
        loop.archive,
        (Arg("search", required=False, take=loop.take_search), Arg("page", sessions.number, required=False)),
    ),
    Command("wish", _de_en("wunsch", "wish"), "cmd.wish", loop.wish, (Arg("topic", required=False, rest=True),)),
    Command("wishes", _de_en(("wünsche", "wuensche"), "wishes"), "cmd.wishes", loop.wishes),
    Command(
        "patron", _de_en("pate", "patron"), "cmd.patron", sessions.patron, (Arg("patron", required=False, rest=True),)
    ),
    Command(
        "feedback",
        # "feedback" is German too: declared once (an alias may be declared only once), shown in both languages.
        {"de": ("feedback", "rückmeldung", "rueckmeldung"), "en": ()},
        "cmd.feedback",
        feedback.feedback,
        (Arg("number", sessions.number, take=feedback.take_session), Arg("feedback", required=False, rest=True)),
    ),
    Command(
        "reminders", _de_en("erinnerung", "reminders"), "cmd.reminders", sessions.reminders, (Arg("choice", rest=True),)
    ),
    Command("digest", _de_en("tagesprogramm", "digest"), "cmd.digest", sessions.digest),
    Command(
        "statistics",
        _de_en("statistik", ("stats", "statistics")),
        "cmd.statistics",
        StatisticsCommand(),  # given the chart renderer by build_registry
        (Arg("period", required=False, rest=True),),
        slow=True,
    ),
    Command("mydata", _de_en(("meinedaten", "meine-daten"), ("mydata", "my-data")), "cmd.mydata", privacy.my_data),
    Command(
        "forget",
        _de_en("vergessen", "forget"),
        "cmd.forget",
        privacy.forget,
        (Arg("confirm", required=False),),
        private=True,
    ),
    Command("ping", {"de": ("ping",), "en": ()}, "cmd.ping", _ping),
    Command("language", {"de": ("sprache",), "en": ("language",)}, "cmd.language", _language, (Arg("language"),)),
)


def build_registry(prefix: str, calendars: Calendars | None = None, render: Render | None = None) -> CommandRegistry:
    """The commands; `calendars` None: the web side is off and `!kalender` says so; `render` makes the statistics'
    chart and table (None: `!statistik` answers with text only)."""
    handlers: dict[str, Handler] = {"calendar": CalendarCommand(calendars), "statistics": StatisticsCommand(render)}
    return CommandRegistry(
        prefix, tuple(replace(c, handler=handlers[c.name]) if c.name in handlers else c for c in COMMANDS)
    )
