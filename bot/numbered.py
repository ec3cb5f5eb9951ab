"""A reply to the list the resident was shown last: the main menu, `您是想问` or `要报告吗？`.

What a list offered is kept in the session (`choice_kind`, `choices`), so `2` means the second
thing *this* resident last saw, whichever worker answers. `bot/dialogs/choices.py` reads the
number or the words (`第二个`, `②`, `联系我们`); this module decides what the pick does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialogs.answers import yes_no
from bot.dialogs.base import Reply
from bot.dialogs.choices import normalise, ordinal, pick
from bot.sessions import Session

if TYPE_CHECKING:
    from bot.engine import Engine, Message


async def answer(engine: Engine, session: Session, message: Message, text: str) -> list[Reply] | None:
    """The answer to `text` as a pick from the last list, or None when it is not one."""
    kind = session.choice_kind or "menu"
    if kind == "offer":  # "要报告吗？" — choices: [flow, what the resident said]
        flow, said = session.choices
        session.choice_kind, session.choices = None, []
        if yes_no(text) is True:
            return await engine.start(session, message, flow, data={"what": said})
        if yes_no(text) is False:
            return [engine.say("chat/smalltalk/ok.txt")]
        return None
    if kind == "clarify":
        number, knowledge = ordinal(text), engine.services.knowledge
        if knowledge is not None and number is not None and 1 <= number <= len(session.choices):
            entry_id = session.choices[number - 1]
            session.choice_kind, session.choices = None, []
            return [Reply(knowledge.answer_entry(entry_id).answer or "")]
        return None
    labels = [entry.label for entry in engine.menu]
    if ordinal(text) is None and len(normalise(text)) > max(map(len, labels)) + 1:
        return None  # a sentence that merely contains "我的申请" is a question, not a menu pick
    index = pick(text, labels)
    if index is None:
        return None
    return await engine.start(session, message, engine.menu[index].key)
