"""The dialogue engine: one resident message in, the replies out, whatever the channel.

WeChat, the JSON API and the terminal chat all call `Engine.handle`. The engine loads the
resident's state, applies the global commands (菜单, 帮助, 返回, 重新开始, 退出, 人工, 更多, 继续),
drives the active flow (`bot/dialogs/`), answers policy questions from the knowledge base when no
flow takes the text, and saves the state again. It knows nothing of XML, HTTP or signatures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.dialogs import default_flows
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.dialogs.choices import normalise, ordinal, pick
from bot.paging import split_text, utf8_len
from bot.services import Services
from bot.sessions import FlowState, Session

log = logging.getLogger(__name__)
DIALOG_DIR = Path(__file__).parent / "dialogs"
SMALL_TALK = ("greet", "thanks")  # inside a flow these are answers first, pleasantries second


@dataclass(frozen=True)
class Message:
    user: str  # opaque, stable id of the resident on this channel (the openid on WeChat)
    text: str = ""
    key: str | None = None  # a menu key (flow name), "welcome", or None for typed text
    channel: str = "api"
    scene: str | None = None  # QR-code scene the resident arrived from


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    triggers: tuple[str, ...]


def load_commands() -> dict[str, str]:
    """Word → command name, from `dialogs/commands.yaml`."""
    raw = yaml.safe_load((DIALOG_DIR / "commands.yaml").read_text(encoding="utf-8"))
    return {normalise(str(word)): name for name, words in raw.items() for word in words}


def load_menu() -> list[MenuEntry]:
    raw = yaml.safe_load((DIALOG_DIR / "menu.yaml").read_text(encoding="utf-8"))
    return [MenuEntry(e["key"], e["label"], tuple(normalise(t) for t in e["triggers"])) for e in raw]


class Engine:
    def __init__(self, services: Services, flows: dict[str, Flow] | None = None) -> None:
        self.services = services
        self.flows = flows if flows is not None else default_flows()
        self.commands = load_commands()
        self.menu = [
            entry for entry in load_menu()
            if entry.key in self.flows and self.flows[entry.key].is_available(services)
        ]

    async def handle(self, message: Message, page_bytes: int | None = None) -> list[Reply]:
        """Answer one message. With `page_bytes`, the answer is one reply of at most that many
        bytes and the rest waits for `更多` (channels that show one message per turn).

        Every channel passes here, so this is where a resident's message limit is counted and
        where their turns are serialised across workers (`bot/turns.py`)."""
        limit = await self.services.limits.hit("messages", message.user)
        if not limit.allowed:
            return [self._say("chat/slow_down.txt", seconds=limit.retry_after, minutes=limit.minutes)]
        async with self.services.turns.turn(message.user):
            return await self._turn(message, page_bytes)

    async def _turn(self, message: Message, page_bytes: int | None) -> list[Reply]:
        sessions = self.services.sessions
        session = await sessions.load(message.user)
        replies = await self._dispatch(session, message)
        if page_bytes is not None:
            replies = self._paginate(session, replies, page_bytes)
        if session.forget:  # the resident just deleted their data: write nothing back
            return replies
        await sessions.save(message.user, session)
        state = session.flow
        if state is not None and self.flows[state.name].resumable:
            await sessions.save_resume(message.user, state)
        return replies

    # -- dispatch -----------------------------------------------------------------------------

    async def _dispatch(self, session: Session, message: Message) -> list[Reply]:
        if message.scene:
            await self.services.sessions.save_scene(message.user, message.scene)
        if message.key:
            return await self._on_key(session, message, message.key)
        text = message.text.strip()
        said = normalise(text)
        if not said:
            return [self._say("chat/empty.txt")]
        command = self._command(session, said)
        if command is not None:
            if command != "more":
                session.more = []
            return await getattr(self, f"_cmd_{command}")(session, message)
        session.more = []
        if session.flow is not None:
            return await self._continue(session, message, text)
        for entry in self.menu:
            if said in entry.triggers:
                return await self.start(session, message, entry.key)
        chosen = await self._choice(session, message, text)
        if chosen is not None:
            return chosen
        return await self._ask(session, message, text)

    def _command(self, session: Session, said: str) -> str | None:
        """The global command `said` (already normalised) names here, if any."""
        command = self.commands.get(said)
        state = session.flow
        if state is None:
            return command
        if command in SMALL_TALK or (said == "0" and self.flows[state.name].takes_number(state.step)):
            return None  # the flow hears it first (see `_continue`)
        return command

    async def _on_key(self, session: Session, message: Message, key: str) -> list[Reply]:
        if key == "welcome":
            session.flow = None
            return [self._say("chat/welcome.txt", menu=self._menu_lines(session))]
        if key in self.flows:
            return await self.start(session, message, key)
        if key in self.commands.values():
            return await getattr(self, f"_cmd_{key}")(session, message)
        return self._main_menu(session)

    async def _choice(self, session: Session, message: Message, text: str) -> list[Reply] | None:
        """A reply to the numbered list shown last (the main menu, or `您是想问`)."""
        kind = session.choice_kind or "menu"
        if kind == "clarify":
            number = ordinal(text)
            if number is not None and 1 <= number <= len(session.choices):
                entry_id = session.choices[number - 1]
                session.choice_kind, session.choices = None, []
                return [Reply(self.services.knowledge.answer_entry(entry_id).answer or "")]
            return None
        labels = [entry.label for entry in self.menu]
        if ordinal(text) is None and len(normalise(text)) > max(map(len, labels)) + 1:
            return None  # a sentence that merely contains "我的申请" is a question, not a menu pick
        index = pick(text, labels)
        if index is None:
            return None
        return await self.start(session, message, self.menu[index].key)

    # -- flows --------------------------------------------------------------------------------

    async def start(self, session: Session, message: Message, name: str) -> list[Reply]:
        flow = self.flows[name]
        session.choice_kind, session.choices = None, []
        session.flow = FlowState(name=name, step=flow.first_step)
        ctx = self._context(session.flow, message)
        return await self._apply(session, message, ctx, await flow.start(ctx))

    async def _continue(self, session: Session, message: Message, text: str) -> list[Reply]:
        state = session.flow
        assert state is not None
        flow = self.flows.get(state.name)
        if flow is None:  # a flow removed since the state was saved
            session.flow = None
            return self._main_menu(session)
        ctx = self._context(state, message)
        turn = await flow.handle(ctx, text)
        if turn.invalid:
            pleasantry = self._small_talk(text) if turn.next_step is not None else None
            aside = pleasantry or await self._aside(session, message, text)
            if aside is not None:
                return [*aside, *self._resume_prompt(await flow.prompt(ctx))]
        return await self._apply(session, message, ctx, turn)

    async def _apply(self, session: Session, message: Message, ctx: Context, turn: Turn) -> list[Reply]:
        state = ctx.state
        replies = list(turn.replies)
        session.forget = bool(turn.data.get("forget_session"))
        if turn.next_step is None:
            session.flow = None
            if self.flows[state.name].resumable:
                await self.services.sessions.drop_resume(message.user)
            if turn.then:
                replies += await self.start(session, message, turn.then)
        elif turn.invalid:
            state.tries += 1
        elif turn.next_step != state.step:
            state.history.append(state.step)
            state.step = turn.next_step
            state.tries = 0
        return replies

    def _context(self, state: FlowState, message: Message) -> Context:
        return Context(user=message.user, channel=message.channel, state=state, services=self.services)

    def _resume_prompt(self, prompt: list[Reply]) -> list[Reply]:
        if not prompt:
            return []
        first = prompt[0]
        lead = Reply(self._say("chat/continue.txt", prompt=first.text).text, first.url, first.link_text)
        return [lead, *prompt[1:]]

    # -- knowledge ----------------------------------------------------------------------------

    def _small_talk(self, text: str) -> list[Reply] | None:
        """A greeting or thanks a flow did not take as an answer: acknowledge it, then go on."""
        command = self.commands.get(normalise(text))
        if command == "greet":
            return [self._say("chat/greet_in_flow.txt")]
        if command == "thanks":
            return [self._say("chat/thanks.txt")]
        return None

    async def _aside(self, session: Session, message: Message, text: str) -> list[Reply] | None:
        """A confident policy answer to text a flow did not understand, or None."""
        knowledge = self.services.knowledge
        if knowledge is None:
            return None
        answer = knowledge.ask(text)
        return [Reply(answer.answer or "")] if answer.status == "answer" else None

    async def _ask(self, session: Session, message: Message, text: str) -> list[Reply]:
        session.choice_kind, session.choices = None, []  # numbers now refer to what this reply shows
        knowledge = self.services.knowledge
        if knowledge is None:
            return [self._say("chat/fallback.txt", menu=self._menu_lines(session))]
        answer = knowledge.ask(text)
        if answer.status != "answer":
            await self.services.record_miss(text, answer.status)
        if answer.status == "answer":
            return [Reply(answer.answer or "")]
        if answer.status == "clarify":
            top = answer.candidates[:3]
            session.choice_kind, session.choices = "clarify", [c.entry_id for c in top]
            return [self._say("chat/clarify.txt", questions=[c.question for c in top])]
        return [self._say("chat/fallback.txt", menu=self._menu_lines(session))]

    # -- global commands ----------------------------------------------------------------------

    async def _cmd_menu(self, session: Session, message: Message) -> list[Reply]:
        session.flow = None
        return self._main_menu(session)

    async def _cmd_help(self, session: Session, message: Message) -> list[Reply]:
        if session.flow is None:
            return [self._say("chat/help.txt", in_flow=False)]
        state = session.flow
        prompt = await self.flows[state.name].prompt(self._context(state, message))
        return [self._say("chat/help.txt", in_flow=True), *self._resume_prompt(prompt)]

    async def _cmd_greet(self, session: Session, message: Message) -> list[Reply]:
        return [self._say("chat/welcome.txt", menu=self._menu_lines(session))]

    async def _cmd_thanks(self, session: Session, message: Message) -> list[Reply]:
        return [self._say("chat/thanks.txt")]

    async def _cmd_back(self, session: Session, message: Message) -> list[Reply]:
        state = session.flow
        if state is None:
            return self._main_menu(session)
        replies: list[Reply] = []
        if state.history:
            state.step = state.history.pop()
        else:
            replies.append(self._say("chat/first_step.txt"))
        state.tries = 0
        return replies + await self.flows[state.name].prompt(self._context(state, message))

    async def _cmd_restart(self, session: Session, message: Message) -> list[Reply]:
        if session.flow is None:
            return self._main_menu(session)
        return await self.start(session, message, session.flow.name)

    async def _cmd_exit(self, session: Session, message: Message) -> list[Reply]:
        state = session.flow
        session.flow = None
        resumable = state is not None and self.flows[state.name].resumable
        return [self._say("chat/exit.txt", resumable=resumable, menu=self._menu_lines(session))]

    async def _cmd_human(self, session: Session, message: Message) -> list[Reply]:
        return await self.start(session, message, "human")

    async def _cmd_more(self, session: Session, message: Message) -> list[Reply]:
        if not session.more:
            return [self._say("chat/no_more.txt")]
        page = session.more.pop(0)
        return [Reply(page + (self._more_hint() if session.more else ""))]

    async def _cmd_resume(self, session: Session, message: Message) -> list[Reply]:
        state = session.flow or await self.services.sessions.load_resume(message.user)
        if state is None or state.name not in self.flows:
            return [self._say("chat/nothing_to_resume.txt"), *self._main_menu(session)]
        session.flow = state
        return self._resume_prompt(await self.flows[state.name].prompt(self._context(state, message)))

    # -- rendering ----------------------------------------------------------------------------

    def _say(self, template: str, **values: object) -> Reply:
        return Reply(self.services.templates.render(template, **values))

    def _menu_lines(self, session: Session) -> list[str]:
        session.choice_kind, session.choices = "menu", [entry.key for entry in self.menu]
        return [entry.label for entry in self.menu]

    def _main_menu(self, session: Session) -> list[Reply]:
        return [self._say("chat/menu.txt", menu=self._menu_lines(session))]

    def _paginate(self, session: Session, replies: list[Reply], limit: int) -> list[Reply]:
        """Merge the replies into one message of at most `limit` bytes; keep the rest for 更多."""
        if any(reply.handoff for reply in replies):
            return [next(reply for reply in replies if reply.handoff)]
        links = [reply for reply in replies if reply.url]
        url, link_text = (links[-1].url, links[-1].link_text) if links else (None, None)
        text = "\n\n".join(reply.text for reply in replies if reply.text)
        reserve = utf8_len(f'\n<a href="{url}">{link_text}</a>') if url else 0
        if utf8_len(text) + reserve <= limit:
            return [Reply(text, url, link_text)]
        hint = self._more_hint()
        pages = split_text(text, limit - reserve - utf8_len(hint))
        session.more = pages[1:]
        return [Reply(pages[0] + hint, url, link_text)]

    def _more_hint(self) -> str:
        return "\n" + self.services.templates.render("chat/more_hint.txt")
