"""The township staff pages: sign-in, CSRF, township isolation, CSV export and the audit log."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from bot.application.model import Status
from bot.staff.accounts import parse_staff_users, verify_password
from bot.staff.audit import AUDIT_STREAM, AuditLog

PERSONAL = ["李秀英", "53042819500101002X", "13912345678", "王大爷", "13800001111", "张国华",
            "530428196805051234", "13700002222"]


async def audit_entries(services) -> list[dict[str, str]]:
    rows = await services.redis.xrange(AUDIT_STREAM)
    return [{k.decode(): v.decode() for k, v in fields.items()} for _, fields in rows]


def assert_secure_headers(response) -> None:
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


async def test_pages_need_a_login(client, records) -> None:
    record_page = f"/staff/applications/{records.nanuo_app.id}"
    for path in ("/staff/", record_page, "/staff/export.csv", "/staff/audit"):
        response = await client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/staff/login?next=%2Fstaff%2F")
    taken = await client.post(f"/staff/applications/{records.nanuo_app.id}/take", data={"csrf": "x"})
    assert taken.status_code == 401


async def test_wrong_password_is_refused_and_audited(client, staff_services, login) -> None:
    response = await login(client, password="wrong password")
    assert response.status_code == 401
    assert "staff_session" not in response.headers.get("set-cookie", "")
    assert (await client.get("/staff/")).status_code == 303
    unknown = await login(client, user="nobody")
    assert unknown.status_code == 401
    entries = await audit_entries(staff_services)
    assert [(e["user"], e["action"], e["result"]) for e in entries] == [
        ("nanuo1", "login", "denied"), ("-", "login", "denied")]


async def test_repeated_failures_lock_the_account(client, login) -> None:
    for _ in range(10):  # RATE_LIMIT_STAFF_LOGIN_ADDRESS: 10 attempts per 15 minutes
        assert (await login(client, password="nope")).status_code == 401
    assert (await login(client)).status_code == 429  # even the right password, for a while


async def test_login_sets_a_strict_session_cookie(client, login) -> None:
    response = await login(client)
    assert response.status_code == 303 and response.headers["location"] == "/staff/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("staff_session="))
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=strict" in lowered and "secure" in lowered
    assert "path=/staff" in lowered
    page = await client.get("/staff/")
    assert page.status_code == 200
    assert_secure_headers(page)


async def test_login_form_needs_its_csrf_token(client) -> None:
    await client.get("/staff/login")
    for token in (None, "forged"):
        data = {"username": "nanuo1", "password": "correct horse battery"}
        if token:
            data["csrf"] = token
        assert (await client.post("/staff/login", data=data)).status_code == 403


async def test_login_returns_to_the_scanned_record(client, records, login, csrf_of) -> None:
    target = f"/staff/applications/{records.nanuo_app.id}"
    form = await client.get((await client.get(target)).headers["location"])
    assert f'name="next" value="{target}"' in form.text
    data = {"username": "nanuo1", "password": "correct horse battery", "csrf": csrf_of(form.text)}
    response = await client.post("/staff/login", data={**data, "next": target})
    assert response.headers["location"] == target
    await client.post("/staff/logout", data={"csrf": csrf_of((await client.get(target)).text)})
    for evil in ("https://evil.example/", "//evil.example/staff/", "/staff/../admin"):
        assert (await login(client, next_page=evil)).headers["location"] == "/staff/"


async def test_queue_is_masked_and_only_for_own_township(client, records, login) -> None:
    await login(client)
    page = (await client.get("/staff/")).text
    assert "李**" in page and "5304**********002X" in page and "139****5678" in page
    for value in PERSONAL:
        assert value not in page
    assert records.nanuo_app.id in page and records.nanuo_report.id in page
    assert records.yangjie_app.id not in page
    assert page.index(records.nanuo_report.id) < page.index(records.nanuo_app.id)  # urgent first


async def test_record_page_shows_details_to_own_township_only(client, staff_services, records, login) -> None:
    await login(client)
    own = await client.get(f"/staff/applications/{records.nanuo_app.id}")
    assert own.status_code == 200
    assert "李秀英" in own.text and "53042819500101002X" in own.text and "最低生活保障" in own.text
    assert_secure_headers(own)
    report = await client.get(f"/staff/applications/{records.nanuo_report.id}")
    assert "好几天没吃饭了" in report.text and "K7M2Q9XA" in report.text
    foreign = await client.get(f"/staff/applications/{records.yangjie_app.id}")
    missing = await client.get("/staff/applications/doesNotExist123")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.text == missing.text
    assert "张国华" not in foreign.text
    results = [(e["action"], e["record"], e["result"]) for e in await audit_entries(staff_services)]
    assert ("view_record", records.nanuo_app.id, "ok") in results
    assert ("view_record", records.yangjie_app.id, "denied") in results
    assert ("view_record", "doesNotExist123", "not_found") in results


async def test_take_needs_csrf_and_records_the_action(client, staff_services, records, login,
                                                      csrf_of) -> None:
    await login(client)
    url = f"/staff/applications/{records.nanuo_app.id}"
    page = await client.get(url)
    for data in ({"action": "visited"}, {"action": "visited", "csrf": "0" * 64}):
        assert (await client.post(url + "/take", data=data)).status_code == 403
    stored = await staff_services.applications.get(records.nanuo_app.id)
    assert not any(h.get("event") for h in stored.history)

    token = csrf_of(page.text)
    done = await client.post(url + "/take", data={"action": "visited", "csrf": token})
    assert done.status_code == 303
    stored = await staff_services.applications.get(records.nanuo_app.id)
    assert stored.status == Status.HANDED_TO_TOWNSHIP
    assert stored.history[-1]["event"] == "visited" and stored.history[-1]["by"] == "nanuo1"
    assert "已入户核实" in (await client.get(url)).text

    foreign = await client.post(f"/staff/applications/{records.yangjie_app.id}/take",
                                data={"action": "taken", "csrf": token})
    assert foreign.status_code == 404
    untouched = await staff_services.applications.get(records.yangjie_app.id)
    assert not any(h.get("event") for h in untouched.history)
    results = [(e["action"], e["result"]) for e in await audit_entries(staff_services)]
    assert results.count(("take", "csrf")) == 2
    assert ("take", "visited") in results and ("take", "denied") in results


async def test_csrf_token_of_another_session_is_refused(client, staff_services, records, login,
                                                        csrf_of) -> None:
    import httpx

    await login(client)
    other_token = csrf_of((await client.get(f"/staff/applications/{records.nanuo_app.id}")).text)
    transport = client._transport
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as other:
        await login(other)
        response = await other.post(f"/staff/applications/{records.nanuo_app.id}/take",
                                    data={"action": "taken", "csrf": other_token})
    # the same account, but a different session: the token does not carry over
    assert response.status_code == 403


async def test_csv_export(client, staff_services, records, login) -> None:
    await login(client)
    response = await client.get("/staff/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    by_kind = {row["类型"]: row for row in rows}
    assert by_kind["申请"]["申请人姓名"] == "李秀英"
    assert by_kind["申请"]["身份证号码"] == '="53042819500101002X"'  # text in Excel (see test_export)
    assert by_kind["报告"]["编号"] == "K7M2Q9XA" and by_kind["报告"]["紧急"]
    assert by_kind["报告"]["报告对象"].startswith("'=")  # a formula is never run by Excel
    assert "张国华" not in response.content.decode("utf-8-sig")


async def test_audit_log_has_no_personal_data_and_a_page(client, staff_services, records, login) -> None:
    await login(client)
    await client.get("/staff/")
    await client.get(f"/staff/applications/{records.nanuo_app.id}")
    await client.get("/staff/export.csv")
    page = await client.get("/staff/audit")
    assert page.status_code == 200
    entries = await audit_entries(staff_services)
    assert [e["action"] for e in entries] == ["login", "view_queue", "view_record", "export", "view_audit"]
    assert all(set(e) == {"at", "user", "township", "action", "record", "result"} for e in entries)
    raw = repr(await staff_services.redis.xrange(AUDIT_STREAM))
    for value in PERSONAL:
        assert value not in raw
    assert "export" in page.text and records.nanuo_app.id in page.text
    assert await staff_services.redis.ttl(AUDIT_STREAM) == -1  # never expires as a whole


async def test_audit_page_shows_only_own_township(staff_services) -> None:
    audit = AuditLog(staff_services.redis)
    await audit.record("nanuo1", "530428001", "export", result="rows=1")
    await audit.record("yangjie1", "530428002", "export", result="rows=2")
    page = await audit.page("530428001")
    assert [(e.user, e.result) for e in page.entries] == [("nanuo1", "rows=1")]


async def test_logout_ends_the_session(client, login, csrf_of) -> None:
    await login(client)
    page = await client.get("/staff/")
    cookie = client.cookies.get("staff_session")
    response = await client.post("/staff/logout", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 303
    client.cookies.set("staff_session", cookie, domain="testserver", path="/staff")
    assert (await client.get("/staff/")).status_code == 303  # the old cookie is dead server-side


def test_hash_password_cli_makes_a_usable_hash() -> None:
    result = subprocess.run([sys.executable, "-m", "bot.staff", "hash-password"], input="a long passphrase\n",
                            capture_output=True, text=True, check=True)
    encoded = result.stdout.strip()
    assert encoded.startswith("scrypt$")
    assert verify_password("a long passphrase", encoded) and not verify_password("another one", encoded)
    assert parse_staff_users(f"u:530428001:{encoded}")["u"].township == "530428001"


async def test_audit_entries_are_kept_at_least_180_days(staff_services) -> None:
    import time

    day_ms = 86_400_000
    now_ms = int(time.time() * 1000)
    fields = {"at": "x", "user": "u", "township": "530428001", "action": "export", "record": "",
              "result": "ok"}
    await staff_services.redis.xadd(AUDIT_STREAM, fields, id=f"{now_ms - 200 * day_ms}-0")
    await staff_services.redis.xadd(AUDIT_STREAM, fields, id=f"{now_ms - 181 * day_ms}-0")
    await AuditLog(staff_services.redis).record("nanuo1", "530428001", "view_queue")
    ids = [int(eid.decode().split("-")[0]) for eid, _ in await staff_services.redis.xrange(AUDIT_STREAM)]
    assert len(ids) == 2 and ids[0] == now_ms - 181 * day_ms  # the 200-day-old entry is gone


async def test_danger_counts_page_shows_the_county_counts(client, staff_services, login) -> None:
    from bot.safety import safety_net
    from bot.safety.counts import count_danger

    category = next(iter(safety_net().detector.book.categories))
    for _ in range(3):
        await count_danger(staff_services.redis, category)
    await login(client)
    page = await client.get("/staff/danger")
    assert page.status_code == 200
    assert_secure_headers(page)
    assert "<td>3</td>" in page.text
    assert "那诺乡" in page.text  # the signed-in township in the header bar, as on every staff page
