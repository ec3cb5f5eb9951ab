"""`POST /api/v1/ask`: one policy question in, the knowledge base's decision out.

For other front ends and for staff testing. The knowledge base comes from
`request.app.state.knowledge` (set by the app factory); matching takes a few milliseconds, as in
chat. Questions it cannot answer are recorded (masked) for staff, like the chat's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from bot.api.fields import well_formed

router = APIRouter()
MAX_QUESTION = 500


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    question: Annotated[StrictStr, Field(description="the resident's question, 1–500 characters")]

    @field_validator("question")
    @classmethod
    def _sensible(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question must not be empty or only whitespace")
        if len(value) > MAX_QUESTION:
            raise ValueError(f"question must be at most {MAX_QUESTION} characters (got {len(value)})")
        return well_formed(value)


class CandidateOut(BaseModel):
    entry_id: str
    question: str
    refs: list[int]
    score: float


class AskResponse(BaseModel):
    status: Literal["answer", "clarify", "fallback"]
    answer: str | None
    entry_id: str | None
    refs: list[int]
    score: float
    candidates: list[CandidateOut]
    out_of_scope: bool = False  # not social assistance: for the referral directory, never answered
    referral: str | None = None  # its referral id (bot/data/referrals.yaml), when the matcher knows it


@router.post("/api/v1/ask", response_model=AskResponse)
async def ask(body: AskRequest, request: Request) -> AskResponse:
    result = request.app.state.knowledge.ask(body.question)
    if result.status != "answer":
        await request.app.state.services.record_miss(body.question, result.status)
    return AskResponse.model_validate(result.to_dict())
