"""Understanding free answers: one vocabulary, one registry of answer kinds (`kinds.KINDS`).

Modules: `vocabulary` (yes, no, unknown, done, corrections, questions), `numbers` (numerals,
ranges, approximations over cn2an), `money` (amounts in a sentence), `members` (the household),
`facts` (health, school, work, help received, emergencies, supporters), `places` (place, years,
ages, houses, vehicles, pensions), `parents`, `people` (name, phone, ID, township, village),
`story` (every fact in one long message) and `kinds` (parse, describe, takes a bare number).
"""

from __future__ import annotations

from bot.dialogs.answers.vocabulary import is_unknown, looks_like_question, means, yes_no

__all__ = ["is_unknown", "looks_like_question", "means", "yes_no"]
