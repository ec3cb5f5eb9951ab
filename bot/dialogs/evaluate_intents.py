"""How well the engine hears what residents want: intent accuracy on an independently written set.

The set (tests/dialogs/intents_devset/dev.yaml; see its PROVENANCE.md) labels each message with an
intent and the context it was sent in. Contexts are mapped to real flow states, and the engine's
own routing decision (`Engine.route`, the one `handle` acts on) is compared with the label:

| label | counts as right when the engine routes to |
|---|---|
| a command intent | that command or flow (report_need: the report, or the offer to report) |
| chit_chat | a chit-chat reply (idle) |
| answer | the running flow |
| policy_question, off_topic | the knowledge base (idle) or the running flow, which hands questions back |

CI fails below ACCURACY_MIN.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.sessions import FlowState, Session

DEFAULT_DEVSET = Path(__file__).resolve().parents[2] / "tests" / "dialogs" / "intents_devset" / "dev.yaml"
ACCURACY_MIN = 0.95
CONTEXTS: dict[str, tuple[str, str] | None] = {
    "idle": None,
    "screening_consent": ("screening", "consent"),
    "screening_question": ("screening", "age"),
    "screening_result": ("screening", "result"),
    "application_question": ("application", "name"),
    "report_question": ("report", "what"),
    "delete_confirm": ("delete_data", "confirm"),
}
CHAT_KINDS = ("greet", "thanks", "ok", "bye", "laugh", "bot", "annoyed", "other")
ROUTES = {
    "start_screening": {"flow:screening"},
    "delete_data": {"flow:delete_data"},
    "report_need": {"flow:report", "offer:report"},
    "human": {"command:human", "flow:human"},
    "my_application": {"flow:my_applications"},
    "apply": {"flow:application"},
    "resume": {"command:resume"},
    "menu": {"command:menu"},
    "help": {"command:help", "flow:help"},
    "contact": {"flow:contact"},
    "exit": {"command:exit"},
    "answer": {"to_flow"},
}


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    intent: str
    context: str
    form: str
    referral: str | None = None  # off_topic items: the referral category (TAXONOMY.md), or "none"


@dataclass
class Result:
    outcomes: list[tuple[Case, str, bool]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(ok for _, _, ok in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    def confusions(self, top: int = 12) -> list[tuple[str, str, int]]:
        """The commonest wrong decisions: (label, where the engine routed it, how often)."""
        wrong = Counter((case.intent, got) for case, got, ok in self.outcomes if not ok)
        return [(label, got, n) for (label, got), n in wrong.most_common(top)]

    def by(self, key: str) -> dict[str, tuple[int, int]]:
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for case, _, ok in self.outcomes:
            value = getattr(case, key)
            total[value] += 1
            right[value] += ok
        return {k: (right[k], total[k]) for k in sorted(total)}


def load_devset(path: Path = DEFAULT_DEVSET) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(str(i["text"]), str(i["intent"]), str(i["context"]), str(i.get("form", "")),
                 i.get("referral")) for i in raw]


def referral_share(cases: list[Case]) -> tuple[int, int, int, int]:
    """Off-topic questions with a right place elsewhere: (sent to the right place, total);
    and those with none (weather, jokes): (wrongly referred, total)."""
    from bot.referrals import find

    placed = [c for c in cases if c.referral and c.referral != "none"]
    nowhere = [c for c in cases if c.referral == "none"]
    right = sum(1 for c in placed if (r := find(c.text)) is not None and r.id == c.referral)
    wrong = sum(1 for c in nowhere if find(c.text) is not None)
    return right, len(placed), wrong, len(nowhere)


def accepted(case: Case) -> set[str]:
    if case.intent in ROUTES:
        return ROUTES[case.intent]
    idle = case.context == "idle"
    if case.intent == "chit_chat":
        return {f"chat:{k}" for k in CHAT_KINDS} if idle else {"to_flow"}
    return {"question"} if idle else {"to_flow"}  # policy_question, off_topic


def evaluate(engine: object, cases: list[Case]) -> Result:
    result = Result()
    for case in cases:
        where = CONTEXTS[case.context]
        session = Session(flow=FlowState(name=where[0], step=where[1]) if where else None)
        got = engine.route(session, case.text)  # type: ignore[attr-defined]
        result.outcomes.append((case, got, got in accepted(case)))
    return result


def report(result: Result, verbose: bool = False) -> list[str]:
    lines = [f"WRONG [{c.context}/{c.intent}] {c.text} -> {got}" for c, got, ok in result.outcomes
             if verbose and not ok]
    lines.append("by intent:  " + "  ".join(f"{k} {r}/{t}" for k, (r, t) in result.by("intent").items()))
    lines.append("by context: " + "  ".join(f"{k} {r}/{t}" for k, (r, t) in result.by("context").items()))
    lines.append("by form:    " + "  ".join(f"{k} {r}/{t}" for k, (r, t) in result.by("form").items()))
    lines.append("confusions: " + "  ".join(f"{label}->{got} {n}" for label, got, n in result.confusions()))
    lines.append(f"messages {len(result.outcomes)}  accuracy {result.accuracy:.3f}  (need >= {ACCURACY_MIN})")
    return lines


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.dialogs.evaluate_intents [-v]`: accuracy and the referral share, on fakeredis."""
    import argparse

    from fakeredis import FakeAsyncRedis

    from bot.dialogs.intents import trained_intents
    from bot.engine import Engine
    from bot.knowledge import KnowledgeBase
    from bot.services import build_services
    from bot.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bot.dialogs.evaluate_intents")
    parser.add_argument("--devset", default=str(DEFAULT_DEVSET))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    services = build_services(Settings(app_env="test", _env_file=None), redis=FakeAsyncRedis(),
                              knowledge=KnowledgeBase.from_directory())
    cases = load_devset(Path(args.devset))
    trained_intents()  # the engine's intents, with their model
    result = evaluate(Engine(services), cases)
    print("\n".join(report(result, args.verbose)))
    right, placed, wrong, nowhere = referral_share(cases)
    if placed:  # a corpus without referral labels has no referral share
        print(f"off-topic questions with a place elsewhere: {right}/{placed} referred to it "
              f"({right / placed:.3f}); with none: {wrong}/{nowhere} wrongly referred")
    return 0 if result.accuracy >= ACCURACY_MIN else 1


if __name__ == "__main__":
    raise SystemExit(main())
