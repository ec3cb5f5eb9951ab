"""The dialogue engine: one resident message in, the replies out, whatever the channel.

WeChat, the JSON API and the terminal chat all call `Engine.handle`. Dispatch order, for every
typed message: (1) the safety net (`bot.safety`): danger to life gets the emergency numbers
first, in any state, even when storage is down, and the flow in progress is kept; (2) the global
commands (菜单, 帮助, 返回, 重新开始, 退出, 人工, 更多, 继续); (3) the active flow (`bot/dialogs/`);
(4) the main menu's entries and numbered choices; (5) policy questions from the knowledge base.
The state is saved again at the end. It knows nothing of XML, HTTP or signatures.

Beside it: the safety net's verdicts, the danger reply and its count (`bot/verdicts.py`), the
commands' table (`bot/commands.py`), what a pick from the last numbered list does
(`bot/numbered.py`), policy answers, chit-chat and the report offer (`bot/answering.py`), the one
menu (`bot/dialogs/menu.py`) and paging (`bot/paging.py`). A command or menu key that names no
handler or flow stops the engine from starting (`ConfigError`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot import answering, numbered
from bot.commands import COMMANDS, check_commands
from bot.dialogs import default_flows
from bot.dialogs.answers.slots import holds_number
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.dialogs.intents import default_intents
from bot.dialogs.menu import checked_entries
from bot.errors import Busy, Limited
from bot.memo import Memo
from bot.paging import paginate
from bot.ratelimit import Verdict
from bot.routing import decide
from bot.safety import Danger, SafetyNet, safety_net
from bot.safety.counts import count_danger
from bot.services import Services
from bot.sessions import FlowState, Session
from bot.turns import RECEIPT, Held
from bot.verdicts import VERDICTS_KEPT, DangerDesk


@dataclass(frozen=True)
class Message:
    user: str  # opaque, stable id of the resident on this channel (the openid on WeChat)
    text: str = ""
    key: str | None = None  # a menu key (flow name), "welcome", or None for typed text
    channel: str = "api"
    scene: str | None = None  # QR-code scene the resident arrived from


class Engine(DangerDesk):
    def __init__(self, services: Services, flows: dict[str, Flow] | None = None,
                 safety: SafetyNet | None = None) -> None:
        self.services = services
        self.safety = safety or safety_net()
        self.flows = flows if flows is not None else default_flows()
        self.intents = default_intents()
        check_commands(intent.command for intent in self.intents.intents.values())
        self.offered = frozenset(name for name, flow in self.flows.items() if flow.is_available(services))
        self.menu = [e for e in checked_entries(self.flows) if e.key in self.offered]
        self._verdicts: Memo[tuple[object, Danger | None]] = Memo(VERDICTS_KEPT)
        self._more_hint: str | None = None

    @property
    def warmed_up(self) -> bool:
        """Whether the learned stages (danger, intents) have joined the word lists: until then a
        fresh worker answers from the lists alone and says so at `/readyz`."""
        return self.safety.trained and self.intents.model is not None

    async def handle(self, message: Message, page_bytes: int | None = None) -> list[Reply]:
        """Answer one message. With `page_bytes`, the answer is one reply of at most that many
        bytes and the rest waits for `更多` (channels that show one message per turn). A caller
        that set a `Receipt` (`bot.turns.RECEIPT`, the WeChat delivery) gets the replies stored
        as the turn leaves its queue, in the same round trip (`receipt.kept` says whether).

        Every channel passes here, so this is where a resident's message limit is counted and
        where their turns are serialised across workers (`bot/turns.py`). Neither ever withholds
        the emergency numbers from a message that signals danger."""
        danger = self.safety_reply(message.text) if message.text and not message.key else None
        sessions, turns = self.services.sessions, self.services.turns
        receipt = RECEIPT.get()
        window = self.services.limits.window("messages", turns.hash_tag(message.user))
        try:
            async with turns.turn(message.user, sessions.key(message.user), receipt, window) as held:
                replies = await self._turn(message, page_bytes, held)
                if receipt is not None:
                    receipt.fill(replies)
                return replies
        except Limited as limit:  # counted as the turn would have joined its queue: no turn ran
            try:
                if danger is not None:  # the numbers without a turn: counted here
                    await self.count_danger(message.text)
            except Busy:
                self.count_danger_later(message.text)
            verdict = Verdict(False, limit.retry_after)
            return danger or [self.say("chat/slow_down.txt", seconds=verdict.retry_after,
                                       minutes=verdict.minutes)]
        except Busy:  # storage down, or the resident's previous turn still running
            if danger is None:
                raise
            self.count_danger_later(message.text)
            return danger

    async def _turn(self, message: Message, page_bytes: int | None, held: Held) -> list[Reply]:
        """One turn on the session the turn queue read; the queue writes it back as the turn ends
        (a session Redis could not give fails the turn, and `handle` still sends the numbers)."""
        sessions = self.services.sessions
        danger = self.detect(message.text) if message.text and not message.key else None
        session = sessions.opened(held.value)
        replies = await self._dispatch(session, message, danger)
        if page_bytes is not None:
            reply, rest = paginate(replies, page_bytes, self.more_hint())
            replies, session.more = [reply], rest or session.more  # 更多 itself keeps the pages left
        if session.forget:  # the resident just deleted their data: write nothing back
            return replies
        held.write(sessions.sealed(session), sessions.ttl)
        state = session.flow
        if state is not None and self.flows[state.name].resumable:
            await sessions.save_resume(message.user, state)
        return replies

    # -- dispatch -----------------------------------------------------------------------------

    async def _dispatch(self, session: Session, message: Message,
                        danger: Danger | None = None) -> list[Reply]:
        if message.scene:
            await self.services.sessions.save_scene(message.user, message.scene)
        if message.key:
            return await self._on_key(session, message, message.key)
        text = message.text.strip()
        if danger is not None:
            return await self._on_danger(session, message, danger, text)
        if not text:
            return [self.say("chat/empty.txt")]
        kind, _, name = self.route(session, text).partition(":")
        if kind == "command":
            if name != "more":
                session.more = []
            return await COMMANDS[name](self, session, message)
        session.more = []
        if kind == "to_flow":
            return await self._continue(session, message, text)
        if kind == "flow":
            return await self.start(session, message, name)
        if kind == "offer":
            return answering.offer(self, session, text, name)
        chosen = await numbered.answer(self, session, message, text)
        if chosen is not None:
            return chosen
        if kind == "chat":
            return [answering.chat(self, name, in_flow=False)]
        return await answering.ask(self, session, message, text)

    def route(self, session: Session, text: str) -> str:
        """Where a (non-danger) message goes, without doing it: `command:<name>`, `flow:<name>`,
        `offer:<flow>`, `chat:<kind>`, `to_flow` (the running flow hears it) or `question`
        (`bot.routing.decide`, which the intent tuner replays)."""
        state = session.flow
        flow = self.flows.get(state.name) if state is not None else None
        step = f"{state.name}:{state.step}" if state is not None else None
        return decide(text, self.intents.classify(text, step), state, flow, self.offered)

    async def _on_key(self, session: Session, message: Message, key: str) -> list[Reply]:
        if key == "welcome":
            session.flow = None
            return [self.say("chat/welcome.txt", menu=self.menu_lines(session))]
        if key in self.flows:
            return await self.start(session, message, key)
        if key in COMMANDS:
            return await COMMANDS[key](self, session, message)
        return self.main_menu(session)

    # -- danger to life ------------------------------------------------------------------------

    async def _on_danger(self, session: Session, message: Message, danger: Danger, text: str) -> list[Reply]:
        await count_danger(self.services.redis, danger.category)
        state = session.flow
        flow = self.flows.get(state.name) if state is not None else None
        if flow is not None and flow.hears_danger:  # a report: the numbers, then the report goes on
            session.more = []
            answer = await self._continue(session, message, text)
            return [*self.danger_replies(danger, in_report=True), *answer]
        return self.danger_replies(danger, resumable=flow is not None)

    # -- flows --------------------------------------------------------------------------------

    async def start(self, session: Session, message: Message, name: str,
                    data: dict[str, str] | None = None) -> list[Reply]:
        flow = self.flows[name]
        session.choice_kind, session.choices = None, []
        data = dict(data or {})
        if flow.hears_story and session.said:
            data["story"] = session.said
        session.said = ""
        session.flow = FlowState(name=name, step=flow.first_step, data=data)
        ctx = self.context(session.flow, message)
        return await self._apply(session, message, ctx, await flow.start(ctx))

    async def _continue(self, session: Session, message: Message, text: str) -> list[Reply]:
        state = session.flow
        assert state is not None
        flow = self.flows.get(state.name)
        if flow is None:  # a flow removed since the state was saved
            session.flow = None
            return self.main_menu(session)
        ctx = self.context(state, message)
        turn = await flow.handle(ctx, text)
        if turn.invalid and not holds_number(text):  # a phone or ID number is never a policy question
            pleasantry = answering.small_talk(self, text) if turn.next_step is not None else None
            aside = pleasantry or answering.aside(self, text)
            if aside is not None:
                return [*aside, *self._resume_prompt(await flow.prompt(ctx))]
        return await self._apply(session, message, ctx, turn)

    async def _apply(self, session: Session, message: Message, ctx: Context, turn: Turn) -> list[Reply]:
        state = ctx.state
        replies = list(turn.replies)
        session.forget = turn.forget
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

    def context(self, state: FlowState, message: Message) -> Context:
        return Context(user=message.user, channel=message.channel, state=state, services=self.services)

    async def resume(self, session: Session, message: Message) -> list[Reply]:
        """The running flow's question again, introduced as going on where the resident was."""
        state = session.flow
        assert state is not None
        return self._resume_prompt(await self.flows[state.name].prompt(self.context(state, message)))

    def _resume_prompt(self, prompt: list[Reply]) -> list[Reply]:
        if not prompt:
            return []
        first = prompt[0]
        lead = replace(self.say("chat/continue.txt", prompt=first.text), url=first.url,
                       link_text=first.link_text)
        return [lead, *prompt[1:]]

    # -- rendering ----------------------------------------------------------------------------

    def say(self, template: str, **values: object) -> Reply:
        return Reply(self.services.templates.render(template, **values), source=template)

    def menu_lines(self, session: Session) -> list[str]:
        """The main menu's labels; from now on a number names one of them."""
        session.choice_kind, session.choices = "menu", [entry.key for entry in self.menu]
        return [entry.label for entry in self.menu]

    def main_menu(self, session: Session) -> list[Reply]:
        return [self.say("chat/menu.txt", menu=self.menu_lines(session))]

    def more_hint(self) -> str:
        """The line that ends a page when more follow: rendered once (templates are fixed for the
        life of a process), not on every paged reply."""
        if self._more_hint is None:
            self._more_hint = "\n" + self.services.templates.render("chat/more_hint.txt")
        return self._more_hint
