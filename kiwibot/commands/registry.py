"""Commands declared as data: one declaration gives names, arguments, usage and help.

Usage lines and `!hilfe` are generated from the declarations, so they can never drift apart from
what the parser accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiwibot.commands.suggest import suggestion
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Lines, Msg
from kiwibot.i18n import LANGUAGES, template

if TYPE_CHECKING:
    from kiwibot.core.service import Kiwi


_TRAILING = ".!?,;:…"  # sentence punctuation typed right after a command word


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument. `rest` takes everything after the previous arguments, newlines included.

    `take` says how much of the text the argument reads, as (its text, what is left); by default one
    word. A session number reads "Nr. 6" as one value. `many` marks an argument that reads several
    values ("5, 6 und 7"); the usage shows it as "<Nr.> [Nr. …]".
    """

    name: str
    parse: Callable[[str], Any] = str
    required: bool = True
    rest: bool = False
    take: Callable[[str], tuple[str, str]] | None = None
    many: bool = False


class ArgError(ValueError):
    """An argument's own complaint (e.g. a second session number), told with the command's usage.

    Raised by `Arg.take`; only the registry knows the command, so it adds the `usage` parameter.
    """

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class Context:
    """Who asked, where, when, and in which language to answer; no Matrix types here."""

    kiwi: Kiwi
    registry: CommandRegistry
    sender: str
    room_id: str
    language: str
    now: datetime
    is_direct: bool = False
    html: str | None = None
    event_id: str | None = None
    named_users: tuple[str, ...] = ()  # people the command's text links to (pills), in order; never m.mentions
    sender_name: str = ""  # how the platform shows the sender now (their display name), "" if it has none


Handler = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Command:
    """One command. `slow`: its handler is a coroutine that only reads and does its slow part (a chart) in a
    thread; the adapter awaits it before the transaction that marks the command handled and queues the answer."""

    name: str
    aliases: dict[str, tuple[str, ...]]
    help: str
    handler: Handler
    args: tuple[Arg, ...] = ()
    hidden: bool = False
    # Sent without a number as a reply to (or in the thread of) a session's news post: that session's number.
    number_from_post: bool = False
    slow: bool = False
    private: bool = False  # its record keeps no sender (`!vergessen`: afterwards no row may name the person)

    def all_aliases(self) -> list[str]:
        return [alias for lang in LANGUAGES for alias in self.aliases.get(lang, ())]

    def primary(self, language: str) -> str:
        return (self.aliases.get(language) or self.all_aliases())[0]


@dataclass(frozen=True, slots=True)
class Invocation:
    word: str
    command: Command | None
    text: str


@dataclass(slots=True)
class CommandRegistry:
    prefix: str
    commands: Sequence[Command]
    _by_alias: dict[str, Command] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for command in self.commands:
            for alias in command.all_aliases():
                if alias.casefold() in self._by_alias:
                    raise ValueError(f"alias {alias!r} declared twice")
                self._by_alias[alias.casefold()] = command

    def named(self, name: str, language: str) -> str:
        """The command word (with prefix) of the command declared as `name`, in `language`."""
        for command in self.commands:
            if command.name == name:
                return self.prefix + command.primary(language)
        raise KeyError(name)

    def find(self, name: str) -> Command | None:
        return self._by_alias.get(name.casefold().lstrip(self.prefix))

    def match(self, body: str) -> Invocation | None:
        """A command invocation, or None for plain chat (which the bot leaves alone)."""
        text = body.strip()
        if not text.startswith(self.prefix):
            return None
        rest = text[len(self.prefix) :]
        # "! anmelden 7" (a phone's keyboard adds a space after "!") is a command only if the word is one of ours:
        # "! wow" stays chat.
        spaced = rest[:1].isspace()
        rest = rest.lstrip(" \t")
        if not rest or not rest[0].isalpha():
            return None
        head, _, tail = rest.partition("\n")
        word, _, args_on_line = head.partition(" ")
        # "!programm.", "!meine?", "!ping!": the sentence's punctuation is not part of the command word.
        word, args_on_line = self._joined(word.rstrip(_TRAILING), args_on_line)
        args = (args_on_line.strip() + ("\n" + tail if tail else "")).strip()
        command = self.find(word)
        if spaced and command is None:
            return None
        return Invocation(word, command, args)

    def _joined(self, word: str, rest: str) -> tuple[str, str]:
        """ "!meine daten", "!my data": two words people write apart where the command is one ("meinedaten") are
        that command, not `!meine` with a stray argument. Joined into the same command's other alias, the words
        stay apart: `!archiv E Akte` searches "E Akte", it is not `!archive Akte`."""
        second, _, after = rest.strip().partition(" ")
        second = second.rstrip(_TRAILING)
        together = self.find(word + second) if second else None
        if together is not None and together is not self.find(word):
            return word + second, after
        return word, rest

    def closest(self, word: str, language: str = "de", has_text: bool = False) -> str | None:
        """The alias to suggest for an unknown command word (see `suggest`); `has_text`: text followed the word."""
        return suggestion(word, self.commands, language, has_text)

    def parse_args(self, command: Command, text: str, language: str) -> list[Any]:
        values: list[Any] = []
        remaining = text
        for index, arg in enumerate(command.args):
            if arg.rest:
                token, remaining = remaining.strip(), ""
            elif arg.take is not None:
                try:
                    token, remaining = arg.take(remaining.strip())
                except ArgError as err:
                    # Where text follows the number (a reason, a date), say how it must begin.
                    more = Msg.of("error.text_after_number") if index + 1 < len(command.args) else ""
                    raise UserError(err.key, usage=self.usage(command, language), more=more, **err.params) from None
            else:
                parts = remaining.split(maxsplit=1)
                token = parts[0] if parts else ""
                remaining = parts[1] if len(parts) > 1 else ""
            if not token:
                if arg.required:
                    raise UserError("error.usage", usage=self.usage(command, language))
                values.append(None)
                continue
            try:
                values.append(arg.parse(token))
            except ValueError:
                raise UserError("error.usage", usage=self.usage(command, language)) from None
        if remaining.strip():
            raise UserError("error.usage", usage=self.usage(command, language))
        return values

    # -- generated texts --------------------------------------------------------------------

    def usage(self, command: Command, language: str) -> Code:
        words = [self.prefix + command.primary(language)]
        for arg in command.args:
            name = template(language, f"arg.{arg.name}")
            words.append(f"<{name}>" if arg.required else f"[{name}]")
            if arg.many:
                words.append(f"[{name} …]")
        return Code(" ".join(words))

    def help(self, language: str) -> Lines:
        lines: list[Msg | str] = [Msg.of("help.header")]
        lines += [
            Msg.of("help.line", usage=self.usage(command, language), text=Msg.of(command.help))
            for command in self.commands
            if not command.hidden
        ]
        other = "en" if language == "de" else "de"
        lines.append(
            Msg.of(
                "help.footer",
                example=Code(f"{self.named('help', language)} ping"),
                language=Code(f"{self.named('language', other)} {other}"),
            )
        )
        return Lines(tuple(lines))

    def help_code(self, language: str) -> Code:
        return Code(self.named("help", language))

    def help_for(self, command: Command, language: str) -> Msg:
        others = [Code(self.prefix + a) for a in command.all_aliases() if a != command.primary(language)]
        text: Msg | Lines = Msg.of(command.help)
        if others:
            text = Lines((Msg.of(command.help), Msg.of("help.aliases", aliases=others)))
        return Msg.of("help.detail", usage=self.usage(command, language), text=text)
