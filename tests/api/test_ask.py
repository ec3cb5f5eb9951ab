"""POST /api/v1/ask: the exact response shape and clear 422s."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.api.ask import router
from bot.knowledge import KnowledgeBase, training
from bot.knowledge.snapshot import Sources

FIXTURES = Path(__file__).parents[1] / "knowledge" / "fixtures" / "faq"
FIXTURE_TRAINING = training.DEFAULT_PATH / "residents.yaml"  # why: tests/knowledge/test_base.py


class MissRecorder:
    def __init__(self) -> None:
        self.recorded: list[tuple[str, str]] = []

    async def record_miss(self, question: str, status: str) -> None:
        self.recorded.append((question, status))


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.state.knowledge = KnowledgeBase(Sources(faq_dir=FIXTURES, training=FIXTURE_TRAINING))
    app.state.services = MissRecorder()
    app.include_router(router)
    return TestClient(app)


def test_unanswered_questions_are_recorded_for_staff(client: TestClient) -> None:
    client.post("/api/v1/ask", json={"question": "低保咋个申请"})
    client.post("/api/v1/ask", json={"question": "火车票怎么买"})
    recorded = client.app.state.services.recorded
    assert ("火车票怎么买", "fallback") in recorded
    assert all(question != "低保咋个申请" for question, _ in recorded)


def test_answer_shape(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": "低保咋个申请"})
    assert response.status_code == 200
    data = response.json()
    assert list(data) == [
        "status", "answer", "entry_id", "refs", "score", "candidates", "out_of_scope", "referral"
    ]  # the last two were added by issue 11 (additive)
    assert data["status"] == "answer" and data["entry_id"] == "dibao-apply" and data["refs"] == [18, 1]
    assert data["answer"].splitlines()[-1].startswith("依据：任务清单第18、1条（牵头单位：县民政局）")
    assert len(data["candidates"]) >= 3
    assert list(data["candidates"][0]) == ["entry_id", "question", "refs", "score"]
    scores = [c["score"] for c in data["candidates"]]
    assert scores == sorted(scores, reverse=True) and data["score"] == scores[0]


def test_fallback_shape(client: TestClient) -> None:
    data = client.post("/api/v1/ask", json={"question": "明天天气怎么样"}).json()
    assert data["status"] == "fallback"
    assert data["answer"] is None and data["entry_id"] is None and data["refs"] == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"question": "   "}, "must not be empty"),
        ({"question": ""}, "must not be empty"),
        ({"question": "低" * 501}, "at most 500 characters"),
        ({"question": 123}, "valid string"),
        ({"question": None}, "valid string"),
        ({}, "Field required"),
    ],
)
def test_invalid_input(client: TestClient, body: dict, message: str) -> None:
    response = client.post("/api/v1/ask", json=body)
    assert response.status_code == 422
    assert message in response.text


def test_not_json(client: TestClient) -> None:
    response = client.post("/api/v1/ask", content=b"question=x", headers={"content-type": "text/plain"})
    assert response.status_code == 422


def test_near_miss_out_of_scope_is_said_so(client: TestClient) -> None:
    data = client.post("/api/v1/ask", json={"question": "养老金资格认证咋个弄"}).json()
    assert data["status"] == "fallback" and data["answer"] is None
    assert data["out_of_scope"] is True and data["referral"] == "pension"
    answered = client.post("/api/v1/ask", json={"question": "低保咋个申请"}).json()
    assert answered["out_of_scope"] is False and answered["referral"] is None
