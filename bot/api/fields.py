"""Field types shared by the `/api/v1/*` request models.

JSON can carry text that Python holds but UTF-8 cannot (a lone surrogate such as `\\ud800`);
it would fail deep inside the engine, the sealer or the response encoder. Such text is refused at
the door with a 422 instead.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def well_formed(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return value


UnicodeText = Annotated[str, AfterValidator(well_formed)]
