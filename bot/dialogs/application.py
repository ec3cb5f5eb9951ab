"""`生成申请`: turn the last screening result into a pre-filled application and a page link.

Why: after a `likely`/`possible` screening result the resident should not type it all again. The
flow asks only what screening did not (name, ID number, mobile, township, village), saying before
each question why it is needed, then the truthfulness pledge and the authorisation for the
household economic check. It stores the record (sealed), hands it to the configured adapter and
tells the resident exactly what happened: generated is not submitted.

Personal steps never pass the text to the knowledge base as an aside (a mistyped ID number must
not become a logged "question"); only text that reads as a question does.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from bot import clock
from bot.application import guide
from bot.application.identity import IdNumber, parse_id_number
from bot.application.links import page_url
from bot.application.model import ApplicationRecord, Status, now_iso
from bot.application.payload import build_payload, eligible_programs, schema_errors
from bot.dialogs.answers import is_unknown, looks_like_question, means, yes_no
from bot.dialogs.answers.kinds import Ask, kind
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.townships import township, townships

log = logging.getLogger(__name__)

STEPS = ("name", "id_number", "phone", "township", "village", "pledge", "authorise")
PERSONAL_STEPS = frozenset({"name", "id_number", "phone"})
_TEMPLATES = "chat/application"


def link_reply(ctx: Context, reply: Reply, record: ApplicationRecord, number: int | None = None) -> Reply:
    """`reply` carrying a fresh signed link to the record's page (`number`: its place in a list)."""
    settings = ctx.services.settings
    hours = max(1, settings.link_ttl // 3600)
    return replace(reply, url=page_url(settings, record.id, record.user_key),
                   link_text=ctx.render(f"{_TEMPLATES}/link_text.txt", number=number, hours=hours))


class ApplicationFlow(Flow):
    name = "application"
    first_step = "name"
    resumable = False  # holds personal data: it lives only as long as the session

    async def start(self, ctx: Context) -> Turn:
        if not (await ctx.services.limits.check("applications", ctx.user)).allowed:
            return Turn([ctx.say(f"{_TEMPLATES}/too_many.txt")], next_step=None)  # RATE_LIMIT_APPLICATIONS
        result = await ctx.services.screenings.load(ctx.user)
        if result is None:
            return Turn([ctx.say(f"{_TEMPLATES}/no_screening.txt")], next_step=None)
        programs = eligible_programs(result)
        if not programs:
            return Turn([ctx.say(f"{_TEMPLATES}/none_eligible.txt")], next_step=None)
        ages = [m.get("age") for m in result.get("household", {}).get("members", [])[:1]]
        ctx.state.data["age_given"] = ages[0] if ages else None
        scene = await ctx.services.sessions.load_scene(ctx.user)
        if township(scene) is not None:
            ctx.state.data["scene_township"] = scene
        days = ctx.services.settings.draft_ttl // 86400
        intro = ctx.say(f"{_TEMPLATES}/intro.txt", programs=[p["name"] for p in programs], days=days)
        return Turn([intro, *await self.prompt(ctx)], next_step=self.first_step)

    async def prompt(self, ctx: Context) -> list[Reply]:
        step = ctx.state.step
        values: dict[str, Any] = {}
        if step == "township":
            values = {"townships": [t["name"] for t in townships()],
                      "suggested": township(ctx.state.data.get("scene_township"))}
        return [ctx.say(f"{_TEMPLATES}/ask_{step}.txt", **values)]

    async def handle(self, ctx: Context, text: str) -> Turn:
        step = ctx.state.step
        if step in PERSONAL_STEPS and looks_like_question(text) and self._read(ctx, step, text) is None:
            return Turn([ctx.say(f"{_TEMPLATES}/bad_{step}.txt", problem="question")],
                        next_step=step, invalid=True)
        return await getattr(self, f"_on_{step}")(ctx, text)

    def _ask(self, ctx: Context) -> Ask:
        return Ask(clock.today(), age=ctx.state.data.get("age_given"))

    def _read(self, ctx: Context, step: str, text: str) -> Any:
        parsed = kind(step).parse(text, self._ask(ctx))
        return None if parsed is None or parsed.value is None else parsed.value

    async def _next(self, ctx: Context) -> Turn:
        following = STEPS[STEPS.index(ctx.state.step) + 1]
        ctx.state.step, previous = following, ctx.state.step
        replies = await self.prompt(ctx)
        ctx.state.step = previous  # the engine moves the step and keeps the history
        return Turn(replies, next_step=following)

    def _again(self, ctx: Context, problem: str = "") -> Turn:
        """A hint without handing the text to the knowledge base (it may be personal data)."""
        step = ctx.state.step
        return Turn([ctx.say(f"{_TEMPLATES}/bad_{step}.txt", problem=problem)], next_step=step)

    async def _on_name(self, ctx: Context, text: str) -> Turn:
        name = self._read(ctx, "name", text)
        if name is None:
            return self._again(ctx)
        ctx.state.data["name"] = name
        return await self._next(ctx)

    async def _on_id_number(self, ctx: Context, text: str) -> Turn:
        data = ctx.state.data
        pending = data.pop("id_unconfirmed", None)
        if pending is not None and yes_no(text) is True:  # "是的，就是这个号": the age was wrong
            data["id_number"] = pending
            return await self._next(ctx)
        parsed = kind("id_number").parse(text, self._ask(ctx))
        if parsed is None or parsed.value is None:
            return self._again(ctx, parsed.problem if parsed is not None and parsed.problem else "")
        if parsed.readback == "mismatch":  # valid, but not the age the resident gave: ask, never accept
            data["id_unconfirmed"] = parsed.value["id_number"]
            return Turn([ctx.say(f"{_TEMPLATES}/id_mismatch.txt", id_age=parsed.value["age"],
                                 age_given=data.get("age_given"))], next_step="id_number")
        data["id_number"] = parsed.value["id_number"]
        return await self._next(ctx)

    async def _on_phone(self, ctx: Context, text: str) -> Turn:
        phone = self._read(ctx, "phone", text)
        if phone is None:
            return self._again(ctx)
        ctx.state.data["phone"] = phone
        return await self._next(ctx)

    async def _on_township(self, ctx: Context, text: str) -> Turn:
        suggested = ctx.state.data.get("scene_township")
        code = self._read(ctx, "township", text)
        if code is not None:
            ctx.state.data["township"] = code
        elif suggested and yes_no(text) is True:
            ctx.state.data["township"] = suggested
        else:
            return Turn([ctx.say(f"{_TEMPLATES}/bad_township.txt")], next_step="township", invalid=True)
        return await self._next(ctx)

    async def _on_village(self, ctx: Context, text: str) -> Turn:
        if is_unknown(text) or means(text, "no"):
            village = ""
        else:
            village = self._read(ctx, "village", text)
            if village is None:
                return Turn([ctx.say(f"{_TEMPLATES}/bad_village.txt")], next_step="village", invalid=True)
        ctx.state.data["village"] = village
        return await self._next(ctx)

    async def _on_pledge(self, ctx: Context, text: str) -> Turn:
        return await self._consent(ctx, text, "pledge")

    async def _on_authorise(self, ctx: Context, text: str) -> Turn:
        return await self._consent(ctx, text, "authorise")

    async def _consent(self, ctx: Context, text: str, which: str) -> Turn:
        said = yes_no(text)
        if said is False:
            return Turn([ctx.say(f"{_TEMPLATES}/declined.txt", kind=which)], next_step=None)
        if said is not True:
            return Turn([ctx.say(f"{_TEMPLATES}/bad_consent.txt")], next_step=ctx.state.step, invalid=True)
        ctx.state.data.setdefault("consented_at", {})[which] = now_iso()
        if which == "pledge":
            return await self._next(ctx)
        return await self._create(ctx)

    async def _create(self, ctx: Context) -> Turn:
        services, data = ctx.services, ctx.state.data
        result = await services.screenings.load(ctx.user)
        if result is None or not eligible_programs(result):
            return Turn([ctx.say(f"{_TEMPLATES}/screening_gone.txt")], next_step=None)
        if not (await services.limits.hit("applications", ctx.user)).allowed:
            return Turn([ctx.say(f"{_TEMPLATES}/too_many.txt")], next_step=None)
        person = parse_id_number(data["id_number"], clock.today())
        place = township(data["township"])
        assert isinstance(person, IdNumber) and place is not None  # both validated when collected
        payload = build_payload(result, person, data["name"], data["phone"], place,
                                data.get("village") or None, data["consented_at"])
        errors = schema_errors(payload)
        if errors:  # a bug, not the resident's fault: keep the application, name the fields
            log.error("application payload breaks schema %s at: %s", payload["schema_version"], errors)
        record = ApplicationRecord.new("application", services.sealer.pseudonym(ctx.user),
                                       place["code"], payload)
        await services.applications.save(record)
        status, detail = await self._hand_off(ctx, record)
        created = ctx.say(f"{_TEMPLATES}/created.txt", status=str(status), detail=detail,
                          township=place["name"], routes=guide.routes(payload["programs"], place),
                          banshitong=bool(services.settings.banshitong_url))
        return Turn([link_reply(ctx, created, record)], next_step=None)

    async def _hand_off(self, ctx: Context, record: ApplicationRecord) -> tuple[Status, str]:
        """Run the configured adapter, which records the status it reaches; FAILED if it broke."""
        try:
            result = await ctx.services.handoff.hand_off(record)
        except Exception as exc:  # the application exists either way; say so honestly
            log.warning("hand-off of an application failed: %s", type(exc).__name__)
            await ctx.services.applications.set_status(record.id, Status.FAILED)
            return Status.FAILED, "failed"
        return Status(result.status), result.detail
