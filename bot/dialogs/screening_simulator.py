"""A simulated resident who answers the questionnaire from a persona script, and what it shows.

Why: the questionnaire is judged on whole conversations, not single answers: how often it asks
again, how many replies a household needs, whether the household it confirms is the one the
persona has, and whether its statuses equal the rules applied to the persona's true household.
The simulator maps the bot's current step to the persona's topic by step id (never by reading the
Chinese prompt): `income` → the persona's income answer, `school:2` → the school answer of the
persona member the bot's member 2 is (matched by relation and age). A read-back is confirmed when
the value read back fits the persona's truth (any topic the truth settles), else answered 不对 with
the answer said again; a correction is sent right after the answer it corrects.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fakeredis import FakeAsyncRedis

from bot.dialogs import default_flows
from bot.dialogs.screening import ScreeningFlow
from bot.dialogs.screening_household import TOGETHER, build
from bot.dialogs.screening_needs import SEVERAL, SINGLE, several
from bot.dialogs.screening_truth import fits_truth, truth_answers, truth_household, truth_value
from bot.engine import Engine, Message
from bot.rules import Household, screen
from bot.services import build_services
from bot.settings import Settings

TODAY = date(2026, 12, 1)
MAX_TURNS = 60
START = "自测"
CONFIRM = "对"
UNKNOWN = "不知道"


@dataclass
class Conversation:
    persona: str
    replies: int = 0  # the resident's messages from the consent answer to the result
    reasks: int = 0
    readbacks: int = 0
    reached: bool = False
    household_equal: bool = False  # members (relation, age) and the resident's age
    gone_equal: bool = False  # and everyone named as gone
    statuses_equal: int = 0
    statuses_total: int = 0
    lines: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


@dataclass
class ConversationReport:
    runs: list[Conversation]

    def lines(self) -> list[str]:
        runs, n = self.runs, len(self.runs)
        reached = [r for r in runs if r.reached]
        replies = [r.replies for r in reached]
        equal = sum(r.household_equal for r in runs)
        statuses = sum(r.statuses_equal for r in runs), sum(r.statuses_total for r in runs)
        whole = sum(r.reached and r.statuses_equal == r.statuses_total for r in runs)
        return [
            f"conversations: {n} (reached a result: {len(reached)})",
            f"  re-asks per conversation: {statistics.mean(r.reasks for r in runs):.2f} "
            f"(read-backs: {statistics.mean(r.readbacks for r in runs):.2f})",
            f"  replies to reach a result: median {statistics.median(replies) if replies else 0}, "
            f"max {max(replies, default=0)}, at most 12: {sum(x <= 12 for x in replies)}/{len(replies)}",
            f"  summaries equal to the real household: {equal}/{n} ({equal / n:.1%}); "
            f"with everyone named as gone too: {sum(r.gone_equal for r in runs)}/{n}",
            f"  statuses right: {statuses[0]}/{statuses[1]} ({statuses[0] / max(statuses[1], 1):.1%}); "
            f"all 13 right: {whole}/{n}",
        ]

    @property
    def household_rate(self) -> float:
        return sum(r.household_equal for r in self.runs) / len(self.runs)

    def details(self) -> None:
        for run in self.runs:
            if run.wrong:
                print(f"PERSONA {run.persona}: " + "; ".join(run.wrong))


class Resident:
    """Answers the bot's current step from one persona script."""

    def __init__(self, persona: dict[str, Any]) -> None:
        self.persona = persona
        self.answers: dict[str, str] = persona["answers"]
        self.corrections = list(persona.get("corrections") or [])
        self.truth = persona["truth"]
        self.members = self.truth["members"]

    def align(self, drafted: list[Any]) -> dict[int, str]:
        """The persona member id each of the bot's members (1 …) stands for."""
        free = list(self.members)
        found: dict[int, str] = {}
        for index, person in enumerate(drafted[1:], start=1):
            same = [m for m in free if m["relation"] == person.relation] or [
                m for m in free if _rules_relation(m["relation"]) == _rules_relation(person.relation)
            ]
            if not same:
                continue
            best = min(same, key=lambda m: 0 if m["age"] == person.age else 1 if person.age is None else 2)
            free.remove(best)
            found[index] = best["id"]
        return found

    def answer(self, step: str, answers: dict[str, Any]) -> str:
        topic, _, index = step.partition(":")
        draft = build(answers, TODAY)
        if topic in ("disabled_who", "ill_who"):
            return self._who(topic, draft)
        if topic in TOGETHER:  # asked together: the persona's answers to the parts, one after the other
            return " ".join(self.answers[t] for t in TOGETHER[topic] if t in self.answers) or UNKNOWN
        if topic in SEVERAL:  # asked together: each member's own answer, one after the other
            ids = self.align(draft.members)
            single = SINGLE[topic]
            parts = [self.answers.get(f"{single}:{ids[i]}") for i in several(topic, draft) if i in ids]
            return " ".join(p for p in parts if p) or UNKNOWN
        if not index:
            return self.answers.get(topic, UNKNOWN)
        member = int(index)
        if member == 0:
            return self.answers.get(topic, UNKNOWN)
        persona_id = self.align(draft.members).get(member)
        if persona_id is None:
            return UNKNOWN
        return self.answers.get(f"{topic}:{persona_id}", UNKNOWN)

    def _who(self, topic: str, draft: Any) -> str:
        ids = self.align(draft.members)
        chosen = []
        if topic == "disabled_who" and self.truth["self"].get("disability"):
            chosen.append(1)
        if topic == "ill_who" and self.truth["self"].get("serious_illness"):
            chosen.append(1)
        for index, persona_id in ids.items():
            member = next(m for m in self.members if m["id"] == persona_id)
            key = "disability" if topic == "disabled_who" else "serious_illness"
            if member.get(key):
                chosen.append(index + 1)
        return " ".join(str(n) for n in chosen) or UNKNOWN

    def correction_after(self, topic: str) -> str | None:
        for item in self.corrections:
            if item["after"] == topic:
                self.corrections.remove(item)
                return str(item["text"])
        return None


def _rules_relation(relation: str) -> str:
    """The conversation sets write a nephew or a brother's wife as `other`."""
    return "other" if relation in ("sibling_in_law", "nephew_niece", "uncle_aunt") else relation


async def converse(persona: dict[str, Any], keep_lines: bool = False) -> Conversation:
    services = build_services(Settings(_env_file=None), redis=FakeAsyncRedis())
    flows = default_flows()
    flows["screening"] = ScreeningFlow(today=lambda: TODAY)
    engine = Engine(services, flows=flows)
    user, run = f"sim-{persona['id']}", Conversation(persona["id"])
    resident = Resident(persona)

    async def say(text: str, count: bool = True) -> None:
        replies = await engine.handle(Message(user=user, text=text))
        if count:
            run.replies += 1
        if keep_lines:
            run.lines.append(f"居民：{text}")
            run.lines += [f"助手：{r.text}" for r in replies]

    if persona.get("opening"):
        await say(persona["opening"], count=False)
    await say(START, count=False)
    for _ in range(MAX_TURNS):
        state = (await services.sessions.load(user)).flow
        if state is None or state.name != "screening":
            break
        step, tries = state.step, state.tries
        if step == "result":
            run.reached = True
            break
        if step == "consent":
            await say(resident.answers.get("consent", "同意") if tries == 0 else "同意")
        elif step == "summary":
            await say(CONFIRM)
        elif step.startswith("confirm:"):
            run.readbacks += 1
            await say(_readback(resident, step.removeprefix("confirm:"), state.data["answers"]))
        elif tries >= 2:
            await say("跳过")  # asked twice already: the resident gives up, as the bot offers
        else:
            await say(resident.answer(step, state.data["answers"]))
            for key in _persona_keys(resident, step, state.data["answers"]):
                fix = resident.correction_after(key)
                if fix is not None:
                    await say(fix)
        after = (await services.sessions.load(user)).flow
        if after is not None and after.step == step and after.tries > tries:
            run.reasks += 1
    state = (await services.sessions.load(user)).flow
    answers = state.data.get("answers", {}) if state is not None else {}
    _compare(run, resident, answers, services)
    stored = await services.screenings.load(user)
    if stored is not None:
        got = {r["program"]: r["status"] for r in stored["results"]}
        expected = {
            r.program: r.status.value
            for r in screen(Household.from_dict(truth_request(persona)), TODAY).results
        }
        run.statuses_total = len(expected)
        run.statuses_equal = sum(got.get(p) == s for p, s in expected.items())
        run.wrong += [f"{p}: {got.get(p)} (truth {s})" for p, s in expected.items() if got.get(p) != s]
    return run


def _persona_keys(resident: Resident, step: str, answers: dict[str, Any]) -> list[str]:
    """The persona's answer keys a step stands for (several for a question asked together)."""
    topic, _, index = step.partition(":")
    draft = build(answers, TODAY)
    ids = resident.align(draft.members)
    if topic in SEVERAL:
        return [f"{SINGLE[topic]}:{ids[i]}" for i in several(topic, draft) if i in ids]
    if topic in TOGETHER:
        return list(TOGETHER[topic])
    if not index or index == "0":
        return [topic]
    return [f"{topic}:{ids.get(int(index))}"]


def _readback(resident: Resident, target: str, answers: dict[str, Any]) -> str:
    """ "对" when the value read back fits the persona's truth, else 不对 and the persona's answer to
    that step said again (a step the truth does not settle: the answer said again as well)."""
    if target == "household":
        fits = _members(answers) == truth_household(resident.truth)[0]
    else:
        settled, true = truth_value(resident.truth, target, _truth_index(resident, target, answers))
        fits = settled and fits_truth(answers.get(target), true)
    if fits:
        return CONFIRM
    said = [resident.answers[k] for k in _persona_keys(resident, target, answers) if k in resident.answers]
    return "不对 " + (" ".join(said) or UNKNOWN)


def _truth_index(resident: Resident, target: str, answers: dict[str, Any]) -> int | None:
    """The truth's index (0 the resident, 1 … its members) of the bot's member a step is about."""
    _, _, index = target.partition(":")
    if not index or index == "0":
        return 0
    persona_id = resident.align(build(answers, TODAY).members).get(int(index))
    ids = [m["id"] for m in resident.members]
    return ids.index(persona_id) + 1 if persona_id in ids else None


def _members(answers: dict[str, Any]) -> Counter[tuple[str, int | None]]:
    """The members the answers give (relations as the rules name them, and ages), the resident apart."""
    return Counter((_rules_relation(p.relation), p.age) for p in build(answers, TODAY).members[1:])


def _compare(run: Conversation, resident: Resident, answers: dict[str, Any], services: Any) -> None:
    draft = build(answers, TODAY)
    got = _members(answers)
    gone = Counter((_rules_relation(g["relation"]), g["why"]) for g in draft.gone)
    expected, expected_gone = truth_household(resident.truth)
    run.household_equal = got == expected and draft.members[0].age == resident.truth["self"]["age"]
    run.gone_equal = run.household_equal and gone == expected_gone
    if not run.household_equal:
        run.wrong.append(f"household {dict(got)} age {draft.members[0].age}")


def truth_request(persona: dict[str, Any]) -> dict[str, Any]:
    """The rules' request for the persona's true household, mapped as the questionnaire maps answers."""
    return build(truth_answers(persona["truth"]), TODAY).request()


async def run_all(personas: list[dict[str, Any]]) -> ConversationReport:
    return ConversationReport([await converse(p) for p in personas])


async def transcript(personas: list[dict[str, Any]], persona_id: str) -> str:
    persona = next(p for p in personas if p["id"] == persona_id)
    run = await converse(persona, keep_lines=True)
    return "\n".join(run.lines)
