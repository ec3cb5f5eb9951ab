"""`decide`: where a message goes, from the intent heard and the flow in progress (no I/O)."""

from __future__ import annotations

from bot.dialogs import default_flows
from bot.dialogs.base import Flow
from bot.dialogs.intents import Intent
from bot.routing import decide
from bot.sessions import FlowState

FLOWS = default_flows()
OFFERED = frozenset(FLOWS)
SCREENING = Intent("start_screening", flow="screening")
REPORT = Intent("report_need", offer="report")
HUMAN = Intent("human", command="human")


def at(flow: str, step: str) -> tuple[FlowState, Flow]:
    return FlowState(name=flow, step=step, data={"answers": {}}), FLOWS[flow]


def test_idle_decisions() -> None:
    assert decide("自测", SCREENING, None, None, OFFERED) == "flow:screening"
    assert decide("你好", Intent("chit_chat", chat="greet"), None, None, OFFERED) == "chat:greet"
    assert decide("低保怎么申请", None, None, None, OFFERED) == "question"
    assert decide("隔壁老奶没人管", REPORT, None, None, OFFERED) == "offer:report"


def test_a_flow_not_offered_is_not_started() -> None:
    assert decide("自测", SCREENING, None, None, OFFERED - {"screening"}) == "question"
    assert decide("隔壁老奶没人管", REPORT, None, None, OFFERED - {"report"}) == "question"


def test_inside_a_flow() -> None:
    state, flow = at("screening", "age")
    assert decide("转人工", HUMAN, state, flow, OFFERED) == "command:human"
    assert decide("好的", Intent("chit_chat", chat="ok"), state, flow, OFFERED) == "to_flow"
    assert decide("没有", None, state, flow, OFFERED) == "to_flow"


def test_the_running_flow_own_intent_is_an_answer_until_its_last_step() -> None:
    consent, flow = at("screening", "consent")
    assert decide("好 测一下", SCREENING, consent, flow, OFFERED) == "to_flow"
    result, _ = at("screening", "result")
    assert decide("再测一次", SCREENING, result, flow, OFFERED) == "flow:screening"


def test_a_zero_where_a_number_is_asked_is_an_answer() -> None:
    state, flow = at("screening", "age")
    menu = Intent("menu", command="menu")
    assert decide("0", menu, state, flow, OFFERED) == "to_flow"
    assert decide("0", menu, None, None, OFFERED) == "command:menu"
