"""The declarations of all commands and their thin handlers (arguments in, core call, message out)."""

from __future__ import annotations

from kiwibot.commands.registry import Arg, Command, CommandRegistry, Context
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


COMMANDS: tuple[Command, ...] = (
    Command("help", {"de": ("hilfe",), "en": ("help",)}, "cmd.help", _help, (Arg("command", required=False),)),
    Command("ping", {"de": ("ping",), "en": ()}, "cmd.ping", _ping),
    Command("language", {"de": ("sprache",), "en": ("language",)}, "cmd.language", _language, (Arg("language"),)),
)


def build_registry(prefix: str) -> CommandRegistry:
    return CommandRegistry(prefix, COMMANDS)
