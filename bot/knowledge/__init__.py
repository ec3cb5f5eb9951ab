"""Policy knowledge base: staff-maintained FAQ files matched against residents' questions."""

from bot.knowledge.base import Answer, Candidate, KnowledgeBase, KnowledgeError

__all__ = ["Answer", "Candidate", "KnowledgeBase", "KnowledgeError"]
