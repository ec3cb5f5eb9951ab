"""The township staff pages under `/staff`: sign in, the queue, a record, take it on, CSV, audit.

Township and village staff apply on residents' behalf (the `township` hand-off) and follow up
reports of people in need, so each account sees only its own township's records; a record of
another township answers exactly like a missing one. Every view, export and change is written to
the audit log (`audit.py`) without personal data. Forms are parsed by hand (urlencoded, small)
rather than pulling in python-multipart.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.application.model import ApplicationRecord, Status, labels, local_time
from bot.application.payload import pending_labels
from bot.headers import page_headers
from bot.ratelimit import client_address
from bot.services import Services
from bot.staff.audit import AuditLog, is_entry_id
from bot.staff.auth import StaffAuth, StaffSession
from bot.staff.views import export_csv, queue, row, staff_texts
from bot.townships import township

router = APIRouter(prefix="/staff")

_RECORD_ID = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")
_NEXT = re.compile(r"^/staff/[A-Za-z0-9_\-/.]{0,100}$")  # only pages of this site after signing in


def _headers(nonce: str = "") -> dict[str, str]:
    style = f"style-src 'nonce-{nonce}'; " if nonce else ""
    return page_headers(f"default-src 'self'; {style}img-src 'self' data:; form-action 'self'; "
                        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def _services(request: Request) -> Services:
    return request.app.state.services


def _auth(request: Request) -> StaffAuth:
    auth = getattr(request.app.state, "staff_auth", None)
    if auth is None:
        auth = request.app.state.staff_auth = StaffAuth(_services(request))
    return auth


def _audit(request: Request) -> AuditLog:
    services = _services(request)
    return AuditLog(services.redis, services.settings.audit_max_entries)


def _page(request: Request, template: str, status: int = 200, **values: object) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    html = _services(request).templates.render(template, nonce=nonce, **values)
    return HTMLResponse(html, status_code=status, headers=_headers(nonce))


def _staff_page(request: Request, template: str, staff: StaffSession, **values: object) -> HTMLResponse:
    """A page behind sign-in: the header bar's account, township and logout token come with it."""
    return _page(request, template, 200, staff=staff.user, township=_township_name(staff.user.township),
                 csrf=_auth(request).csrf_token(staff.token), **values)


def _township_name(code: str) -> str:
    place = township(code)
    return place["name"] if place else code


async def _form(request: Request) -> dict[str, str]:
    try:
        parsed = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=20)
    except ValueError:  # more fields than any of these forms has
        raise HTTPException(400, "malformed form", headers=_headers()) from None
    return {key: values[0] for key, values in parsed.items()}


async def require_staff(request: Request) -> StaffSession:
    """The signed-in staff member; pages redirect to the sign-in form, everything else gets 401."""
    session = await _auth(request).session(request)
    if session is not None:
        return session
    if request.method == "GET":  # e.g. a QR code scanned from the H5 page: come back here after login
        target = "/staff/login?" + urlencode({"next": request.url.path})
        raise HTTPException(303, headers={**_headers(), "Location": target})
    raise HTTPException(401, "sign in first", headers=_headers())


Staff = Annotated[StaffSession, Depends(require_staff)]


async def _checked_form(request: Request, staff: StaffSession, action: str,
                        record: str = "") -> dict[str, str]:
    form = await _form(request)
    if not _auth(request).csrf_ok(staff.token, form.get("csrf")):
        await _audit(request).record(staff.user.name, staff.user.township, action, record, "csrf")
        raise HTTPException(403, "missing or wrong CSRF token", headers=_headers())
    return form


async def _own_record(request: Request, staff: StaffSession, rid: str, action: str) -> ApplicationRecord:
    """The record when it belongs to this staff member's township; 404 alike for missing and foreign."""
    well_formed = bool(_RECORD_ID.match(rid))  # anything else typed into the URL is not logged
    record = await _services(request).applications.get(rid) if well_formed else None
    if record is None or record.township_code != staff.user.township:
        result = "not_found" if record is None else "denied"
        await _audit(request).record(staff.user.name, staff.user.township, action,
                                     rid if well_formed else "", result)
        raise HTTPException(404, "no such record", headers=_headers())
    return record


# -- signing in and out --------------------------------------------------------------------------


def _next(value: str | None) -> str:
    return value if value and _NEXT.match(value) and ".." not in value else "/staff/"


def _login_page(request: Request, status: int = 200, error: str | None = None,
                next_page: str | None = None, minutes: int = 0) -> HTMLResponse:
    auth = _auth(request)
    binding, fresh = auth.login_form_binding(request)
    response = _page(request, "staff/login.html", status, csrf=auth.csrf_token(binding), error=error,
                     next=_next(next_page or request.query_params.get("next")), minutes=minutes)
    if fresh:
        auth.set_login_cookie(response, binding)
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> HTMLResponse:
    return _login_page(request)


@router.post("/login")
async def login(request: Request) -> Response:
    auth, audit = _auth(request), _audit(request)
    form = await _form(request)
    if not auth.csrf_ok(auth.login_binding(request), form.get("csrf")):
        raise HTTPException(403, "missing or wrong CSRF token", headers=_headers())
    name, password = form.get("username", "")[:64], form.get("password", "")[:256]
    known = auth.users.get(name)
    who, township = (known.name, known.township) if known else ("-", "-")
    address = client_address(request)
    admitted = await auth.admit(address, name)  # counted before the password is looked at
    if not admitted.allowed:
        await audit.record_repeated(who, township, "login", "locked")
        page = _login_page(request, 429, "locked", form.get("next"), admitted.minutes)
        page.headers["Retry-After"] = str(admitted.retry_after)
        return page
    user = await auth.authenticate(name, password)
    if user is None:
        await audit.record_repeated(who, township, "login", "denied")
        return _login_page(request, 401, "wrong", form.get("next"))
    response = RedirectResponse(_next(form.get("next")), status_code=303, headers=_headers())
    await auth.open_session(user, response)
    await audit.record(user.name, user.township, "login")
    return response


@router.post("/logout")
async def logout(request: Request, staff: Staff) -> Response:
    await _checked_form(request, staff, "logout")
    response = RedirectResponse("/staff/login", status_code=303, headers=_headers())
    await _auth(request).close_session(staff, response)
    await _audit(request).record(staff.user.name, staff.user.township, "logout")
    return response


# -- the queue -----------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def queue_page(request: Request, staff: Staff) -> HTMLResponse:
    records = queue(await _services(request).applications.for_township(staff.user.township))
    await _audit(request).record(staff.user.name, staff.user.township, "view_queue",
                                 result=f"rows={len(records)}")
    return _staff_page(request, "staff/queue.html", staff, rows=[row(r, masked=True) for r in records])


@router.get("/applications/{rid}", response_class=HTMLResponse)
async def record_page(request: Request, rid: str, staff: Staff) -> HTMLResponse:
    record = await _own_record(request, staff, rid, "view_record")
    await _audit(request).record(staff.user.name, staff.user.township, "view_record", record.id)
    missing = pending_labels(record.payload) if record.kind == "application" else []
    history = [{**h, "at": local_time(h["at"])} for h in record.history]
    return _staff_page(request, "staff/record.html", staff, record=record,
                       cells=row(record, masked=False), payload=record.payload, missing=missing,
                       history=history, labels=labels(), actions=staff_texts()["actions"])


@router.post("/applications/{rid}/take")
async def take(request: Request, rid: str, staff: Staff) -> Response:
    form = await _checked_form(request, staff, "take", rid if _RECORD_ID.match(rid) else "")
    record = await _own_record(request, staff, rid, "take")
    action = form.get("action", "taken")
    if action not in staff_texts()["actions"]:
        action = "taken"
    await _services(request).applications.set_status(record.id, Status.HANDED_TO_TOWNSHIP,
                                                     {"event": action, "by": staff.user.name})
    await _audit(request).record(staff.user.name, staff.user.township, "take", record.id, action)
    return RedirectResponse(f"/staff/applications/{record.id}", status_code=303, headers=_headers())


@router.get("/export.csv")
async def export(request: Request, staff: Staff) -> Response:
    records = queue(await _services(request).applications.for_township(staff.user.township))
    await _audit(request).record(staff.user.name, staff.user.township, "export",
                                 result=f"rows={len(records)}")
    headers = {**_headers(), "Content-Disposition": 'attachment; filename="queue.csv"'}
    return Response(export_csv(records), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, staff: Staff, before: str | None = None) -> HTMLResponse:
    audit = _audit(request)
    await audit.record(staff.user.name, staff.user.township, "view_audit")
    page = await audit.page(staff.user.township, before if before and is_entry_id(before) else None)
    return _staff_page(request, "staff/audit.html", staff, entries=page.entries, older=page.older)


# -- how often danger to life comes up (county-wide counts, no personal data) --------------------

DANGER_DAYS = 30


@router.get("/danger", response_class=HTMLResponse)
async def danger_page(request: Request, staff: Staff) -> HTMLResponse:
    from bot.safety import safety_net
    from bot.safety.counts import daily_counts

    rows = await daily_counts(_services(request).redis, DANGER_DAYS)
    categories = safety_net().detector.book.categories
    await _audit(request).record(staff.user.name, staff.user.township, "view_danger_counts")
    return _staff_page(request, "staff/danger.html", staff, rows=rows, days=DANGER_DAYS,
                       categories=list(categories), labels={c.id: c.label for c in categories.values()},
                       total=sum(sum(c.values()) for _, c in rows))
