"""`POST /api/v1/chat`: the dialogue engine over JSON, for testing and for other front ends."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from bot.api.fields import UnicodeText
from bot.engine import Message

router = APIRouter()


class ChatRequest(BaseModel):
    user: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    text: UnicodeText = Field(default="", max_length=1000)
    key: UnicodeText | None = Field(default=None, max_length=64, description="a menu key instead of text")
    page_bytes: int | None = Field(default=None, ge=600, le=20_000,
                                   description="answer in one reply of at most this many UTF-8 bytes, "
                                               "the rest after 更多 (as on WeChat); default: every reply")


class ChatReply(BaseModel):
    text: str
    url: str | None = None
    link_text: str | None = None


class ChatResponse(BaseModel):
    replies: list[ChatReply]


@router.post("/api/v1/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, request: Request) -> ChatResponse:
    engine = request.app.state.engine
    message = Message(user=f"api:{body.user}", text=body.text, key=body.key, channel="api")
    replies = await engine.handle(message, body.page_bytes)
    return ChatResponse(replies=[ChatReply(text=r.text, url=r.url, link_text=r.link_text) for r in replies])
