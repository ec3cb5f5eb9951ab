"""The global commands (菜单, 帮助, 返回, 重新开始, 退出, 人工, 更多, 继续): one table, checked at start-up.

Their words live in `dialogs/commands.yaml` and `dialogs/intents.yaml`, which staff may edit; a
command is found by its name in `COMMANDS`, never by building a method name, and
`unknown_commands` names every command the word lists mention but the table lacks, so the engine
refuses to start on a typo instead of answering the resident "系统繁忙" the first time the word
is said. Each handler takes the engine, the resident's session and the message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING

from bot.dialogs.base import Reply
from bot.errors import ConfigError
from bot.sessions import Session

if TYPE_CHECKING:
    from bot.engine import Engine, Message

Command = Callable[["Engine", Session, "Message"], Awaitable[list[Reply]]]


async def menu(engine: Engine, session: Session, message: Message) -> list[Reply]:
    session.flow = None
    return engine.main_menu(session)


async def help_(engine: Engine, session: Session, message: Message) -> list[Reply]:
    if session.flow is None:
        return [engine.say("chat/help.txt", in_flow=False)]
    flow = engine.flows.get(session.flow.name)
    hint, why = (flow.explain(session.flow) if flow is not None else None) or ("", "")
    return [engine.say("chat/help.txt", in_flow=True, hint=hint, why=why),
            *await engine.resume(session, message)]


async def back(engine: Engine, session: Session, message: Message) -> list[Reply]:
    state = session.flow
    if state is None:
        return engine.main_menu(session)
    replies: list[Reply] = []
    if state.history:
        state.step = state.history.pop()
    else:
        replies.append(engine.say("chat/first_step.txt"))
    state.tries = 0
    return replies + await engine.flows[state.name].prompt(engine.context(state, message))


async def restart(engine: Engine, session: Session, message: Message) -> list[Reply]:
    if session.flow is None:
        return engine.main_menu(session)
    return await engine.start(session, message, session.flow.name)


async def exit_(engine: Engine, session: Session, message: Message) -> list[Reply]:
    state = session.flow
    session.flow = None
    resumable = state is not None and engine.flows[state.name].resumable
    return [engine.say("chat/exit.txt", resumable=resumable, menu=engine.menu_lines(session))]


async def human(engine: Engine, session: Session, message: Message) -> list[Reply]:
    return await engine.start(session, message, "human")


async def more(engine: Engine, session: Session, message: Message) -> list[Reply]:
    if not session.more:
        return [engine.say("chat/no_more.txt")]
    page = session.more.pop(0)
    return [Reply(page + (engine.more_hint() if session.more else ""))]


async def resume(engine: Engine, session: Session, message: Message) -> list[Reply]:
    state = session.flow or await engine.services.sessions.load_resume(message.user)
    if state is None or state.name not in engine.flows:
        return [engine.say("chat/nothing_to_resume.txt"), *engine.main_menu(session)]
    session.flow = state
    return await engine.resume(session, message)


COMMANDS: dict[str, Command] = {
    "menu": menu, "help": help_, "back": back, "restart": restart, "exit": exit_, "human": human,
    "more": more, "resume": resume,
}


def unknown_commands(named: Iterable[str | None]) -> list[str]:
    """The command names among `named` that no handler answers (sorted, without repeats)."""
    return sorted({name for name in named if name and name not in COMMANDS})


def check_commands(named: Iterable[str | None]) -> None:
    """Refuse to start (`ConfigError`) when a word list names a command without a handler."""
    unknown = unknown_commands(named)
    if unknown:
        raise ConfigError(f"commands named in dialogs/*.yaml have no handler: {', '.join(unknown)}")
