from bot.services import Services
from bot.sessions import FlowState, Session


def test_session_is_plain_json_data() -> None:
    session = Session(flow=FlowState("screening", "age", {"age": 72}, ["consent"], 1), more=["下一段"])
    restored = Session.from_json(session.to_json())
    assert restored == session
    assert '"age":72' in session.to_json()


async def test_round_trip_resume_scene_and_delete_all(services: Services) -> None:
    store = services.sessions
    assert await store.load("u") == Session()
    await store.save("u", Session(choice_kind="menu", choices=["qa"]))
    await store.save_resume("u", FlowState("screening", "income", {"income": 300}))
    await store.save_scene("u", "530428003")
    assert (await store.load("u")).choices == ["qa"]
    assert (await store.load_resume("u")).data == {"income": 300}
    assert await store.load_scene("u") == "530428003"
    assert await store.delete_all("u") == 3
    assert await store.load_resume("u") is None and await store.load_scene("u") is None


async def test_keys_are_pseudonymous_and_expire(services: Services) -> None:
    await services.sessions.save("oOpenId123", Session())
    await services.sessions.save_resume("oOpenId123", FlowState("screening", "age"))
    ttls = {}
    async for key in services.redis.scan_iter():
        assert b"oOpenId123" not in key
        ttls[key.split(b":")[0]] = await services.redis.ttl(key)
    assert 0 < ttls[b"sess"] <= services.settings.session_ttl
    assert services.settings.session_ttl < ttls[b"resume"] <= services.settings.resume_ttl
