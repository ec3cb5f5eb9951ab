"""`我的申请`: the resident's applications and reports, with status, times and fresh links.

Why: page links expire (LINK_TTL) and get lost in the chat; here the resident sees every record
with its status (草稿 / 已生成 / 已交给乡镇 / 已送达 / 送达失败) and gets a new link for each. A
passive WeChat reply carries one link, so with several applications a number fetches that one's.
"""

from __future__ import annotations

from bot.application.model import ApplicationRecord, labels, local_time, status_label
from bot.dialogs.application import link_reply
from bot.dialogs.base import Context, Flow, Reply, Turn
from bot.dialogs.choices import ordinal
from bot.townships import township

MAX_LISTED = 10
_TEMPLATES = "chat/application"


def _item(ctx: Context, number: int, record: ApplicationRecord) -> Reply:
    place = township(record.township_code)
    item = ctx.say(
        f"{_TEMPLATES}/my_item.txt", number=number, kind=labels()["kinds"][record.kind],
        programs=[p["name"] for p in record.payload.get("programs", [])],
        township=place["name"] if place else "", status=status_label(record.status),
        status_code=str(record.status), created=local_time(record.created_at),
        updated=local_time(record.updated_at), changed=len(record.history) > 1,
    )
    return link_reply(ctx, item, record, number) if record.kind == "application" else item


class MyApplicationsFlow(Flow):
    name = "my_applications"
    first_step = "pick"

    async def start(self, ctx: Context) -> Turn:
        records = (await ctx.services.applications.for_user(ctx.user))[:MAX_LISTED]
        if not records:
            return Turn([ctx.say(f"{_TEMPLATES}/my_none.txt")], next_step=None)
        replies = [_item(ctx, number, record) for number, record in enumerate(records, 1)]
        linked = [r.id if r.kind == "application" else None for r in records]
        header = ctx.say(f"{_TEMPLATES}/my_header.txt", count=len(records))
        if sum(1 for app_id in linked if app_id) < 2:
            return Turn([header, *replies], next_step=None)
        ctx.state.data["ids"] = linked
        return Turn([header, *replies, *await self.prompt(ctx)], next_step="pick")

    async def prompt(self, ctx: Context) -> list[Reply]:
        return [ctx.say(f"{_TEMPLATES}/my_pick.txt")]

    async def handle(self, ctx: Context, text: str) -> Turn:
        ids: list[str | None] = ctx.state.data.get("ids", [])
        number = ordinal(text)
        if number is None or not 1 <= number <= len(ids) or (app_id := ids[number - 1]) is None:
            return Turn([ctx.say(f"{_TEMPLATES}/my_pick.txt")], next_step="pick", invalid=True)
        record = await ctx.services.applications.get(app_id)
        if record is None:
            return Turn([ctx.say(f"{_TEMPLATES}/my_gone.txt")], next_step=None)
        return Turn([_item(ctx, number, record)], next_step=None)
