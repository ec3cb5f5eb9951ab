"""Malformed input to the staff pages gets a clear 4xx or the first page, never a 500 or a 503."""

from __future__ import annotations

import pytest

from bot.staff.audit import AuditLog

TOO_MANY_FIELDS = "&".join(f"f{i}=1" for i in range(30))


@pytest.mark.parametrize("path", ["/staff/login", "/staff/logout", "/staff/applications/{rid}/take"])
async def test_a_form_with_too_many_fields_is_a_bad_request(client, records, login, path) -> None:
    await login(client)
    response = await client.post(path.format(rid=records.nanuo_app.id), content=TOO_MANY_FIELDS,
                                 headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("before", ["0-0", "18446744073709551616-0", "99999999999999999999-1",
                                    "1-18446744073709551616", "1" * 5000 + "-1", "-1", "1-", "１-1"])
async def test_an_audit_cursor_redis_cannot_read_shows_the_first_page(client, staff_services, login,
                                                                     before) -> None:
    await login(client)
    response = await client.get("/staff/audit", params={"before": before})
    assert response.status_code == 200
    assert "<td>login</td>" in response.text and "<td>view_audit</td>" in response.text  # the newest


async def test_the_audit_log_reads_every_cursor_it_can_hand_out(staff_services) -> None:
    audit = AuditLog(staff_services.redis)
    await audit.record("nanuo1", "530428001", "export")
    for before in ("18446744073709551615-18446744073709551615", "1-0"):
        page = await audit.page("530428001", before)
        assert len(page.entries) == (1 if before.startswith("18") else 0)
