"""`删除我的信息`: after a confirmation, delete everything held for this resident and say what went.

Why: residents may withdraw (PIPL art. 47). Deleted here: the conversation, a resumable
questionnaire and QR scene (`SessionStore.delete_all`), applications and reports with their index
entries (`ApplicationStore.delete_user`), the last screening result, and outbox entries not yet
delivered (`handoff.forget_user`). Unanswered questions were stored without any user id, so they
cannot be found per resident; the reply says so. Links to deleted records then 404.
"""

from __future__ import annotations

from bot.dialogs.answers import means, yes_no
from bot.dialogs.base import Context, Flow, Reply, Turn

_TEMPLATES = "chat/application"


class DeleteDataFlow(Flow):
    name = "delete_data"
    first_step = "confirm"

    async def prompt(self, ctx: Context) -> list[Reply]:
        records = await ctx.services.applications.for_user(ctx.user)
        screened = await ctx.services.screenings.load(ctx.user) is not None
        return [ctx.say(f"{_TEMPLATES}/delete_confirm.txt", records=len(records), screened=screened)]

    async def handle(self, ctx: Context, text: str) -> Turn:
        if yes_no(text) is False:
            return Turn([ctx.say(f"{_TEMPLATES}/delete_cancelled.txt")], next_step=None)
        if not means(text, "yes"):  # deleting everything needs a plain yes
            return Turn([ctx.say(f"{_TEMPLATES}/delete_hint.txt")], next_step="confirm", invalid=True)
        services, user = ctx.services, ctx.user
        screened = await services.screenings.load(user) is not None
        await services.screenings.delete(user)
        records = await services.applications.delete_user(user)
        outbox = await services.handoff.forget_user(user)
        conversation = await services.sessions.delete_all(user)
        done = ctx.say(f"{_TEMPLATES}/delete_done.txt", records=records, screened=screened,
                       outbox=outbox, conversation=conversation > 0)
        # The engine saves the session after this turn: tell it there is nothing left to keep.
        return Turn([done], next_step=None, forget=True)
