"""`python -m bot.staff hash-password`: make the hash for one STAFF_USERS entry.

The password is read without echo (or from stdin when piped), never from the command line, so it
does not end up in the shell history. Prints `scrypt$…`; the entry is `user:township_code:<that>`.
"""

from __future__ import annotations

import getpass
import sys

from bot.staff.accounts import hash_password

USAGE = "usage: python -m bot.staff hash-password   (reads the password from the terminal or stdin)"


def main(argv: list[str]) -> int:
    if argv != ["hash-password"]:
        print(USAGE, file=sys.stderr)
        return 2
    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("the two passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 10:
        print("use at least 10 characters", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
