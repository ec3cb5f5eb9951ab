"""A staff "take" and the outbox worker change one record's status at once (real Redis).

Both go through `ApplicationStore.set_status` (WATCH/MULTI), so neither can overwrite the other's
history entry; a take that rewrote the whole record it had read would lose the worker's entry.
"""

from __future__ import annotations

import asyncio

from bot.application.model import Status
from bot.application.store import ApplicationStore


async def test_a_worker_write_between_the_takes_read_and_write_survives(
        client, staff_services, records, login, csrf_of, monkeypatch) -> None:
    await login(client)
    url = f"/staff/applications/{records.nanuo_app.id}"
    token = csrf_of((await client.get(url)).text)
    store = staff_services.applications
    read = store.get

    async def read_then_the_worker_writes(app_id: str):  # the take's read, then the worker's turn
        record = await read(app_id)
        await ApplicationStore(staff_services.redis, staff_services.sealer, store.ttl).set_status(
            app_id, Status.FAILED)
        return record

    monkeypatch.setattr(store, "get", read_then_the_worker_writes)
    assert (await client.post(url + "/take", data={"action": "visited", "csrf": token})).status_code == 303
    monkeypatch.setattr(store, "get", read)

    history = (await store.get(records.nanuo_app.id)).history
    assert [h["status"] for h in history[-2:]] == ["failed", "handed_to_township"]
    assert history[-1]["event"] == "visited" and history[-1]["by"] == "nanuo1"


async def test_concurrent_takes_and_worker_updates_all_land(client, staff_services, records, login,
                                                            csrf_of) -> None:
    await login(client)
    url = f"/staff/applications/{records.nanuo_app.id}"
    token = csrf_of((await client.get(url)).text)
    store = staff_services.applications
    worker = ApplicationStore(staff_services.redis.client(), staff_services.sealer, store.ttl)  # own socket
    before = len((await store.get(records.nanuo_app.id)).history)
    rounds = 8
    for _ in range(rounds):
        take, _ = await asyncio.gather(
            client.post(url + "/take", data={"action": "taken", "csrf": token}),
            worker.set_status(records.nanuo_app.id, Status.DELIVERED),
        )
        assert take.status_code == 303
    history = (await store.get(records.nanuo_app.id)).history[before:]
    assert sorted(h["status"] for h in history) == ["delivered"] * rounds + ["handed_to_township"] * rounds
    assert all(h["by"] == "nanuo1" for h in history if h["status"] == "handed_to_township")
