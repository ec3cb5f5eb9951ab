"""What a conversation flow is: an explicit state machine over named steps, driven by the engine.

A flow never sees WeChat or HTTP. The engine hands it a `Context` (who, which channel, the flow's
own `FlowState`, the shared services) and the resident's text; the flow answers with a `Turn`:
the replies, the next step (or `None` when it is done) and whether the text was not an answer
at all, in which case the engine may answer it as a policy question and resume the flow.

The engine owns everything that works at every step (菜单, 返回, 重新开始, 退出, 人工, 更多),
including the step history that `返回` walks back through, so flows stay small.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from bot.sessions import FlowState

if TYPE_CHECKING:
    from bot.services import Services


@dataclass(frozen=True)
class Reply:
    """One message to the resident: text, optionally a link (shown as a tap-able line)."""

    text: str
    url: str | None = None
    link_text: str | None = None
    handoff: bool = False  # hand the conversation to the human customer-service desk
    # What answered: the template ("chat/menu.txt") or the knowledge entry ("faq:<id>"), so tests
    # and logs can tell which answer it was without reading its wording.
    source: str | None = None


@dataclass
class Turn:
    replies: list[Reply]
    next_step: str | None  # None: the flow has finished
    invalid: bool = False  # the text did not answer the current step
    then: str | None = None  # when finished, start this flow next
    forget: bool = False  # the resident's data was just deleted: the engine saves no state back


@dataclass
class Context:
    user: str
    channel: str
    state: FlowState
    services: Services

    def say(self, template: str, **values: Any) -> Reply:
        return Reply(self.services.templates.render(template, **values), source=template)

    def render(self, template: str, **values: Any) -> str:
        return self.services.templates.render(template, **values)


class Flow:
    """Base for flows. Subclasses set `name` and implement `start`, `handle` and `prompt`."""

    name: ClassVar[str]
    resumable: ClassVar[bool] = False  # keep an unfinished run for `继续` (RESUME_TTL)
    hears_danger: ClassVar[bool] = False  # after the emergency numbers, a danger message is an answer here
    hears_story: ClassVar[bool] = False  # starts with the resident's last message outside a flow (`story`)
    done_steps: ClassVar[frozenset[str]] = frozenset()  # steps after which asking for the flow starts it anew
    first_step: ClassVar[str] = "start"

    async def start(self, ctx: Context) -> Turn:
        """Begin the flow. `ctx.state.step` is the first step already (see `first_step`)."""
        return Turn(await self.prompt(ctx), next_step=ctx.state.step)

    async def handle(self, ctx: Context, text: str) -> Turn:
        raise NotImplementedError

    async def prompt(self, ctx: Context) -> list[Reply]:
        """The question for the current step, asked again after 返回, a resume or an aside."""
        raise NotImplementedError

    def takes_number(self, step: str) -> bool:
        """True where a bare `0` is an answer (an amount, a count), not the 菜单 shortcut."""
        return False

    def hears_answer(self, state: FlowState, text: str) -> bool:
        """Whether `text` answers the current step. The engine asks before it lets words that
        start another flow take the message: "居住证没办 不晓得要办" at the 居住证 question is an
        answer first ("要办" aside), not a wish to apply. `text` is the message without those words."""
        return False

    def explain(self, state: FlowState) -> tuple[str, str] | None:
        """How to answer the current step and why it is asked (hint, why), for 帮助 or a question
        about the question (收入填月的还是年的) in the middle of it; None: the general help only."""
        return None

    def is_available(self, services: Services) -> bool:
        """Whether the main menu may offer this flow with the current configuration."""
        return True
