"""`GET /a/<token>`: the resident's application page (H5), its stylesheet, and the one 404.

Why: the page is what a resident carries to 办事通 or the township office and what the village
committee prints. It opens only through a valid, unexpired link for the record's owner, and, where
WeChat web OAuth is on, only for the owner's WeChat account (`snsapi_base`, silent). A tampered,
expired or foreign link and a deleted record all get the same 404. Every response carries a strict
CSP (same-origin stylesheet and script only), `nosniff`, `no-referrer` and `no-store`.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Any

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from bot.application import guide
from bot.application.identity import mask_id, mask_mobile
from bot.application.links import page_signer, staff_url, viewer_signer
from bot.application.model import ApplicationRecord, labels, local_time, status_label
from bot.application.payload import pending_labels
from bot.headers import page_headers
from bot.services import Services
from bot.townships import township
from bot.wechat.api import authorize_url, oauth_openid
from bot.wechat.errors import APIError

log = logging.getLogger(__name__)
router = APIRouter()

STATIC_DIR = Path(__file__).parent.parent / "static"
STATIC_TYPES = {
    "application.css": "text/css; charset=utf-8",
    "application.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
VIEWER_COOKIE = "viewer"


def _secure(response: Response, cache: str = "no-store") -> Response:
    response.headers.update(page_headers(CSP, cache))
    return response


def _not_found(services: Services) -> Response:
    return _secure(HTMLResponse(services.templates.render("h5/not_found.html"), status_code=404))


@router.get("/a/static/{name}", include_in_schema=False)
async def static_file(name: str, request: Request) -> Response:
    if name not in STATIC_TYPES:
        return _not_found(request.app.state.services)
    body = (STATIC_DIR / name).read_bytes()
    return _secure(Response(body, media_type=STATIC_TYPES[name]), cache="public, max-age=3600")


@router.get("/a/{token}", include_in_schema=False)
async def application_page(token: str, request: Request, code: str | None = None) -> Response:
    services: Services = request.app.state.services
    claim = page_signer(services.settings).verify(token)
    record = await services.applications.get(claim.subject) if claim else None
    if (claim is None or record is None or record.kind != "application"
            or not hmac.compare_digest(record.user_key, claim.user_key)):
        return _not_found(services)
    if services.settings.wechat_oauth_enabled:
        refusal = await _check_viewer(request, services, token, record, code)
        if refusal is not None:
            return refusal
    html = services.templates.render("h5/application.html", **page_view(record, services))
    return _secure(HTMLResponse(html))


async def _check_viewer(request: Request, services: Services, token: str, record: ApplicationRecord,
                        code: str | None) -> Response | None:
    """None when the viewer is the record's owner; otherwise the redirect to OAuth or the 404."""
    settings = services.settings
    cookie = request.cookies.get(VIEWER_COOKIE)
    viewer = viewer_signer(settings).verify(cookie) if cookie else None
    if viewer is not None and hmac.compare_digest(viewer.user_key, record.user_key):
        return None
    page = f"{settings.public_base_url.rstrip('/')}/a/{token}"
    if code is None:
        target = authorize_url(settings.wechat_appid, page, state="a")
        return _secure(RedirectResponse(target, status_code=302))
    try:
        openid = await oauth_openid(settings.wechat_appid, settings.wechat_secret, code,
                                    base_url=settings.wechat_api_base)
    except APIError as exc:
        log.warning("application page: OAuth code exchange failed (%s)", type(exc).__name__)
        return _not_found(services)
    viewer_key = services.sealer.pseudonym(openid)
    if not hmac.compare_digest(viewer_key, record.user_key):
        return _not_found(services)
    response = _secure(RedirectResponse(page, status_code=303))
    response.set_cookie(VIEWER_COOKIE, viewer_signer(settings).sign("viewer", viewer_key),
                        max_age=settings.link_ttl, path="/a/", httponly=True, samesite="lax",
                        secure=settings.public_base_url.startswith("https://"))
    return response


def _qr_svg(url: str) -> Markup:
    # segno's inline SVG uses attributes only (no style=), so the strict CSP holds.
    return Markup(segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff"))


def _member_view(member: dict[str, Any]) -> dict[str, Any]:
    words = labels()
    grade = member["disability_grade"]
    return {
        "relation": words["relations"][member["relation"]],
        "age": member["age"],
        "disability": words["disability_types"].get(member["disability_type"] or "", ""),
        "disability_grade": grade,
        "disabled": bool(member["disability_type"] or grade),
        "serious_illness": member["serious_illness"] is True,
        "unable_to_work": member["able_to_work"] is False,
        "in_school": bool(member["in_school"]),
    }


def _amount(value: Any) -> Any:
    """300.0 -> "300", 1250.5 -> "1250.5"; the pending marker passes through."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return value


def page_view(record: ApplicationRecord, services: Services) -> dict[str, Any]:
    """What the page template shows: masked identifiers, plain labels, local times."""
    payload, settings, words = record.payload, services.settings, labels()
    applicant = payload["applicant"]
    place = township(record.township_code) or {"name": payload["where"]["township_name"]}
    routes = guide.routes(payload["programs"], place)
    return {
        "status": status_label(record.status),
        "status_code": str(record.status),
        "history": [{"label": status_label(h["status"]), "at": local_time(h["at"])} for h in record.history],
        "created": local_time(record.created_at),
        "updated": local_time(record.updated_at),
        "changed": len(record.history) > 1,
        "applicant_name": applicant["name"],
        "id_masked": mask_id(applicant["id_number"]),
        "phone_masked": mask_mobile(applicant["phone"]),
        "programs": [{"name": p["name"], "standing": words["program_statuses"][p["status"]]}
                     for p in payload["programs"]],
        "members": [_member_view(m) for m in payload["members"]],
        "income_total": _amount(payload["income"]["total_monthly"]),
        "causes": [words["causes"][c] for c in payload["hardship"]["causes"]],
        "township": place,
        "village": payload["where"]["village"],
        "pending": pending_labels(payload),
        "pending_marker": words["pending"],
        "documents": guide.documents(payload),
        "routes": routes,
        "online": any(r["online"] for r in routes),
        "steps": guide.steps(payload["programs"]),
        "pledged_at": local_time(payload["consents"]["truthfulness_pledge_at"]),
        "authorised_at": local_time(payload["consents"]["economic_check_authorisation_at"]),
        "banshitong_url": settings.banshitong_url,
        "qr_svg": _qr_svg(staff_url(settings, record.id)),
        "link_hours": max(1, settings.link_ttl // 3600),
    }
