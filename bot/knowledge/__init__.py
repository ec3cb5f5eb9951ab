"""Policy knowledge base: staff-maintained FAQ files matched against residents' questions."""

from bot.knowledge.answer import Answer, Candidate
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.snapshot import KnowledgeError

__all__ = ["Answer", "Candidate", "KnowledgeBase", "KnowledgeError"]
