"""`报告困难群众`: a resident reports a person or family in difficulty (task-list item 19).

Neighbours often see hardship before any office does (主动发现报告). The flow asks who, where
(township from the numbered list, then the village), what the reporter saw, and optionally how to
reach them; it stores a `report` record straight into that township's staff queue and gives the
reporter a short reference number to quote on the phone. Anything typed that signals danger to
life (the safety net, `bot.safety`: the same detector every message goes through) gets the
emergency numbers from the engine at once, and the report is flagged urgent for staff.

A report is always kept for the township's queue. Whether it *reached* someone depends on a staff
account existing for that township (`STAFF_USERS`): only then is it "交给乡镇工作人员"; otherwise
the reporter is told it is kept but nobody may see it soon, and is given the office, the hotline
and the village committee to contact as well. A report nobody can read never looks delivered.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot import clock
from bot.application.model import ApplicationRecord, Status, now_iso
from bot.dialogs.answers import is_unknown, means, yes_no
from bot.dialogs.answers.kinds import Ask, kind
from bot.dialogs.answers.slots import other_meaning
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.dialogs.choices import pick
from bot.safety import detect
from bot.staff.accounts import parse_staff_users
from bot.townships import township, townships

WORDS_PATH = Path(__file__).with_name("report.yaml")
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone
REFERENCE_LENGTH = 8
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_SPACES = re.compile(r"[\s\u3000]+")
_STEPS = ("who", "township", "village", "what", "contact", "confirm")


@cache
def report_words() -> dict[str, Any]:
    return yaml.safe_load(WORDS_PATH.read_text(encoding="utf-8"))


def mentions_danger(text: str) -> bool:
    return detect(text) is not None


def has_reader(settings: Any, township_code: str) -> bool:
    """Whether a staff account can open this township's queue."""
    return any(user.township == township_code for user in parse_staff_users(settings.staff_users).values())


def reference_number() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def parse_phone(text: str) -> str | None:
    """A landline with its area code (0877-xxxxxxx), or a mobile as the application's phone slot
    reads it ("电话是138…", "138 1234 5678 是我的", read out in groups); None otherwise."""
    value = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    if _LANDLINE.match(value):
        return value
    parsed = kind("phone").parse(text, Ask(clock.today()))
    return parsed.value if parsed is not None and isinstance(parsed.value, str) else None


def _free_text(text: str, step: str) -> str | None:
    """A description (who, what) or a village name as typed; None when the reply means something
    else (a yes, a greeting, a command, only a number; for who and the village also a question)."""
    if other_meaning(text, questions=step != "what"):  # "what" may end in 怎么办
        return None
    value = _SPACES.sub(" ", text).strip()  # kept as typed (full-width punctuation and all)
    low, high = report_words()["limits"][step]
    return value if low <= len(value) <= high else None


class ReportFlow(Flow):
    name = "report"
    first_step = "who"
    hears_danger = True

    async def start(self, ctx: Context) -> Turn:
        if not (await ctx.services.limits.check("reports", ctx.user)).allowed:  # RATE_LIMIT_REPORTS
            return Turn([ctx.say("chat/report/too_many.txt")], next_step=None)
        seen = ctx.state.data.get("what")  # the engine may start a report with what the resident said
        if seen:
            ctx.state.data["urgent"] = mentions_danger(seen)
        return Turn([ctx.say("chat/report/intro.txt"), *await self.prompt(ctx)], next_step=ctx.state.step)

    async def prompt(self, ctx: Context) -> list[Reply]:
        step = ctx.state.step
        if step == "confirm":
            return [ctx.say("chat/report/confirm.txt", **self._summary(ctx))]
        return [ctx.say(f"chat/report/{step}.txt")]

    async def handle(self, ctx: Context, text: str) -> Turn:
        danger = mentions_danger(text)  # the engine has already shown the numbers
        ctx.state.data["urgent"] = bool(ctx.state.data.get("urgent")) or danger
        turn = await self._answer(ctx, ctx.state.step, text)
        if danger:  # never swallowed by a policy aside: the resident asks again for the same step
            turn.invalid = False
        return turn

    async def _answer(self, ctx: Context, step: str, text: str) -> Turn:
        data = ctx.state.data
        if step in ("who", "what"):
            data[step] = _free_text(text, step)
            if data[step] is None:
                return self._hint(ctx, step)
        elif step == "township":
            index = pick(text, [t["name"] for t in townships()])
            if index is None:
                return self._hint(ctx, step)
            data["township_code"] = townships()[index]["code"]
        elif step == "village":
            data["village"] = None if is_unknown(text) else _free_text(text, step)
            if data["village"] is None and not is_unknown(text):
                return self._hint(ctx, step)
        elif step == "contact":
            data["contact"] = None
            if not (is_unknown(text) or means(text, "no")):
                data["contact"] = parse_phone(text)
                if data["contact"] is None:
                    return self._hint(ctx, step)
        else:
            return await self._confirm(ctx, text)
        next_step = _STEPS[_STEPS.index(step) + 1]
        if next_step == "what" and data.get("what"):  # said already, when the report was offered
            next_step = "contact"
        return Turn(await self.prompt_for(ctx, next_step), next_step=next_step)

    @staticmethod
    def _hint(ctx: Context, step: str) -> Turn:
        return Turn([ctx.say(f"chat/report/hint_{step}.txt")], next_step=step, invalid=True)

    async def prompt_for(self, ctx: Context, step: str) -> list[Reply]:
        previous, ctx.state.step = ctx.state.step, step
        try:
            return await self.prompt(ctx)
        finally:
            ctx.state.step = previous

    async def _confirm(self, ctx: Context, text: str) -> Turn:
        answer = yes_no(text)
        if answer is None:
            return self._hint(ctx, "confirm")
        if not answer:
            return Turn([ctx.say("chat/report/cancelled.txt")], next_step=None)
        if not (await ctx.services.limits.hit("reports", ctx.user)).allowed:
            return Turn([ctx.say("chat/report/too_many.txt")], next_step=None)
        record = await self._submit(ctx)
        return Turn([ctx.say("chat/report/done.txt", reference=record.payload["reference"],
                             urgent=record.payload["urgent"],
                             delivered=record.status == Status.HANDED_TO_TOWNSHIP,
                             **self._summary(ctx))], next_step=None)

    async def _submit(self, ctx: Context) -> ApplicationRecord:
        data = ctx.state.data
        township = self._summary(ctx)["township"]
        payload = {
            "schema_version": "report-v1",
            "kind": "report",
            "reference": reference_number(),
            "who": data["who"],
            "what": data["what"],
            "township_code": township["code"],
            "township_name": township["name"],
            "village": data.get("village"),
            "contact": data.get("contact"),
            "urgent": bool(data.get("urgent")),
            "reported_at": now_iso(),
        }
        readable = has_reader(ctx.services.settings, township["code"])
        record = ApplicationRecord.new("report", ctx.services.sealer.pseudonym(ctx.user), township["code"],
                                       payload, status=Status.HANDED_TO_TOWNSHIP if readable else Status.KEPT)
        await ctx.services.applications.save(record)
        return record

    def _summary(self, ctx: Context) -> dict[str, Any]:
        data = ctx.state.data
        place = township(data["township_code"])
        return {"who": data["who"], "township": place, "village": data.get("village"),
                "what": data["what"], "phone": data.get("contact")}
