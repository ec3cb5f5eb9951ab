"""The security headers every HTML page sends (the resident's application page, the staff pages).

Pages differ only in their Content-Security-Policy and caching; the rest is one policy: no MIME
sniffing, no referrer (links carry signed tokens), no framing.
"""

from __future__ import annotations

_COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def page_headers(csp: str, cache: str = "no-store") -> dict[str, str]:
    return {"Content-Security-Policy": csp, **_COMMON, "Cache-Control": cache}
