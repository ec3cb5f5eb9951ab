"""What the engine says when no flow takes a message: a policy answer, chit-chat or an offer.

The knowledge base answers policy questions (`faq:<id>`); a vague one gets `您是想问` with the
candidates kept for a numbered pick (`bot/numbered.py`); a question the product cannot answer
gets the right office (`bot/referrals.py`) or the fallback with the menu, and is recorded as a
miss. Text a flow did not understand may still get a confident answer as an aside, and someone
describing a need is answered and then offered the report. Every reply names its `source`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialogs.answers.slots import gives_number
from bot.dialogs.base import Reply
from bot.metrics import ANSWERS
from bot.referrals import directory as referral_directory
from bot.referrals import find as find_referral
from bot.sessions import Session

if TYPE_CHECKING:
    from bot.engine import Engine, Message

STORY_CHARS = 1000  # of a resident's story kept for the flow they start next (`Session.said`)


def small_talk(engine: Engine, text: str) -> list[Reply] | None:
    """Chit-chat a flow did not take as an answer: acknowledge it, then go on."""
    intent = engine.intents.classify(text)
    if intent is None or not intent.chat or intent.guessed:  # listed only: a guess must not hide an aside
        return None
    return [chat(engine, intent.chat, in_flow=True)]


def chat(engine: Engine, kind: str, in_flow: bool) -> Reply:
    if kind == "greet":
        return engine.say("chat/greet_in_flow.txt") if in_flow else engine.say(
            "chat/welcome.txt", menu=[entry.label for entry in engine.menu])
    if kind == "thanks":
        return engine.say("chat/thanks.txt")
    return engine.say(f"chat/smalltalk/{kind}.txt")


def offer(engine: Engine, session: Session, text: str, flow: str) -> list[Reply]:
    """Someone in need described: answer what can be answered, then offer the report."""
    answer = aside(engine, text) or []
    session.choice_kind, session.choices = "offer", [flow, text[:500]]
    session.said = text[:STORY_CHARS]
    return [*answer, engine.say("chat/report/offer.txt")]


def aside(engine: Engine, text: str) -> list[Reply] | None:
    """A confident policy answer to text a flow did not understand, or None."""
    knowledge = engine.services.knowledge
    if knowledge is None:
        return None
    answer = knowledge.ask(text)
    if answer.status != "answer":
        return None
    return [Reply(answer.answer or "", source=f"faq:{answer.entry_id}")]


async def ask(engine: Engine, session: Session, message: Message, text: str) -> list[Reply]:
    """A policy question: the answer, `您是想问`, a referral or the fallback (a miss recorded).
    A message that is mainly someone's phone or ID number is no question: it gets a hint of what
    the bot can do with one, and is never kept (not as a miss, a story or a metric)."""
    session.choice_kind, session.choices = None, []  # numbers now refer to what this reply shows
    if gives_number(text):
        session.said = ""
        return [engine.say("chat/number_hint.txt", menu=engine.menu_lines(session))]
    session.said = text[:STORY_CHARS]
    knowledge = engine.services.knowledge
    if knowledge is None:
        return [engine.say("chat/fallback.txt", menu=engine.menu_lines(session), recorded=False)]
    answer = knowledge.ask(text)
    ANSWERS.labels(answer.status).inc()
    if answer.status == "answer":
        return [Reply(answer.answer or "", source=f"faq:{answer.entry_id}")]
    recorded = await engine.services.record_miss(text, answer.status)
    if answer.status == "clarify":
        top = answer.candidates[:3]
        session.choice_kind, session.choices = "clarify", [c.entry_id for c in top]
        return [engine.say("chat/clarify.txt", questions=[c.question for c in top])]
    referral = find_referral(text)
    if referral is None and answer.out_of_scope and answer.referral:  # the matcher's near miss
        referral = referral_directory().entries.get(answer.referral)
    if referral is not None:
        return [engine.say("chat/referral.txt", referral=referral, recorded=recorded)]
    return [engine.say("chat/fallback.txt", menu=engine.menu_lines(session), recorded=recorded)]
