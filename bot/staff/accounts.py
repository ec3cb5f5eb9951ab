"""Township staff accounts: who may open the queue of which township, checked against scrypt hashes.

Accounts come from `STAFF_USERS` ("user:township_code:password_hash[,…]"), so the county adds or
removes a person by editing one setting; no account database to secure. Hashes are made with
`python -m bot.staff hash-password` and look like `scrypt$16384$8$1$<salt hex>$<hash hex>`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from bot.errors import ConfigError

_N, _R, _P = 2**14, 8, 1  # about 16 MB and tens of milliseconds per check
_DUMMY = "scrypt$16384$8$1$" + "00" * 16 + "$" + "00" * 32  # checked for unknown users (same timing)


@dataclass(frozen=True)
class StaffUser:
    name: str
    township: str  # township code (bot/data/townships.yaml)
    password_hash: str


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = encoded.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected) // 2)
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def parse_staff_users(spec: str) -> dict[str, StaffUser]:
    users: dict[str, StaffUser] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, township, password_hash = [*part.split(":", 2), "", ""][:3]
        if not (name and township and password_hash.startswith("scrypt$")):
            raise ConfigError("STAFF_USERS entries must be user:township_code:scrypt-hash")
        users[name] = StaffUser(name, township, password_hash)
    return users


def authenticate(users: dict[str, StaffUser], name: str, password: str) -> StaffUser | None:
    """The user when the password matches; an unknown name costs the same time as a wrong password."""
    user = users.get(name)
    ok = verify_password(password, user.password_hash if user else _DUMMY)
    return user if ok and user else None
