from bot.headers import page_headers


def test_every_page_gets_the_common_policy() -> None:
    headers = page_headers("default-src 'self'")
    assert headers["Content-Security-Policy"] == "default-src 'self'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert page_headers("x", cache="public, max-age=3600")["Cache-Control"] == "public, max-age=3600"
