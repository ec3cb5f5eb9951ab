"""The dialogue engine: one resident message in, the replies out, whatever the channel.

WeChat, the JSON API and the terminal chat all call `Engine.handle`. Dispatch order, for every
typed message: (1) the safety net (`bot.safety`): danger to life gets the emergency numbers
first, in any state, even when storage is down, and the flow in progress is kept; (2) the global
commands (菜单, 帮助, 返回, 重新开始, 退出, 人工, 更多, 继续); (3) the active flow (`bot/dialogs/`);
(4) the main menu's entries and numbered choices; (5) policy questions from the knowledge base.
The state is saved again at the end. It knows nothing of XML, HTTP or signatures.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.dialogs import default_flows
from bot.dialogs.answers import yes_no
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.dialogs.choices import normalise, ordinal, pick
from bot.dialogs.intents import default_intents
from bot.errors import Busy, StorageUnavailable
from bot.metrics import ANSWERS
from bot.paging import split_text, utf8_len
from bot.referrals import directory as referral_directory
from bot.referrals import find as find_referral
from bot.safety import Danger, SafetyNet, safety_net
from bot.safety.counts import count_danger
from bot.services import Services
from bot.sessions import FlowState, Session

log = logging.getLogger(__name__)
DIALOG_DIR = Path(__file__).parent / "dialogs"
VERDICTS_KEPT = 64  # messages in flight whose safety verdict is remembered (memory only)


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
    label: str  # (its `triggers` are whole-message words of its intent: bot/dialogs/intents.py)


def load_commands() -> dict[str, str]:
    """Word → command name, from `dialogs/commands.yaml`."""
    raw = yaml.safe_load((DIALOG_DIR / "commands.yaml").read_text(encoding="utf-8"))
    return {normalise(str(word)): name for name, words in raw.items() for word in words}


def load_menu() -> list[MenuEntry]:
    raw = yaml.safe_load((DIALOG_DIR / "menu.yaml").read_text(encoding="utf-8"))
    return [MenuEntry(e["key"], e["label"]) for e in raw]


class Engine:
    def __init__(self, services: Services, flows: dict[str, Flow] | None = None,
                 safety: SafetyNet | None = None) -> None:
        self.services = services
        self.safety = safety or safety_net()
        self.flows = flows if flows is not None else default_flows()
        self.intents = default_intents()
        self.commands = load_commands()
        self._verdicts: OrderedDict[str, tuple[object, Danger | None]] = OrderedDict()
        self.menu = [
            entry for entry in load_menu()
            if entry.key in self.flows and self.flows[entry.key].is_available(services)
        ]

    async def handle(self, message: Message, page_bytes: int | None = None) -> list[Reply]:
        """Answer one message. With `page_bytes`, the answer is one reply of at most that many
        bytes and the rest waits for `更多` (channels that show one message per turn).

        Every channel passes here, so this is where a resident's message limit is counted and
        where their turns are serialised across workers (`bot/turns.py`). Neither ever withholds
        the emergency numbers from a message that signals danger."""
        danger = self.safety_reply(message.text) if message.text and not message.key else None
        try:
            limit = await self.services.limits.hit("messages", message.user)
            if not limit.allowed:
                return danger or [self._say("chat/slow_down.txt", seconds=limit.retry_after,
                                            minutes=limit.minutes)]
            async with self.services.turns.turn(message.user):
                return await self._turn(message, page_bytes)
        except Busy:  # storage down, or the resident's previous turn still running
            if danger is None:
                raise
            return danger

    async def _turn(self, message: Message, page_bytes: int | None) -> list[Reply]:
        sessions = self.services.sessions
        danger = self.detect(message.text) if message.text and not message.key else None
        try:
            session = await sessions.load(message.user)
        except StorageUnavailable:
            if danger is None:
                raise
            return self.danger_replies(danger)  # the numbers matter more than the conversation
        replies = await self._dispatch(session, message, danger)
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
            return [self._say("chat/empty.txt")]
        kind, _, name = self.route(session, text).partition(":")
        if kind == "command":
            if name != "more":
                session.more = []
            return await getattr(self, f"_cmd_{name}")(session, message)
        session.more = []
        if kind == "to_flow":
            return await self._continue(session, message, text)
        if kind == "flow":
            return await self.start(session, message, name)
        if kind == "offer":
            return await self._offer(session, message, text, name)
        chosen = await self._choice(session, message, text)
        if chosen is not None:
            return chosen
        if kind == "chat":
            return [self._chat(name, in_flow=False)]
        return await self._ask(session, message, text)

    def route(self, session: Session, text: str) -> str:
        """Where a (non-danger) message goes, without doing it: `command:<name>`, `flow:<name>`,
        `offer:<flow>`, `chat:<kind>`, `to_flow` (the running flow hears it) or `question`."""
        state = session.flow
        flow = self.flows.get(state.name) if state is not None else None
        if flow is not None and normalise(text) == "0" and flow.takes_number(state.step):
            return "to_flow"  # an amount or a count, not the 菜单 shortcut
        intent = self.intents.classify(text, f"{state.name}:{state.step}" if state is not None else None)
        if intent is None or (intent.flow is not None and not self._offered(intent.flow)):
            return "to_flow" if flow is not None else "question"
        if intent.chat:
            return "to_flow" if flow is not None else f"chat:{intent.chat}"  # 好的 may be a yes
        if flow is not None and state is not None and state.name in (intent.flow, intent.offer):
            # 我要报告 in the middle of a report is an answer; after a result, 再测一次 starts again
            return f"flow:{state.name}" if state.step in flow.done_steps else "to_flow"
        if intent.command:
            return f"command:{intent.command}"
        if intent.offer:
            return f"offer:{intent.offer}" if self._offered(intent.offer) else "question"
        return f"flow:{intent.flow}"

    def _offered(self, name: str) -> bool:
        return name in self.flows and self.flows[name].is_available(self.services)

    async def _on_key(self, session: Session, message: Message, key: str) -> list[Reply]:
        if key == "welcome":
            session.flow = None
            return [self._say("chat/welcome.txt", menu=self._menu_lines(session))]
        if key in self.flows:
            return await self.start(session, message, key)
        if key in self.commands.values() and hasattr(self, f"_cmd_{key}"):
            return await getattr(self, f"_cmd_{key}")(session, message)
        return self._main_menu(session)

    async def _choice(self, session: Session, message: Message, text: str) -> list[Reply] | None:
        """A reply to the numbered list shown last (the main menu, or `您是想问`)."""
        kind = session.choice_kind or "menu"
        if kind == "offer":  # "要报告吗？" — choices: [flow, what the resident said]
            flow, said = session.choices
            session.choice_kind, session.choices = None, []
            if yes_no(text) is True:
                return await self.start(session, message, flow, data={"what": said})
            if yes_no(text) is False:
                return [self._say("chat/smalltalk/ok.txt")]
            return None
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

    # -- danger to life ------------------------------------------------------------------------

    def danger_replies(self, danger: Danger, in_report: bool = False, resumable: bool = False) -> list[Reply]:
        """The emergency numbers, one caring sentence and what the product can do next (no storage)."""
        return [self._say("chat/safety/danger.txt", numbers=danger.numbers, care=danger.care,
                          in_report=in_report, resumable=resumable)]

    def safety_reply(self, text: str) -> list[Reply] | None:
        """For a channel that cannot reach the engine's storage: the danger reply, or None."""
        danger = self.detect(text) if text else None
        return self.danger_replies(danger) if danger is not None else None

    def detect(self, text: str) -> Danger | None:
        """The safety net's verdict on `text`. The webhook, `handle` and the turn each ask about the
        same message; the cue matching runs once, and again only after the cue file is reloaded."""
        self.safety.reload_if_changed()
        detector = self.safety.detector
        kept = self._verdicts.get(text)
        if kept is not None and kept[0] is detector:
            self._verdicts.move_to_end(text)
            return kept[1]
        danger = self.safety.detect(text)
        self._verdicts[text] = (detector, danger)
        if len(self._verdicts) > VERDICTS_KEPT:
            self._verdicts.popitem(last=False)
        return danger

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
        session.flow = FlowState(name=name, step=flow.first_step, data=dict(data or {}))
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
        """Chit-chat a flow did not take as an answer: acknowledge it, then go on."""
        intent = self.intents.classify(text)
        return [self._chat(intent.chat, in_flow=True)] if intent is not None and intent.chat else None

    def _chat(self, kind: str, in_flow: bool) -> Reply:
        if kind == "greet":
            return self._say("chat/greet_in_flow.txt") if in_flow else self._say(
                "chat/welcome.txt", menu=[entry.label for entry in self.menu])
        if kind == "thanks":
            return self._say("chat/thanks.txt")
        return self._say(f"chat/smalltalk/{kind}.txt")

    async def _offer(self, session: Session, message: Message, text: str, flow: str) -> list[Reply]:
        """Someone in need described: answer what can be answered, then offer the report."""
        aside = await self._aside(session, message, text) or []
        session.choice_kind, session.choices = "offer", [flow, text[:500]]
        return [*aside, self._say("chat/report/offer.txt")]

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
            return [self._say("chat/fallback.txt", menu=self._menu_lines(session), recorded=False)]
        answer = knowledge.ask(text)
        ANSWERS.labels(answer.status).inc()
        if answer.status == "answer":
            return [Reply(answer.answer or "")]
        recorded = await self.services.record_miss(text, answer.status)
        if answer.status == "clarify":
            top = answer.candidates[:3]
            session.choice_kind, session.choices = "clarify", [c.entry_id for c in top]
            return [self._say("chat/clarify.txt", questions=[c.question for c in top])]
        referral = find_referral(text)
        if referral is None and answer.out_of_scope and answer.referral:  # the matcher's near miss
            referral = referral_directory().entries.get(answer.referral)
        if referral is not None:
            return [self._say("chat/referral.txt", referral=referral, recorded=recorded)]
        return [self._say("chat/fallback.txt", menu=self._menu_lines(session), recorded=recorded)]

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
